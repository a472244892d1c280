"""Fiscal affordability of the PPP programme (财政承受能力论证), 财金〔2015〕21号, with the gates of 财金〔2019〕10号.

Pure maths without Django, shared by the services, the `duban ppp affordability` command and the API.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
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


# --- validation helpers -------------------------------------------------------------------------


def _out_of_range(field: str, value: Decimal | int, **bounds: Any) -> AffordabilityInputError:
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
        raise _out_of_range(field, value, **{bound: minimum, "exclusive_maximum": ONE})


def _check_year(year: int, *, field: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise AffordabilityInputError(
            field=field,
            code="invalid_year",
            message=f"{year} is not a plausible year",
            params={"value": year},
        )


def _check_amounts(amounts: YearlyAmounts, *, field: str) -> None:
    for year, amount in amounts.items():
        _check_year(year, field=f"{field}.{year}")
        if amount < 0:
            raise _out_of_range(f"{field}.{year}", amount, minimum=ZERO)


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
                raise _out_of_range(name, value, exclusive_minimum=ZERO, maximum=ONE)
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
            _check_year(self.base_year, field="base_year")
        if self.base_expenditure is not None and self.base_expenditure <= 0:
            raise _out_of_range("base_expenditure", self.base_expenditure, exclusive_minimum=ZERO)
        # Growth may be negative (a shrinking budget), but not −100% or worse.
        if self.growth is not None and not -ONE < self.growth < ONE:
            raise _out_of_range("growth", self.growth, exclusive_minimum=-ONE, exclusive_maximum=ONE)
        for year, amount in self.expenditure.items():
            _check_year(year, field=f"expenditure.{year}")
            if amount <= 0:
                raise _out_of_range(f"expenditure.{year}", amount, exclusive_minimum=ZERO)

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
                raise _out_of_range(name, value, minimum=ZERO)
        for name in ("equity", "risk", "supporting"):
            _check_amounts(getattr(self, name), field=name)

    def _check_subsidy_terms(self) -> None:
        if self.operation_start_year is None:
            raise AffordabilityInputError(
                field="operation_start_year", code="required", message="needed for the operating subsidy"
            )
        _check_year(self.operation_start_year, field="operation_start_year")
        if self.discount_start_year is not None:
            _check_year(self.discount_start_year, field="discount_start_year")
            if self.discount_start_year > self.operation_start_year:
                raise _out_of_range(
                    "discount_start_year", self.discount_start_year, maximum=self.operation_start_year
                )
        if self.construction_cost <= 0:
            raise _out_of_range("construction_cost", self.construction_cost, exclusive_minimum=ZERO)
        _check_rate(self.profit_rate, field="profit_rate")
        _check_rate(self.discount_rate, field="discount_rate")
        # 财金〔2014〕113号 sets a 10-year minimum term, but a subsidy may run shorter than the term;
        # 50 years bounds the longest concessions (国办函〔2023〕115号: generally ≤ 40).
        if not 1 <= self.subsidy_years <= 50:
            raise _out_of_range("subsidy_years", self.subsidy_years, minimum=1, maximum=50)

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


def _amount_in(value: PerYearOrConstant, *, year: int) -> Decimal:
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


# --- the four kinds of expenditure responsibility -------------------------------------------------


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
        raise _out_of_range("government_share", government_share, minimum=ZERO, maximum=ONE)
    return project_capital * government_share


def risk_by_ratio(*, base_cost: Decimal, ratio: Decimal) -> Decimal:
    """Risk-bearing expenditure by the ratio method (比例法), 21号: a share of construction or operating cost."""
    if not ZERO <= ratio <= ONE:
        raise _out_of_range("ratio", ratio, minimum=ZERO, maximum=ONE)
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
            raise _out_of_range(
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
        operating_cost=_amount_in(project.operating_cost, year=year),
        user_fees=_amount_in(project.user_fees, year=year),
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


# --- the affordability test ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class YearAssessment:
    """One year of the test: all projects plus existing obligations against budget expenditure."""

    year: int
    budget_expenditure: Decimal
    existing_obligations: Decimal
    by_type: ExpenditureByType
    obligations: Decimal
    ratio: Decimal
    within_cap: bool
    warning: bool
    gov_pay_allowed: bool


@dataclass(frozen=True, kw_only=True)
class AffordabilityReport:
    thresholds: Thresholds
    years: tuple[YearAssessment, ...]
    projects: tuple[ProjectExpenditure, ...]

    @property
    def within_cap(self) -> bool:
        return all(year.within_cap for year in self.years)

    @property
    def gov_pay_allowed(self) -> bool:
        return all(year.gov_pay_allowed for year in self.years)

    @property
    def peak(self) -> YearAssessment | None:
        return max(self.years, key=lambda year: year.ratio, default=None)


def _years_covered(programme: Programme, projects: Iterable[ProjectExpenditure]) -> range:
    # A contiguous range, so a chart of the ratio has no holes in quiet years.
    years = {*programme.existing_obligations}
    for spent in projects:
        years.update(spent.by_year)
    if not years:
        return range(0)
    return range(min(years), max(years) + 1)


def assess(*, programme: Programme) -> AffordabilityReport:
    """The yearly ratio of all PPP expenditure responsibility to budget expenditure, 财金〔2015〕21号.

    Each year is flagged against the cap (21号), the warning line and the gate for new government-pay
    projects (财金〔2019〕10号), all taken from `programme.thresholds`.
    """
    thresholds = programme.thresholds
    projects = tuple(project_expenditure(project=project) for project in programme.projects)
    years = []
    for year in _years_covered(programme, projects):
        try:
            budget = programme.budget.expenditure_in(year=year)
        except AffordabilityInputError as error:
            raise error.within("budget") from None
        by_type = sum(
            (spent.by_year.get(year, ExpenditureByType()) for spent in projects), ExpenditureByType()
        )
        existing = programme.existing_obligations.get(year, ZERO)
        obligations = existing + by_type.total
        ratio = obligations / budget
        years.append(
            YearAssessment(
                year=year,
                budget_expenditure=budget,
                existing_obligations=existing,
                by_type=by_type,
                obligations=obligations,
                ratio=ratio,
                within_cap=ratio <= thresholds.cap,
                warning=ratio > thresholds.warning,
                gov_pay_allowed=ratio <= thresholds.gov_pay_gate,
            )
        )
    return AffordabilityReport(thresholds=thresholds, years=tuple(years), projects=projects)


@dataclass(frozen=True, kw_only=True)
class Refusal:
    """Why a new project may not go ahead: a machine code and the years concerned."""

    code: str  # "above_cap", "above_gov_pay_gate" or "concession_only"
    years: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class NewProjectCheck:
    """The "what if we add this project" check before a new project is approved."""

    candidate: str
    before: AffordabilityReport
    after: AffordabilityReport
    refusals: tuple[Refusal, ...]

    @property
    def allowed(self) -> bool:
        return not self.refusals


def check_new_project(
    *,
    programme: Programme,
    candidate: Project,
    gate_includes_candidate: bool = True,
    decided_on: date | None = None,
    concession_only_from: date | None = None,
) -> NewProjectCheck:
    """May the region add `candidate`? The rules of 财金〔2015〕21号, 财金〔2019〕10号 and 国办函〔2023〕115号.

    - With the candidate added, no year may be above the cap (21号; 10号: no new projects above it).
    - A government-pay candidate is refused if a year is above the gov-pay gate (10号). By default the
      gate is tested with the candidate included, so a project cannot itself carry the region over
      the gate; `gate_includes_candidate=False` tests the region as it stands, the literal reading.
    - From `concession_only_from` (2023-11-03 for 115号, passed in rather than fixed so provinces and
      tests can date it) new projects may not be government-pay or viability-gap.
    """
    before = assess(programme=programme)
    try:
        after = assess(programme=programme.with_project(candidate))
    except AffordabilityInputError as error:
        if error.field == f"projects[{len(programme.projects)}].name":
            raise AffordabilityInputError(
                field="candidate.name", code=error.code, message=error.message, params=error.params
            ) from None
        raise
    refusals = []
    above_cap = tuple(year.year for year in after.years if not year.within_cap)
    if above_cap:
        refusals.append(Refusal(code="above_cap", years=above_cap))
    if candidate.payment_mechanism is PaymentMechanism.GOVERNMENT_PAY:
        gated = after if gate_includes_candidate else before
        above_gate = tuple(year.year for year in gated.years if not year.gov_pay_allowed)
        if above_gate:
            refusals.append(Refusal(code="above_gov_pay_gate", years=above_gate))
    if (
        decided_on is not None
        and concession_only_from is not None
        and decided_on >= concession_only_from
        and candidate.pays_subsidy
    ):
        refusals.append(Refusal(code="concession_only"))
    return NewProjectCheck(candidate=candidate.name, before=before, after=after, refusals=tuple(refusals))


# --- reading the JSON input ---------------------------------------------------------------------

_PROGRAMME_KEYS = ("cap", "warning", "gov_pay_gate", "budget", "existing_obligations", "projects")
_BUDGET_KEYS = ("base_year", "base_expenditure", "growth", "expenditure")
_PROJECT_KEYS = (
    "name",
    "payment_mechanism",
    "construction_cost",
    "profit_rate",
    "discount_rate",
    "subsidy_years",
    "operation_start_year",
    "discount_start_year",
    "operating_cost",
    "user_fees",
    "equity",
    "risk",
    "supporting",
)


def _type_error(field: str, expected: str) -> AffordabilityInputError:
    return AffordabilityInputError(
        field=field, code="invalid_type", message=f"expected {expected}", params={"expected": expected}
    )


def _object(value: object, *, field: str, allowed: Sequence[str] | None = None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _type_error(field, "object")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                # Unknown keys are rejected: a misspelt optional field would otherwise vanish silently.
                raise AffordabilityInputError(
                    field=f"{field}.{key}" if field else str(key),
                    code="unknown_field",
                    message="unknown field",
                    params={"allowed": tuple(allowed)},
                )
    return value


def _required(data: Mapping[str, Any], key: str, *, prefix: str) -> Any:
    if key not in data or data[key] is None:
        raise AffordabilityInputError(
            field=f"{prefix}.{key}" if prefix else key, code="required", message="required"
        )
    return data[key]


def _decimal(value: object, *, field: str) -> Decimal:
    # bool is an int in Python, but `true` is never an amount.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _type_error(field, "number")
    # Through str, so 0.035 stays 0.035 rather than its binary neighbour.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise _type_error(field, "number")
    return number


def _integer(value: object, *, field: str) -> int:
    if isinstance(value, bool):
        raise _type_error(field, "integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)
    raise _type_error(field, "integer")


def _year_key(key: object, *, field: str) -> int:
    text = str(key).strip()
    if not text.isascii() or not text.isdigit():
        raise AffordabilityInputError(
            field=f"{field}.{key}", code="invalid_year", message="not a year", params={"value": key}
        )
    year = int(text)
    _check_year(year, field=f"{field}.{key}")
    return year


def _yearly(value: object, *, field: str) -> dict[int, Decimal]:
    data = _object(value, field=field)
    return {
        _year_key(key, field=field): _decimal(amount, field=f"{field}.{key}") for key, amount in data.items()
    }


def _per_year_or_constant(value: object, *, field: str) -> PerYearOrConstant:
    if isinstance(value, Mapping):
        return _yearly(value, field=field)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _type_error(field, "number_or_yearly")
    return _decimal(value, field=field)


def _budget_from_dict(value: object) -> BudgetProjection:
    data = _object(value, field="budget", allowed=_BUDGET_KEYS)
    try:
        return BudgetProjection(
            base_year=_integer(data["base_year"], field="budget.base_year") if "base_year" in data else None,
            base_expenditure=(
                _decimal(data["base_expenditure"], field="budget.base_expenditure")
                if "base_expenditure" in data
                else None
            ),
            growth=_decimal(data["growth"], field="budget.growth") if "growth" in data else None,
            expenditure=_yearly(data.get("expenditure", {}), field="budget.expenditure"),
        )
    except AffordabilityInputError as error:
        if error.field.startswith("budget"):
            raise
        raise error.within("budget") from None


def _mechanism(value: object, *, field: str) -> PaymentMechanism:
    try:
        return PaymentMechanism(value)
    except ValueError:
        raise AffordabilityInputError(
            field=field,
            code="invalid_choice",
            message=f"{value!r} is not one of {[m.value for m in PaymentMechanism]}",
            params={"value": value, "choices": tuple(m.value for m in PaymentMechanism)},
        ) from None


def project_from_dict(value: object, *, field: str = "project") -> Project:
    """A `Project` from its JSON form; errors name the field under `field` (e.g. `projects[0].discount_rate`)."""
    data = _object(value, field=field, allowed=_PROJECT_KEYS)
    name = _required(data, "name", prefix=field)
    if not isinstance(name, str):
        raise _type_error(f"{field}.name", "string")
    mechanism = _mechanism(
        _required(data, "payment_mechanism", prefix=field), field=f"{field}.payment_mechanism"
    )
    # The subsidy terms are needed only where the government subsidises; a user-pay project may omit them.
    needs_terms = mechanism is not PaymentMechanism.USER_PAY
    terms: dict[str, Any] = {}
    for key, read in (
        ("construction_cost", _decimal),
        ("profit_rate", _decimal),
        ("discount_rate", _decimal),
        ("subsidy_years", _integer),
        ("operation_start_year", _integer),
    ):
        if needs_terms:
            terms[key] = read(_required(data, key, prefix=field), field=f"{field}.{key}")
        elif data.get(key) is not None:
            terms[key] = read(data[key], field=f"{field}.{key}")
    if data.get("discount_start_year") is not None:
        terms["discount_start_year"] = _integer(
            data["discount_start_year"], field=f"{field}.discount_start_year"
        )
    for key in ("operating_cost", "user_fees"):
        if data.get(key) is not None:
            terms[key] = _per_year_or_constant(data[key], field=f"{field}.{key}")
    for key in ("equity", "risk", "supporting"):
        terms[key] = _yearly(data.get(key) or {}, field=f"{field}.{key}")
    try:
        return Project(name=name, payment_mechanism=mechanism, **terms)
    except AffordabilityInputError as error:
        raise error.within(field) from None


def programme_from_dict(data: object) -> Programme:
    """A `Programme` from the JSON of `duban ppp affordability` (amounts in 万元, calendar years as keys)."""
    root = _object(data, field="", allowed=_PROGRAMME_KEYS)
    thresholds = Thresholds(
        **{
            name: _decimal(_required(root, name, prefix=""), field=name)
            for name in ("cap", "warning", "gov_pay_gate")
        }
    )
    projects_value = root.get("projects", [])
    if not isinstance(projects_value, list):
        raise _type_error("projects", "array")
    projects = [
        project_from_dict(item, field=f"projects[{index}]") for index, item in enumerate(projects_value)
    ]
    return Programme(
        thresholds=thresholds,
        budget=_budget_from_dict(_required(root, "budget", prefix="")),
        existing_obligations=_yearly(root.get("existing_obligations") or {}, field="existing_obligations"),
        projects=projects,
    )


# --- output ---------------------------------------------------------------------------------------


def money(amount: Decimal) -> Decimal:
    """Amounts are shown to the cent of a 万元 (100 元), rounded half up as in budget tables."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def report_as_dict(report: AffordabilityReport) -> dict[str, Any]:
    """The JSON shape of `duban ppp affordability --json`, shared with the API; amounts rounded, ratios to 6 places."""

    def number(amount: Decimal) -> float:
        return float(money(amount))

    return {
        "years": [
            {
                "year": year.year,
                "budget_expenditure": number(year.budget_expenditure),
                "existing_obligations": number(year.existing_obligations),
                "obligations": number(year.obligations),
                "by_type": {
                    "equity": number(year.by_type.equity),
                    "subsidy": number(year.by_type.subsidy),
                    "risk": number(year.by_type.risk),
                    "supporting": number(year.by_type.supporting),
                },
                "ratio": float(year.ratio.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)),
                "within_cap": year.within_cap,
                "warning": year.warning,
                "gov_pay_allowed": year.gov_pay_allowed,
            }
            for year in report.years
        ],
        "projects": [
            {
                "name": spent.name,
                "subsidy": {str(year): number(amount) for year, amount in spent.subsidy.items()},
            }
            for spent in report.projects
        ],
    }
