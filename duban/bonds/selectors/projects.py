"""Reading the project library: the lists narrowed by the data scope and the one FilterSet of each list,
a project's parts (cash flows, debts, attachments, applications, money, timeline), its balance test (by
calling the balance package) and its document checklist."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from duban.accounts.scope import visible_to
from duban.core.filters import filtered

from .. import balance as bm
from .. import regulations
from ..filters import ApplicationFilterSet, ProjectFilterSet
from ..messages import input_error_message
from ..models import (
    REQUIRED_DOCUMENTS,
    ZERO,
    ApplicationOutcome,
    BondApplication,
    BondBatch,
    BondProject,
    BondRule,
    CashFlowRow,
    DebtKind,
    Disbursement,
    DocumentKind,
    ProjectDebt,
    ProjectDocument,
    ProjectEvent,
    ProjectState,
    Spending,
)

# ---------------------------------------------------------------------------------------------------
# Lists


def project_list(*, user, filters=None) -> QuerySet[BondProject]:
    """The projects the user may see, narrowed by the library's filters (a dict or the query string)."""
    projects = visible_to(
        user,
        BondProject.objects.select_related(
            "applying_unit", "supervising_department", "county", "investment_area", "batch"
        ),
    )
    return filtered(ProjectFilterSet, projects, filters, user=user)


# A project's parts are shown on the project's page: their history is readable with it.
PROJECT_PARTS = (
    CashFlowRow,
    ProjectDebt,
    ProjectDocument,
    BondApplication,
    Disbursement,
    Spending,
    ProjectEvent,
)


def project_part_reader(model):
    """The reader of one kind of a project's parts: the parts of the projects the user may see."""

    def reader(*, user) -> QuerySet:
        return model._default_manager.filter(project__in=project_list(user=user).values("pk"))

    return reader


def project_get(*, code: str) -> BondProject | None:
    """A project by its code, whoever asks (the command line, which runs as the operator)."""
    return BondProject.objects.filter(code=code).first()


def batch_list(*, user) -> QuerySet[BondBatch]:
    return visible_to(user, BondBatch.objects.all())


def batch_open_list(*, on) -> QuerySet[BondBatch]:
    """The batches a project may still be submitted in on the day, the earliest first."""
    return BondBatch.objects.filter(closes_on__gte=on).order_by("opens_on")


def finance_review_list(*, user) -> QuerySet[BondProject]:
    """Projects waiting for the finance bureau's review (待财政审核), those of the batch closing first on top."""
    return (
        project_list(user=user).filter(state=ProjectState.FINANCE_REVIEW).order_by("batch__closes_on", "pk")
    )


def open_batch_rows(*, user, on) -> QuerySet[BondBatch]:
    """Batches still open on the day, each with how many of its applications (in the user's reach) are
    pending, decided so far, and in all."""
    applications = visible_to(user, BondApplication.objects.all()).values("pk")
    mine = Q(applications__in=applications)
    return (
        batch_list(user=user)
        .filter(closes_on__gte=on)
        .annotate(
            application_count=Count("applications", filter=mine, distinct=True),
            pending_count=Count(
                "applications",
                filter=mine & Q(applications__outcome=ApplicationOutcome.PENDING),
                distinct=True,
            ),
        )
        .order_by("closes_on", "pk")
    )


def application_list(*, user, filters=None) -> QuerySet[BondApplication]:
    """The applications the user may see (those of their projects), narrowed by batch and outcome."""
    applications = visible_to(
        user, BondApplication.objects.select_related("project", "project__applying_unit", "batch")
    )
    return filtered(ApplicationFilterSet, applications, filters, user=user)


# ---------------------------------------------------------------------------------------------------
# A project's parts (the project has been found through project_list: its parts are the user's to read)


def cash_flow_list(project: BondProject) -> QuerySet[CashFlowRow]:
    return project.cash_flows.all()


def debt_list(project: BondProject) -> QuerySet[ProjectDebt]:
    return project.debts.all()


def document_list(project: BondProject) -> QuerySet[ProjectDocument]:
    return project.documents.all()


def disbursement_list(project: BondProject) -> QuerySet[Disbursement]:
    return project.disbursements.all()


def spending_list(project: BondProject) -> QuerySet[Spending]:
    return project.spendings.all()


def application_history(project: BondProject) -> QuerySet[BondApplication]:
    """The project's applications, the latest first."""
    return project.applications.select_related("batch").order_by("-submitted_at", "-pk")


def application_last(project: BondProject, *, outcome: str | None = None) -> BondApplication | None:
    """The project's latest application (with that outcome, where one is named)."""
    applications = application_history(project)
    return (applications.filter(outcome=outcome) if outcome else applications).first()


def event_list(project: BondProject) -> QuerySet[ProjectEvent]:
    """The project's timeline, oldest first."""
    return project.events.select_related("by", "batch")


