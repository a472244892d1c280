"""Reading the bond programme: lists narrowed by the data scope, the balance test of a project (by
calling the balance package), the document checklist, and the figures other apps (weekly bulletin, ranking) use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from duban.accounts.scope import visible_to

from . import balance as bm
from . import regulations
from .messages import input_error_message
from .models import (
    REQUIRED_DOCUMENTS,
    ApplicationOutcome,
    BondApplication,
    BondBatch,
    BondProject,
    BondRule,
    CashFlowRow,
    DebtKind,
    DocumentKind,
    ProjectDebt,
    ProjectTheme,
    SpendingTarget,
)

ZERO = Decimal(0)


# ---------------------------------------------------------------------------------------------------
# Lists


def project_list(*, user, filters: dict | None = None) -> QuerySet[BondProject]:
    projects = visible_to(
        user,
        BondProject.objects.select_related(
            "applying_unit", "supervising_department", "county", "investment_area", "batch"
        ),
    )
    filters = filters or {}
    if query := (filters.get("q") or "").strip():
        projects = projects.filter(Q(name__icontains=query) | Q(code__icontains=query))
    for name in ("theme", "state", "category", "construction_status"):
        if value := filters.get(name):
            projects = projects.filter(**{name: value})
    for name in ("county", "supervising_department", "applying_unit", "batch", "investment_area"):
        if value := filters.get(name):
            projects = projects.filter(**{f"{name}_id": getattr(value, "pk", value)})
    return projects


def project_get(*, user, pk) -> BondProject:
    return project_list(user=user).get(pk=pk)


def batch_list(*, user) -> QuerySet[BondBatch]:
    return visible_to(user, BondBatch.objects.all())


def application_list(*, user, batch: BondBatch | None = None) -> QuerySet[BondApplication]:
    applications = visible_to(
        user, BondApplication.objects.select_related("project", "project__applying_unit", "batch")
    )
    return applications.filter(batch=batch) if batch is not None else applications


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


# ---------------------------------------------------------------------------------------------------
# Figures (weekly bulletin, ranking, the programme overview)


def _rate(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


GROUPS = {
    "batch": ("batch_id", "batch__name"),
    "county": ("project__county_id", "project__county__short_name"),
    "supervising_department": (
        "project__supervising_department_id",
        "project__supervising_department__short_name",
    ),
    "theme": ("project__theme", "project__theme"),
}


def success_rates(*, user, by: str, year: int | None = None) -> list[dict]:
    """申报成功率 per group: by count (approved ÷ submitted) and by amount (approved ÷ applied).

    Submitted counts every application of the group, decided or not; approved means it passed the
    final review (the two ministries, or the province under 自审自发).
    """
    key, label = GROUPS[by]
    applications = visible_to(user, BondApplication.objects.all())
    if year is not None:
        applications = applications.filter(batch__year=year)
    amount = DecimalField(max_digits=16, decimal_places=2)
    approved = Q(outcome=ApplicationOutcome.APPROVED)
    rows = (
        applications.values(key, label)
        .annotate(
            submitted=Count("pk"),
            approved=Count("pk", filter=approved),
            returned=Count("pk", filter=Q(outcome=ApplicationOutcome.RETURNED)),
            applied=Coalesce(Sum("applied_amount"), Value(ZERO), output_field=amount),
            approved_amount=Coalesce(
                Sum("applied_amount", filter=approved), Value(ZERO), output_field=amount
            ),
            allocated=Coalesce(Sum("allocated_amount"), Value(ZERO), output_field=amount),
        )
        .order_by(label)
    )
    themes = dict(ProjectTheme.choices)
    result = []
    for row in rows:
        name = row[label]
        if by == "theme":
            name = str(themes.get(name, name))
        result.append(
            {
                "key": row[key],
                "label": name or "—",
                "submitted": row["submitted"],
                "approved": row["approved"],
                "returned": row["returned"],
                "count_rate": _rate(row["approved"], row["submitted"]),
                "applied": row["applied"],
                "approved_amount": row["approved_amount"],
                "amount_rate": _rate(row["approved_amount"], row["applied"]),
                "allocated": row["allocated"],
            }
        )
    return result


def quota_won(*, user, year: int) -> dict:
    """额度争取: quota allocated in the year, and its change on the year before."""
    applications = visible_to(user, BondApplication.objects.all())

    def total(y: int) -> Decimal:
        return applications.filter(allocated_on__year=y).aggregate(s=Sum("allocated_amount"))["s"] or ZERO

    this, last = total(year), total(year - 1)
    return {
        "year": year,
        "quota": this,
        "last_year": last,
        "change": this - last,
        "change_rate": _rate(this - last, last),
    }


def programme_totals(*, user, filters: dict | None = None) -> dict:
    projects = project_list(user=user, filters=filters)
    sums = projects.aggregate(
        demand=Sum("bond_demand"),
        quota=Sum("quota_allocated"),
        issued=Sum("issued_amount"),
        disbursed=Sum("disbursed_amount"),
        spent=Sum("spent_amount"),
        count=Count("pk"),
    )
    totals = {k: (v or ZERO) if k != "count" else v for k, v in sums.items()}
    totals["issuance_progress"] = _rate(totals["issued"], totals["quota"])
    totals["spending_progress"] = _rate(totals["spent"], totals["issued"])
    return totals


def spending_target(*, on: date) -> Decimal | None:
    target = SpendingTarget.objects.filter(year=on.year, month=on.month).first()
    return target.target_ratio if target else None


def spending_progress(*, user, on: date | None = None) -> dict:
    """支出进度 = spent ÷ issued, against the city's target for the month."""
    on = on or timezone.localdate()
    totals = programme_totals(user=user)
    target = spending_target(on=on)
    progress = totals["spending_progress"]
    return {
        "on": on,
        "issued": totals["issued"],
        "spent": totals["spent"],
        "progress": progress,
        "target": target,
        "behind": progress is not None and target is not None and progress < target,
    }


