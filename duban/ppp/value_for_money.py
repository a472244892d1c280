"""Value for money (物有所值评价) under 财金〔2015〕167号: the qualitative score and the PSC-versus-PPP test.

Pure maths without Django; every weight and pass mark is a parameter, because 167号 is a trial text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from duban.ppp.affordability import ONE, ZERO, AffordabilityInputError, ProjectExpenditure, out_of_range


class BasicIndicator(StrEnum):
    """The six basic indicators (基本评价指标) of the qualitative evaluation, 167号."""

    WHOLE_LIFE_INTEGRATION = "whole_life_integration"  # 全生命周期整合程度
    RISK_ALLOCATION = "risk_allocation"  # 风险识别与分配
    PERFORMANCE_AND_INNOVATION = "performance_and_innovation"  # 绩效导向与鼓励创新
    COMPETITION = "competition"  # 潜在竞争程度
    GOVERNMENT_CAPACITY = "government_capacity"  # 政府机构能力
    BANKABILITY = "bankability"  # 可融资性


@dataclass(frozen=True, kw_only=True)
class IndicatorScore:
    """One indicator: its weight (a fraction) and the panel's score out of 100."""

    indicator: str
    weight: Decimal
    score: Decimal
    supplementary: bool = False


@dataclass(frozen=True, kw_only=True)
class QualitativeResult:
    score: Decimal
    passes: bool


def qualitative_vfm(
    *,
    indicators: Sequence[IndicatorScore],
    pass_mark: Decimal = Decimal(60),
    supplementary_weight: Decimal = Decimal("0.20"),
) -> QualitativeResult:
    """The weighted expert score of 167号; the project passes at `pass_mark` (60) or above.

    All six basic indicators are required; weights add up to 1, and supplementary indicators, when the
    panel uses any, carry `supplementary_weight` (20%) between them, leaving 80% to the basic ones.
    """
    basic = [item for item in indicators if not item.supplementary]
    missing = set(BasicIndicator) - {item.indicator for item in basic}
    if missing:
        raise AffordabilityInputError(
            field="indicators",
            code="required",
            message=f"missing basic indicators {sorted(missing)}",
            params={"missing": tuple(sorted(missing))},
        )
    for index, item in enumerate(indicators):
        if not ZERO <= item.score <= 100:
            raise out_of_range(f"indicators[{index}].score", item.score, minimum=ZERO, maximum=Decimal(100))
        if not ZERO <= item.weight <= ONE:
            raise out_of_range(f"indicators[{index}].weight", item.weight, minimum=ZERO, maximum=ONE)
    # The weights must make a whole; when a panel adds supplementary indicators they carry their share.
    checks = [("indicators", indicators, ONE)]
    supplementary = [item for item in indicators if item.supplementary]
    if supplementary:
        checks.append(("indicators.supplementary", supplementary, supplementary_weight))
    for field, items, expected in checks:
        total = sum((item.weight for item in items), ZERO)
        if total != expected:
            raise AffordabilityInputError(
                field=field,
                code="weights",
                message=f"weights add up to {total}, not {expected}",
                params={"total": total, "expected": expected},
            )
    score = sum((item.weight * item.score for item in indicators), ZERO)
    return QualitativeResult(score=score, passes=score >= pass_mark)


@dataclass(frozen=True, kw_only=True)
class PublicSectorComparator:
    """The PSC (公共部门比较值) of 167号: what the government would spend doing the project itself, as a present value.

    = the reference project's net construction and O&M cost + competitive-neutrality adjustment
    + transferable risk + retained risk.
    """

    reference_cost: Decimal
    competitive_neutrality: Decimal = ZERO
    transferable_risk: Decimal = ZERO
    retained_risk: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.reference_cost + self.competitive_neutrality + self.transferable_risk + self.retained_risk


def present_value(*, amounts: Mapping[int, Decimal], discount_rate: Decimal, present_year: int) -> Decimal:
    """Σ amount / (1 + i)^(year − present_year): amounts of `present_year` are not discounted.

    167号 ties i to the 21号 discount rate (local bond yields of the same term); the caller passes it.
    """
    if not ZERO <= discount_rate < ONE:
        raise out_of_range("discount_rate", discount_rate, minimum=ZERO, exclusive_maximum=ONE)
    return sum(
        (amount / (ONE + discount_rate) ** (year - present_year) for year, amount in amounts.items()), ZERO
    )


def ppp_value(*, expenditure: ProjectExpenditure, discount_rate: Decimal, present_year: int) -> Decimal:
    """The PPP value (PPP值) of 167号: the present value of the government's four 21号 expenditure types."""
    return present_value(
        amounts={year: spent.total for year, spent in expenditure.by_year.items()},
        discount_rate=discount_rate,
        present_year=present_year,
    )


@dataclass(frozen=True, kw_only=True)
class QuantitativeResult:
    psc: Decimal
    ppp: Decimal
    amount: Decimal  # 物有所值量值 = PSC − PPP
    index: Decimal  # 物有所值指数 = (PSC − PPP) / PSC

    @property
    def passes(self) -> bool:
        # 167号: PPP at or below the PSC passes, so a zero amount passes.
        return self.amount >= 0


def quantitative_vfm(*, psc: Decimal, ppp: Decimal) -> QuantitativeResult:
    """The quantitative VfM of 财金〔2015〕167号: VfM amount = PSC − PPP and index = (PSC − PPP) / PSC."""
    if psc <= 0:
        raise out_of_range("psc", psc, exclusive_minimum=ZERO)
    if ppp < 0:
        raise out_of_range("ppp", ppp, minimum=ZERO)
    amount = psc - ppp
    return QuantitativeResult(psc=psc, ppp=ppp, amount=amount, index=amount / psc)
