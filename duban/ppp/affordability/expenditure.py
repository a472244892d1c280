"""The four kinds of expenditure responsibility of 财金〔2015〕21号 (equity, operating subsidy, risk,
supporting inputs), and a project's spending by year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .inputs import ONE, ZERO, AffordabilityInputError, PaymentMechanism, Project, amount_in, out_of_range


def annual_operating_subsidy(
    *,
    payment_mechanism: PaymentMechanism,
    construction_cost: Decimal,
    profit_rate: Decimal,
    discount_rate: Decimal,
    subsidy_years: int,
    n: int,
    operating_cost: Decimal,
    user_fees: Decimal = ZERO,
) -> Decimal:
    """The operating subsidy (运营补贴支出) of year n under 财金〔2015〕21号.

    Government pay: S_n = C × (1 + k) × (1 + i)^n / N + O_n × (1 + k).
    Viability gap:  the same − U_n, but never below zero: fees above the cost are the operator's (or
    shared under the contract's excess-profit clause), not budget income, and a negative subsidy
    would let one project's surplus hide another's burden in the 10% test.
    User pay: no subsidy. Not an annuity: contracts that pay an annuity use `duban.ppp.payments`.
    """
    if payment_mechanism is PaymentMechanism.USER_PAY:
        return ZERO
    capital = construction_cost * (ONE + profit_rate) * (ONE + discount_rate) ** n / subsidy_years
    subsidy = capital + operating_cost * (ONE + profit_rate)
    if payment_mechanism is PaymentMechanism.VIABILITY_GAP:
        subsidy = max(ZERO, subsidy - user_fees)
    return subsidy


def equity_expenditure(*, project_capital: Decimal, government_share: Decimal) -> Decimal:
    """Equity expenditure (股权投资支出) = project capital (项目资本金) × the government's share of the SPV, 21号."""
    if not ZERO <= government_share <= ONE:
        raise out_of_range("government_share", government_share, minimum=ZERO, maximum=ONE)
    return project_capital * government_share


def risk_by_ratio(*, base_cost: Decimal, ratio: Decimal) -> Decimal:
    """Risk-bearing expenditure by the ratio method (比例法), 21号: a share of construction or operating cost."""
    if not ZERO <= ratio <= ONE:
        raise out_of_range("ratio", ratio, minimum=ZERO, maximum=ONE)
    return base_cost * ratio


@dataclass(frozen=True, kw_only=True)
class RiskScenario:
    """One scenario of the scenario method (情景分析法): base, adverse or worst case."""

    name: str
    expenditure: Decimal
    probability: Decimal


def risk_by_scenarios(*, scenarios: Sequence[RiskScenario]) -> Decimal:
    """Risk-bearing expenditure by the scenario method (情景分析法), 21号: Σ expenditure × probability."""
    if not scenarios:
        raise AffordabilityInputError(field="scenarios", code="required", message="at least one scenario")
    for index, scenario in enumerate(scenarios):
        if not ZERO <= scenario.probability <= ONE:
            raise out_of_range(
                f"scenarios[{index}].probability", scenario.probability, minimum=ZERO, maximum=ONE
            )
    if sum((s.probability for s in scenarios), ZERO) != ONE:
        raise AffordabilityInputError(
            field="scenarios", code="probabilities", message="probabilities must add up to 1"
        )
    return sum((s.expenditure * s.probability for s in scenarios), ZERO)


def supporting_expenditure(*, input_cost: Decimal, fees_from_social_capital: Decimal) -> Decimal:
    """Supporting inputs (配套投入支出), 21号: the cost of what the government provides − what the partner pays.

    Never below zero, for the same reason as the operating subsidy: a net receipt is not a negative burden.
    """
    return max(ZERO, input_cost - fees_from_social_capital)


@dataclass(frozen=True, kw_only=True)
class ExpenditureByType:
    """The four kinds of expenditure responsibility of 财金〔2015〕21号 in one year."""

    equity: Decimal = ZERO
    subsidy: Decimal = ZERO
    risk: Decimal = ZERO
    supporting: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.equity + self.subsidy + self.risk + self.supporting

    def __add__(self, other: ExpenditureByType) -> ExpenditureByType:
        return ExpenditureByType(
            equity=self.equity + other.equity,
            subsidy=self.subsidy + other.subsidy,
            risk=self.risk + other.risk,
            supporting=self.supporting + other.supporting,
        )


@dataclass(frozen=True, kw_only=True)
class ProjectExpenditure:
    name: str
    by_year: Mapping[int, ExpenditureByType]
    subsidy_period: range = range(0)

    @property
    def subsidy(self) -> dict[int, Decimal]:
        """The operating subsidy in each year of the subsidy period, zero years included."""
        return {year: self.by_year[year].subsidy for year in self.subsidy_period}


def operating_subsidy_in(*, project: Project, year: int) -> Decimal:
    """The project's operating subsidy in a calendar year; n = 1 in `discount_start_year` (default: first operating year)."""
    if year not in project.subsidy_period:
        return ZERO
    assert project.operation_start_year is not None
    n = year - (project.discount_start_year or project.operation_start_year) + 1
    return annual_operating_subsidy(
        payment_mechanism=project.payment_mechanism,
        construction_cost=project.construction_cost,
        profit_rate=project.profit_rate,
        discount_rate=project.discount_rate,
        subsidy_years=project.subsidy_years,
        n=n,
        operating_cost=amount_in(project.operating_cost, year=year),
        user_fees=amount_in(project.user_fees, year=year),
    )


def project_expenditure(*, project: Project) -> ProjectExpenditure:
    """The project's four kinds of expenditure responsibility, for every year in which it has any."""
    years = sorted({*project.subsidy_period, *project.equity, *project.risk, *project.supporting})
    return ProjectExpenditure(
        name=project.name,
        by_year={
            year: ExpenditureByType(
                equity=project.equity.get(year, ZERO),
                subsidy=operating_subsidy_in(project=project, year=year),
                risk=project.risk.get(year, ZERO),
                supporting=project.supporting.get(year, ZERO),
            )
            for year in years
        },
        subsidy_period=project.subsidy_period,
    )
