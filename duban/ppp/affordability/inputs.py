"""The inputs of the affordability test and their validation: the lines, the budget, a project's terms,
the programme; every bad value is an `AffordabilityInputError` naming its field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeAlias

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
# Years outside this window are typing mistakes, not plans.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

YearlyAmounts: TypeAlias = Mapping[int, Decimal]
PerYearOrConstant: TypeAlias = Decimal | YearlyAmounts


class AffordabilityInputError(ValueError):
    """Invalid input: `field` is the path of the offending value, `code` a stable machine code.

    The Django layer translates `code` and `params`; the English message is for logs and tracebacks.
    Codes: required, invalid_type, invalid_choice, invalid_year, out_of_range, unknown_field,
    duplicate, missing_year, not_applicable, exceeds_cap, probabilities, weights.
    """

    def __init__(self, *, field: str, code: str, message: str, params: Mapping[str, Any] | None = None):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.code = code
        self.message = message
        self.params: dict[str, Any] = dict(params or {})

    def within(self, prefix: str) -> AffordabilityInputError:
        """The same error with its field placed under `prefix` (`discount_rate` → `projects[0].discount_rate`)."""
        if not self.field:
            joined = prefix
        elif self.field.startswith("["):
            joined = f"{prefix}{self.field}"
        else:
            joined = f"{prefix}.{self.field}"
        return AffordabilityInputError(field=joined, code=self.code, message=self.message, params=self.params)


class PaymentMechanism(StrEnum):
    """The three return mechanisms (回报机制) of 财金〔2014〕113号."""

    GOVERNMENT_PAY = "government_pay"  # 政府付费
    VIABILITY_GAP = "viability_gap"  # 可行性缺口补助
    USER_PAY = "user_pay"  # 使用者付费


# --- validation helpers (shared by the other modules of the package) -------------------------------


def out_of_range(field: str, value: Decimal | int, **bounds: Any) -> AffordabilityInputError:
    return AffordabilityInputError(
        field=field,
        code="out_of_range",
        message=f"{value} is out of range {bounds}",
        params={"value": value, **bounds},
    )


def _check_rate(
    value: Decimal, *, field: str, minimum: Decimal = ZERO, exclusive_minimum: bool = False
) -> None:
    """Rates are fractions (0.035, not 3.5): anything at or above 1 is almost surely a percentage typed in."""
    too_low = value <= minimum if exclusive_minimum else value < minimum
    if too_low or value >= ONE:
        bound = "exclusive_minimum" if exclusive_minimum else "minimum"
        raise out_of_range(field, value, **{bound: minimum, "exclusive_maximum": ONE})


def check_year(year: int, *, field: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise AffordabilityInputError(
            field=field,
            code="invalid_year",
            message=f"{year} is not a plausible year",
            params={"value": year},
        )


def _check_amounts(amounts: YearlyAmounts, *, field: str) -> None:
    for year, amount in amounts.items():
        check_year(year, field=f"{field}.{year}")
        if amount < 0:
            raise out_of_range(f"{field}.{year}", amount, minimum=ZERO)


def _frozen(amounts: Mapping[int, Decimal]) -> YearlyAmounts:
    return MappingProxyType(dict(amounts))


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """The ratios of expenditure responsibility to general public budget expenditure that trigger rules.

    Parameters, not constants: provinces may file their own cap under 财金〔2015〕21号, and the
    warning and gate come from 财金〔2019〕10号; the Django layer picks the set in force on a date.
    A ratio *above* (超过) the warning warns; *above* the gate forbids new government-pay projects;
    the cap holds while the ratio is *not above* it (不超过10%).
    """

    cap: Decimal
    warning: Decimal
    gov_pay_gate: Decimal

    def __post_init__(self) -> None:
        for name in ("cap", "warning", "gov_pay_gate"):
            value = getattr(self, name)
            if not ZERO < value <= ONE:
                raise out_of_range(name, value, exclusive_minimum=ZERO, maximum=ONE)
        # A warning or gate above the cap would never fire before the cap does: a swapped pair.
        for name in ("warning", "gov_pay_gate"):
            if getattr(self, name) > self.cap:
                raise AffordabilityInputError(
                    field=name,
                    code="exceeds_cap",
                    message=f"{name} {getattr(self, name)} is above the cap {self.cap}",
                    params={"value": getattr(self, name), "cap": self.cap},
                )


@dataclass(frozen=True, kw_only=True)
class BudgetProjection:
    """General public budget expenditure (一般公共预算支出) by year.

    Explicit figures win; other years are projected as base × (1 + growth)^(year − base_year), the
    practice of 财金〔2015〕21号 of growing recent expenditure at its recent average rate.
    """

    base_year: int | None = None
    base_expenditure: Decimal | None = None
    growth: Decimal | None = None
    expenditure: YearlyAmounts = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "expenditure", _frozen(self.expenditure))
        projection = (self.base_year, self.base_expenditure, self.growth)
        if not self.expenditure and any(part is None for part in projection):
            missing = next(
                name
                for name, part in zip(("base_year", "base_expenditure", "growth"), projection, strict=True)
                if part is None
            )
            raise AffordabilityInputError(
                field=missing, code="required", message="needed to project expenditure"
            )
        if self.base_year is not None:
            check_year(self.base_year, field="base_year")
        if self.base_expenditure is not None and self.base_expenditure <= 0:
            raise out_of_range("base_expenditure", self.base_expenditure, exclusive_minimum=ZERO)
        # Growth may be negative (a shrinking budget), but not −100% or worse.
        if self.growth is not None and not -ONE < self.growth < ONE:
            raise out_of_range("growth", self.growth, exclusive_minimum=-ONE, exclusive_maximum=ONE)
        for year, amount in self.expenditure.items():
            check_year(year, field=f"expenditure.{year}")
            if amount <= 0:
                raise out_of_range(f"expenditure.{year}", amount, exclusive_minimum=ZERO)

    @property
    def can_project(self) -> bool:
        return None not in (self.base_year, self.base_expenditure, self.growth)

    def expenditure_in(self, *, year: int) -> Decimal:
        if year in self.expenditure:
            return self.expenditure[year]
        if not self.can_project:
            raise AffordabilityInputError(
                field="expenditure",
                code="missing_year",
                message=f"no expenditure for {year} and no base to project it from",
                params={"year": year},
            )
        assert self.base_year is not None and self.base_expenditure is not None and self.growth is not None
        return self.base_expenditure * (ONE + self.growth) ** (year - self.base_year)


@dataclass(frozen=True, kw_only=True)
class Project:
    """One PPP project's inputs to the four kinds of expenditure responsibility of 财金〔2015〕21号.

    `equity`, `risk` and `supporting` are the government's amounts by year, already worked out (see
    `equity_expenditure`, `risk_by_ratio`, `risk_by_scenarios`, `supporting_expenditure`).
    `operating_cost` and `user_fees` are one amount for every operating year or amounts by year
    (a year left out counts as zero). `discount_start_year` is the year in which n = 1; it defaults
    to the first operating year, because 21号 leaves open whether n counts from construction.
    """

    name: str
    payment_mechanism: PaymentMechanism
    construction_cost: Decimal = ZERO
    profit_rate: Decimal = ZERO
    discount_rate: Decimal = ZERO
    subsidy_years: int = 0
    operation_start_year: int | None = None
    discount_start_year: int | None = None
    operating_cost: PerYearOrConstant = ZERO
    user_fees: PerYearOrConstant = ZERO
    equity: YearlyAmounts = field(default_factory=dict)
    risk: YearlyAmounts = field(default_factory=dict)
    supporting: YearlyAmounts = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("operating_cost", "user_fees", "equity", "risk", "supporting"):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                object.__setattr__(self, name, _frozen(value))
        if not self.name.strip():
            raise AffordabilityInputError(field="name", code="required", message="a project needs a name")
        object.__setattr__(self, "payment_mechanism", PaymentMechanism(self.payment_mechanism))
        if self.pays_subsidy:
            self._check_subsidy_terms()
        if self.payment_mechanism is PaymentMechanism.GOVERNMENT_PAY and self._has_user_fees():
            # A project whose users pay is a viability-gap project; counting it as government-pay
            # would overstate the government's burden, so refuse rather than silently ignore the fees.
            raise AffordabilityInputError(
                field="user_fees",
                code="not_applicable",
                message="a government-pay project has no user fees; use viability_gap",
            )
        for name in ("operating_cost", "user_fees"):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                _check_amounts(value, field=name)
            elif value < 0:
                raise out_of_range(name, value, minimum=ZERO)
        for name in ("equity", "risk", "supporting"):
            _check_amounts(getattr(self, name), field=name)

    def _check_subsidy_terms(self) -> None:
        if self.operation_start_year is None:
            raise AffordabilityInputError(
                field="operation_start_year", code="required", message="needed for the operating subsidy"
            )
        check_year(self.operation_start_year, field="operation_start_year")
        if self.discount_start_year is not None:
            check_year(self.discount_start_year, field="discount_start_year")
            if self.discount_start_year > self.operation_start_year:
                raise out_of_range(
                    "discount_start_year", self.discount_start_year, maximum=self.operation_start_year
                )
        if self.construction_cost <= 0:
            raise out_of_range("construction_cost", self.construction_cost, exclusive_minimum=ZERO)
        _check_rate(self.profit_rate, field="profit_rate")
        _check_rate(self.discount_rate, field="discount_rate")
        # 财金〔2014〕113号 sets a 10-year minimum term, but a subsidy may run shorter than the term;
        # 50 years bounds the longest concessions (国办函〔2023〕115号: generally ≤ 40).
        if not 1 <= self.subsidy_years <= 50:
            raise out_of_range("subsidy_years", self.subsidy_years, minimum=1, maximum=50)

    def _has_user_fees(self) -> bool:
        fees = self.user_fees
        return any(fees.values()) if isinstance(fees, Mapping) else fees != 0

    @property
    def pays_subsidy(self) -> bool:
        return self.payment_mechanism is not PaymentMechanism.USER_PAY

    @property
    def subsidy_period(self) -> range:
        if not self.pays_subsidy or self.operation_start_year is None:
            return range(0)
        return range(self.operation_start_year, self.operation_start_year + self.subsidy_years)


def amount_in(value: PerYearOrConstant, *, year: int) -> Decimal:
    if isinstance(value, Mapping):
        return value.get(year, ZERO)
    return value


@dataclass(frozen=True, kw_only=True)
class Programme:
    """Everything the affordability test of 财金〔2015〕21号 needs for one region."""

    thresholds: Thresholds
    budget: BudgetProjection
    existing_obligations: YearlyAmounts = field(default_factory=dict)
    projects: Sequence[Project] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "existing_obligations", _frozen(self.existing_obligations))
        object.__setattr__(self, "projects", tuple(self.projects))
        _check_amounts(self.existing_obligations, field="existing_obligations")
        seen: set[str] = set()
        for index, project in enumerate(self.projects):
            if project.name in seen:
                raise AffordabilityInputError(
                    field=f"projects[{index}].name",
                    code="duplicate",
                    message=f"two projects are named {project.name!r}",
                    params={"value": project.name},
                )
            seen.add(project.name)

    def with_project(self, project: Project) -> Programme:
        return replace(self, projects=(*self.projects, project))
