"""Performance-linked government payments of a PPP contract: 财金〔2019〕10号, 财办金〔2017〕92号, 财金〔2020〕13号.

Pure maths without Django: the payment coefficient from the annual score, the amount due, and arrears.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from duban.ppp.affordability import ONE, ZERO, out_of_range


@dataclass(frozen=True, kw_only=True)
class ScoreBand:
    """Scores from `min_score` up to the next band (or the full-payment score) pay `coefficient`."""

    min_score: Decimal
    coefficient: Decimal


@dataclass(frozen=True, kw_only=True)
class PerformancePaymentRule:
    """The contract's payment rule: a score of `full_payment_score` or more pays in full (100%), below it
    the contract's coefficient applies (财金〔2020〕13号; 80 points in most contracts, a parameter here).

    A contract with one coefficient has one band from 0; a score below every band pays nothing.
    """

    full_payment_score: Decimal
    bands: Sequence[ScoreBand]

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda band: band.min_score)))
        if not ZERO < self.full_payment_score <= 100:
            raise out_of_range(
                "full_payment_score", self.full_payment_score, exclusive_minimum=ZERO, maximum=Decimal(100)
            )
        for index, band in enumerate(self.bands):
            if not ZERO <= band.min_score < self.full_payment_score:
                raise out_of_range(
                    f"bands[{index}].min_score",
                    band.min_score,
                    minimum=ZERO,
                    exclusive_maximum=self.full_payment_score,
                )
            # Above 1, a score below the full-payment mark would earn more than a full score.
            if not ZERO <= band.coefficient <= ONE:
                raise out_of_range(f"bands[{index}].coefficient", band.coefficient, minimum=ZERO, maximum=ONE)

    def coefficient(self, *, score: Decimal) -> Decimal:
        if not ZERO <= score <= 100:
            raise out_of_range("score", score, minimum=ZERO, maximum=Decimal(100))
        if score >= self.full_payment_score:
            return ONE
        applicable = [band for band in self.bands if band.min_score <= score]
        return applicable[-1].coefficient if applicable else ZERO


def payment_due(*, rule: PerformancePaymentRule, score: Decimal, full_amount: Decimal) -> Decimal:
    """The amount due for a year: the full amount × the coefficient the annual performance score earns.

    财金〔2019〕10号 requires payment fully linked to performance, so there is no floor here.
    """
    if full_amount < 0:
        raise out_of_range("full_amount", full_amount, minimum=ZERO)
    return full_amount * rule.coefficient(score=score)


def performance_payment(
    *,
    construction_payment: Decimal,
    operating_cost: Decimal,
    construction_coefficient: Decimal,
    operating_coefficient: Decimal,
    linked_share: Decimal = Decimal("0.30"),
) -> Decimal:
    """A contract formula of the 70/30 kind (巴中市恩阳医养园, 2018): R1 × C × (1 − s) + R2 × (O + C × s).

    C is the year's construction payment, O the O&M cost, s the share of construction cost tied to
    operating performance — at least 30% under 财办金〔2017〕92号, see `is_enough_linked`.
    """
    if not ZERO <= linked_share <= ONE:
        raise out_of_range("linked_share", linked_share, minimum=ZERO, maximum=ONE)
    return construction_coefficient * construction_payment * (ONE - linked_share) + operating_coefficient * (
        operating_cost + construction_payment * linked_share
    )


def is_enough_linked(*, linked_share: Decimal, minimum_share: Decimal = Decimal("0.30")) -> bool:
    """财办金〔2017〕92号: below `minimum_share` of construction cost tied to performance, the government's
    obligation counts as fixed and the project is to leave the project library.
    """
    return linked_share >= minimum_share


@dataclass(frozen=True, kw_only=True)
class PaymentPosition:
    """One year's payments as the contract-performance review sees them: due, budgeted and paid."""

    due: Decimal
    budgeted: Decimal
    paid: Decimal

    @property
    def arrears(self) -> Decimal:
        """欠付: due but not paid."""
        return max(ZERO, self.due - self.paid)

    @property
    def overpayment(self) -> Decimal:
        """超付: paid beyond what performance earned."""
        return max(ZERO, self.paid - self.due)

    @property
    def unbudgeted(self) -> Decimal:
        """Due but not in the budget, against 113号 and 财金〔2015〕57号's rule that payments be budgeted."""
        return max(ZERO, self.due - self.budgeted)