def lagging_projects(*, user, on: date | None = None) -> list[BondProject]:
    """Projects with issued money whose own spending progress is below the month's target."""
    on = on or timezone.localdate()
    target = spending_target(on=on)
    if target is None:
        return []
    projects = project_list(user=user).filter(issued_amount__gt=0)
    return [p for p in projects if p.spending_progress is not None and p.spending_progress < target]


def state_counts(*, user) -> list[dict]:
    from .models import ProjectState

    counts = dict(project_list(user=user).order_by().values_list("state").annotate(n=Count("pk")))
    return [{"state": s, "label": str(label), "count": counts.get(s, 0)} for s, label in ProjectState.choices]


def monthly_spending(*, user, year: int) -> list[dict]:
    """Cumulative spent and target per month of the year, for the overview chart."""
    from .models import Spending

    spendings = visible_to(user, Spending.objects.filter(spent_on__year=year))
    by_month = dict(spendings.values_list("spent_on__month").annotate(s=Sum("amount")).order_by())
    issued = programme_totals(user=user)["issued"]
    targets = dict(SpendingTarget.objects.filter(year=year).values_list("month", "target_ratio"))
    # Progress is cumulative over the bonds' life: money spent in earlier years counts too.
    before = visible_to(user, Spending.objects.filter(spent_on__year__lt=year)).aggregate(s=Sum("amount"))[
        "s"
    ]
    running = before or ZERO
    rows = []
    for month in range(1, 13):
        running += by_month.get(month) or ZERO
        rows.append(
            {
                "month": month,
                "spent": running,
                "progress": _rate(running, issued),
                "target": targets.get(month),
            }
        )
    return rows


def weekly_figures(*, user, on: date | None = None) -> dict:
    """The bond figures of the weekly bulletin in one call."""
    on = on or timezone.localdate()
    return {
        "totals": programme_totals(user=user),
        "quota": quota_won(user=user, year=on.year),
        "spending": spending_progress(user=user, on=on),
        "lagging": lagging_projects(user=user, on=on),
        "success_by_batch": success_rates(user=user, by="batch", year=on.year),
    }