def project_totals_match(project: BondProject) -> bool:
    """The running totals equal the tranche rows (a consistency check for tests and repairs)."""
    disbursed = project.disbursements.aggregate(s=Sum("amount"))["s"] or ZERO
    spent = project.spendings.aggregate(s=Sum("amount"))["s"] or ZERO
    return disbursed == project.disbursed_amount and spent == project.spent_amount


# ---------------------------------------------------------------------------------------------------
# The balance test of one project


def debt_to_balance(debt: ProjectDebt) -> bm.Debt:
    instalments = (
        {int(year): Decimal(str(fraction)) for year, fraction in debt.instalments.items()}
        if debt.instalments
        else None
    )
    return bm.Debt(
        principal=Decimal(debt.principal),
        rate=Decimal(debt.rate),
        issue_year=debt.issue_year,
        term_years=debt.term_years,
        instalments=instalments,
    )


def planned_bond(project: BondProject, rows: list[CashFlowRow]) -> bm.Debt:
    """The bond the project applies for, until a real one is issued: demand, expected rate, term."""
    if project.planned_start:
        year = project.planned_start.year
    elif rows:
        year = min(r.year for r in rows)
    else:
        year = timezone.localdate().year
    return bm.Debt(
        principal=Decimal(project.bond_demand),
        rate=Decimal(project.expected_rate),
        issue_year=year,
        term_years=project.term_years,
    )


@dataclass
class ProjectBalance:
    rule: BondRule
    result: bm.BalanceResult | None = None
    sensitivity: tuple[bm.SensitivityRow, ...] = ()
    error: str = ""
    schedules: list[dict] = field(default_factory=list)


def balance_input(project: BondProject, *, rule: BondRule | None = None) -> bm.BalanceInput:
    """The project's cash flows and debts as the input of the balance test (raises BalanceInputError)."""
    rule = rule or regulations.rule_for(category=project.category, on=regulations.reference_date(project))
    rows = list(project.cash_flows.all())
    debts = list(project.debts.all())
    issued = [d for d in debts if d.kind == DebtKind.BOND and d.is_issued]
    planned = [d for d in debts if d.kind == DebtKind.BOND and not d.is_issued]
    # An issued bond replaces the plan; before issuance, bonds entered by hand, else the demand.
    bond_rows = issued or planned
    bonds = tuple(debt_to_balance(d) for d in bond_rows) or (planned_bond(project, rows),)
    market = tuple(debt_to_balance(d) for d in debts if d.kind == DebtKind.MARKET)
    return bm.BalanceInput(
        name=project.name,
        years=tuple(
            bm.CashFlowYear(
                year=r.year,
                income=r.income_amounts(),
                operating_cost=Decimal(r.operating_cost),
                tax=Decimal(r.tax),
            )
            for r in rows
        ),
        bonds=bonds,
        market_financing=market,
        min_coverage=Decimal(rule.min_coverage),
        min_bond_coverage=None if rule.min_bond_coverage is None else Decimal(rule.min_bond_coverage),
        max_plausible_coverage=Decimal(rule.max_plausible_coverage),
    )


def project_balance(project: BondProject, *, with_sensitivity: bool = True) -> ProjectBalance:
    rule = regulations.rule_for(category=project.category, on=regulations.reference_date(project))
    outcome = ProjectBalance(rule=rule)
    try:
        inp = balance_input(project, rule=rule)
    except bm.BalanceInputError as error:
        outcome.error = input_error_message(error)
        return outcome
    outcome.schedules = [
        {"kind": kind, "debt": debt, "lines": debt.schedule()}
        for kind, debts in ((DebtKind.BOND, inp.bonds), (DebtKind.MARKET, inp.market_financing))
        for debt in debts
    ]
    outcome.result = bm.balance(inp)
    if with_sensitivity:
        outcome.sensitivity = bm.sensitivity(inp)
    return outcome


def document_checklist(project: BondProject) -> list[dict]:
    """Each required document with the files uploaded for it; `missing` when there are none."""
    by_kind: dict[str, list] = {}
    for document in project.documents.all():
        by_kind.setdefault(document.kind, []).append(document)
    labels = dict(DocumentKind.choices)
    items = [
        {
            "kind": kind,
            "label": labels[kind],
            "documents": by_kind.get(kind, []),
            "missing": kind not in by_kind,
        }
        for kind in REQUIRED_DOCUMENTS
    ]
    if DocumentKind.OTHER in by_kind:
        items.append(
            {
                "kind": DocumentKind.OTHER,
                "label": labels[DocumentKind.OTHER],
                "documents": by_kind[DocumentKind.OTHER],
                "missing": False,
            }
        )
    return items


def missing_documents(project: BondProject) -> list[str]:
    return [item["label"] for item in document_checklist(project) if item["missing"]]
