"""The programme's figures: success rates, quota won, issuance and spending progress, lagging projects
(for the overview page, the weekly bulletin and the ranking)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from duban.accounts.scope import visible_to

from ..filters import DECIDED, ISSUED_BONDS
from ..models import (
    ZERO,
    ApplicationOutcome,
    BondApplication,
    BondProject,
    ProjectDebt,
    ProjectState,
    ProjectTheme,
    Spending,
    SpendingTarget,
)
from .projects import project_list

_AMOUNT = DecimalField(max_digits=16, decimal_places=2)


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


def programme_totals(*, user, filters=None) -> dict:
    """The library's sums (demand, quota, issued, disbursed, spent) under the library's filters."""
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


def theme_demand(*, user) -> list[dict]:
    """The bond demand of the user's projects per theme, every theme listed."""
    sums = dict(project_list(user=user).order_by().values_list("theme").annotate(s=Sum("bond_demand")))
    return [
        {"theme": code, "label": str(label), "demand": sums.get(code) or ZERO}
        for code, label in ProjectTheme.choices
    ]


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
    counts = dict(project_list(user=user).order_by().values_list("state").annotate(n=Count("pk")))
    return [{"state": s, "label": str(label), "count": counts.get(s, 0)} for s, label in ProjectState.choices]


def monthly_spending(*, user, year: int) -> list[dict]:
    """Cumulative spent and target per month of the year, for the overview chart."""
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


def monthly_issuance_and_spending(*, user, year: int) -> list[dict]:
    """Per month of the year: bonds issued and money spent on the user's projects (万元), how many
    projects each touched (the project list's `issued_month` / `spent_month` lists them), and the
    cumulative spending progress against the month's target (four queries)."""
    projects = project_list(user=user).values("pk")

    def by_month(model, on: str, amount: str, **rows) -> dict[int, tuple[Decimal, int]]:
        grouped = (
            model.objects.filter(project__in=projects, **{f"{on}__year": year}, **rows)
            .values_list(f"{on}__month")
            .annotate(Sum(amount), Count("project", distinct=True))
            .order_by()
        )
        return {month: (total or ZERO, count) for month, total, count in grouped}

    issued = by_month(ProjectDebt, "issue_date", "principal", **ISSUED_BONDS)
    spent = by_month(Spending, "spent_on", "amount")
    progress = {row["month"]: row for row in monthly_spending(user=user, year=year)}
    return [
        {
            "month": month,
            "key": f"{year:04d}-{month:02d}",
            "issued": issued.get(month, (ZERO, 0))[0],
            "issued_projects": issued.get(month, (ZERO, 0))[1],
            "spent": spent.get(month, (ZERO, 0))[0],
            "spent_projects": spent.get(month, (ZERO, 0))[1],
            "progress": progress[month]["progress"],
            "target": progress[month]["target"],
        }
        for month in range(1, 13)
    ]


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


def application_outcomes_by_unit(*, start: date, end: date) -> dict[int, dict]:
    """For the assessment (考核排名), one query over every unit: the applications decided in [start, end]
    by applying unit, {unit id: {"approved", "decided", "approved_amount", "decided_amount"}}."""
    amount = DecimalField(max_digits=16, decimal_places=2)
    approved = Q(outcome=ApplicationOutcome.APPROVED)
    decided = (
        BondApplication.objects.filter(
            DECIDED,
            decided_at__date__range=(start, end),
        )
        .order_by()
        .values("project__applying_unit_id")
        .annotate(
            decided=Count("pk"),
            approved=Count("pk", filter=approved),
            decided_amount=Coalesce(Sum("applied_amount"), Value(ZERO), output_field=amount),
            approved_amount=Coalesce(
                Sum("applied_amount", filter=approved), Value(ZERO), output_field=amount
            ),
        )
    )
    return {row.pop("project__applying_unit_id"): row for row in decided}


def _project_sum(model, amount: str, **rows):
    """The sum of a project's dated rows of `model` (a correlated subquery, 0 without any)."""
    rows_of_project = (
        model.objects.filter(project=OuterRef("pk"), **rows)
        .order_by()
        .values("project")
        .annotate(s=Sum(amount))
    )
    return Coalesce(Subquery(rows_of_project.values("s")), Value(ZERO), output_field=_AMOUNT)


def progress_by_unit(*, start: date, end: date) -> dict[int, dict]:
    """For the assessment (考核排名), one query over every unit: each applying unit's issuance and spending
    against plan as at the period's end, read as the programme reads them (发行进度 = issued ÷ quota;
    支出进度 = spent ÷ issued against the month's target, `filters.behind_plan_q`), from the dated rows
    the monthly charts read (quota by `allocated_on`, issued bonds by `issue_date`, spending by
    `spent_on`), so a past period keeps its figures. Cumulative over the bonds' life, as the spending
    target is. {unit id: {"quota", "issued", "spent", "planned_spending"}}; `planned_spending` is
    issued × the target of `end`'s month (None when that month has no target)."""
    target = spending_target(on=end)
    sums = (
        BondProject.objects.order_by()
        .values("applying_unit_id")
        .annotate(
            quota=Sum(_project_sum(BondApplication, "allocated_amount", allocated_on__lte=end)),
            issued=Sum(_project_sum(ProjectDebt, "principal", issue_date__lte=end, **ISSUED_BONDS)),
            spent=Sum(_project_sum(Spending, "amount", spent_on__lte=end)),
        )
    )
    return {
        row.pop("applying_unit_id"): {
            **row,
            "planned_spending": row["issued"] * target if target is not None else None,
        }
        for row in sums
    }


def cockpit_cards(*, user, today: date) -> list:
    """The bond programme's card of the cockpit: the user's projects behind the month's spending
    target, counted with the condition of the library's `behind_plan` filter (one query)."""
    from django.utils.translation import gettext_lazy

    from duban.core.cards import card

    from ..filters import behind_plan_q

    behind = behind_plan_q(today)
    count = project_list(user=user).filter(behind).count() if behind is not None else 0
    title = gettext_lazy("专项债券支出进度落后")
    return [
        card(
            "bonds_behind_plan",
            title,
            count,
            page="bonds:project_list",
            api="api:bond-project-list",
            query={"behind_plan": "true"},
            tone="yellow",
        )
    ]
