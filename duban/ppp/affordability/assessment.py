"""The affordability test itself: the yearly ratio against the lines, and the "what if we add this
project" check (财金〔2015〕21号, 财金〔2019〕10号, 国办函〔2023〕115号)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .expenditure import ExpenditureByType, ProjectExpenditure, project_expenditure
from .inputs import ZERO, AffordabilityInputError, PaymentMechanism, Programme, Project, Thresholds


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
