"""Reading the assessment: every read narrows to what the user may see.

Public schemes (明争) are read by all, internal ones (暗赛) by the office and leaders (`rules.sees_internal`);
a period is read by others than the office once published. Rows of a ranking are read as the scheme
is; manual entries, appeals and experiences through their unit (`data_scope`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.scope import is_office, visible_to
from duban.core.filters import filtered

from . import figures, rules
from .filters import AppealFilterSet, EntryFilterSet, ExperienceFilterSet, SchemeFilterSet
from .models import (
    Appeal,
    ExperienceState,
    Formula,
    GroupWeight,
    Indicator,
    ManualEntry,
    Member,
    Period,
    PeriodState,
    Scheme,
    Snapshot,
    SnapshotRow,
    TypicalExperience,
    UnitGroup,
    Visibility,
)
from .periods import label_of_month


def scheme_list(*, user, filters=None) -> QuerySet[Scheme]:
    schemes = visible_to(user, Scheme.objects.all())
    if not rules.sees_internal(user):
        schemes = schemes.filter(visibility=Visibility.PUBLIC)
    return filtered(SchemeFilterSet, schemes, filters, user=user)


def period_list(*, user) -> QuerySet[Period]:
    """The periods of the schemes the user reads; drafts (previews) are the office's only."""
    periods = Period.objects.filter(scheme__in=scheme_list(user=user)).select_related("scheme", "current")
    if not is_office(user):
        periods = periods.exclude(state=PeriodState.DRAFT)
    return periods


def periods_open_for_entries(*, user) -> QuerySet[Period]:
    """The draft periods a reviewer (the office, a leader) enters manual scores on."""
    if not rules.may_enter_score(user):
        return Period.objects.none()
    return Period.objects.filter(
        scheme__in=scheme_list(user=user).values("pk"), state=PeriodState.DRAFT
    ).select_related("scheme")


def snapshot_list(*, user) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(period__in=period_list(user=user)).select_related("period__scheme")


def row_list(*, user) -> QuerySet[SnapshotRow]:
    return SnapshotRow.objects.filter(snapshot__in=snapshot_list(user=user)).select_related("unit")


def period_for(*, user, scheme: Scheme, month: str | None) -> Period | None:
    """The period of `scheme` holding the month `YYYY-MM`, or the latest published one."""
    periods = period_list(user=user).filter(scheme=scheme)
    if month:
        label = label_of_month(scheme.period_type, month)
        return periods.filter(label=label).first() if label else None
    return periods.exclude(state=PeriodState.DRAFT).order_by("-starts_on").first()


def ranking_rows(snapshot: Snapshot) -> list[SnapshotRow]:
    """The snapshot's rows, group by group in the scheme's order, by rank (单列 units after)."""
    order = {group["name"]: index for index, group in enumerate(snapshot.rules["groups"])}
    rows = list(snapshot.rows.select_related("unit"))
    return sorted(
        rows, key=lambda r: (order.get(r.group, 99), r.rank is None, r.rank or 0, -r.score, r.unit.name)
    )


@dataclass(frozen=True)
class Line:
    indicator: str
    name: str
    path: str
    source: str
    formula: str
    formula_label: str
    value: Decimal | None
    weight: Decimal
    points: Decimal
    records_url: str


def breakdown(row: SnapshotRow, period: Period, snapshot: Snapshot) -> list[Line]:
    """A row's lines with the list page of the records behind each value (what had fallen due when the
    snapshot was computed, as the figures counted it)."""
    end = figures.counted_until(period.ends_on, timezone.localdate(snapshot.created_at))
    return [
        Line(
            indicator=line["indicator"],
            name=line["name"],
            path=line.get("path", ""),
            source=line["source"],
            formula=line["formula"],
            formula_label=str(Formula(line["formula"]).label),
            value=None if line["value"] is None else Decimal(line["value"]),
            weight=Decimal(line["weight"]),
            points=Decimal(line["points"]),
            records_url=figures.records_url(
                line["source"],
                unit_id=row.unit_id,
                start=period.starts_on,
                end=end,
                period_id=period.pk,
            ),
        )
        for line in row.lines
    ]


def spread(rows: Iterable[SnapshotRow]) -> dict[str, Decimal]:
    """{group: the gap between its first and its last score} (ranked units only)."""
    scores: dict[str, list[Decimal]] = {}
    for row in rows:
        if row.rank is not None:
            scores.setdefault(row.group, []).append(row.score)
    return {group: max(values) - min(values) for group, values in scores.items()}


def unit_history(*, user, scheme: Scheme, unit_id: int) -> list[dict]:
    """The unit's score and rank in each published period of the scheme, oldest first (the chart)."""
    periods = period_list(user=user).filter(scheme=scheme).exclude(state=PeriodState.DRAFT)
    rows = (
        SnapshotRow.objects.filter(snapshot__in=periods.values("current"), unit_id=unit_id)
        .select_related("snapshot__period")
        .order_by("snapshot__period__starts_on")
    )
    return [{"period": r.snapshot.period.label, "score": float(r.score), "rank": r.rank} for r in rows]


def home_ranking(*, user) -> dict | None:
    """The home page's panel: the latest published public ranking, the user's unit's row in it and the
    first three of its group (three queries)."""
    period = (
        period_list(user=user)
        .filter(scheme__visibility=Visibility.PUBLIC, current__isnull=False)
        .exclude(state=PeriodState.DRAFT)
        .order_by("-starts_on", "pk")
        .first()
    )
    if period is None:
        return None
    rows = SnapshotRow.objects.filter(snapshot=period.current_id)
    own = rows.filter(unit_id=user.unit_id).first() if user.unit_id else None
    group = own.group if own else period.current.rules["groups"][0]["name"]
    top = list(rows.filter(group=group, rank__lte=3).select_related("unit").order_by("rank", "pk")[:3])
    return {"period": period, "own": own, "group": group, "top": top}


def entry_list(*, user, filters=None) -> QuerySet[ManualEntry]:
    """Manual entries of the schemes the user reads, of the units he reaches."""
    entries = ManualEntry.objects.filter(period__scheme__in=scheme_list(user=user).values("pk"))
    related = ("period__scheme", "indicator", "unit", "reviewer", "decided_by")
    return filtered(EntryFilterSet, visible_to(user, entries.select_related(*related)), filters, user=user)


def appeal_list(*, user, filters=None) -> QuerySet[Appeal]:
    appeals = visible_to(
        user,
        Appeal.objects.select_related(
            "period__scheme", "indicator", "unit", "snapshot", "revision", "decided_by"
        ),
    )
    return filtered(AppealFilterSet, appeals, filters, user=user)


def experience_list(*, user, filters=None) -> QuerySet[TypicalExperience]:
    experiences = visible_to(user, TypicalExperience.objects.select_related("unit", "submitted_by"))
    return filtered(ExperienceFilterSet, experiences, filters, user=user)


def experience_readable(*, user) -> QuerySet[TypicalExperience]:
    """An experience's page: its unit's and the office's, and everyone's once published (the showcase)."""
    return experience_list(user=user) | showcase(user=user)


def showcase(*, user) -> QuerySet[TypicalExperience]:
    """The published experiences: published for every unit to learn from (the showcase is public)."""
    if not rules.may_read_showcase(user):
        return TypicalExperience.objects.none()
    return (
        TypicalExperience.objects.filter(state=ExperienceState.PUBLISHED)
        .select_related("unit")
        .order_by("-published_on", "-pk")
    )


def published_between(*, start: date, end: date) -> QuerySet[TypicalExperience]:
    """The experiences published from `start` to `end` (both included), for the weekly bulletin (the
    city's paper: read whole). A published experience is final (`rules.may_decide_experience`), so the
    week's list reads the same whenever the bulletin is compiled."""
    return (
        TypicalExperience.objects.filter(
            state=ExperienceState.PUBLISHED, published_on__gte=start, published_on__lte=end
        )
        .select_related("unit")
        .order_by("published_on", "pk")
    )


# The 一级 indicators of a scheme in force on a day weigh this much together, in each group.
WEIGHT_TOTAL = Decimal(100)


def weight_totals(indicators: Iterable[Indicator], own: dict[int, Decimal]) -> list[tuple[date, Decimal]]:
    """(day, total): the total weight of the 一级 indicators in force from each day the tree changes on,
    for a group whose own weights are `own` (indicator id → weight; the others weigh their own)."""
    top = [indicator for indicator in indicators if indicator.parent_id is None]
    days = sorted({i.valid_from for i in top} | {i.valid_to + timedelta(days=1) for i in top if i.valid_to})
    found = []
    for day in days:
        in_force = [i for i in top if i.in_force(day)]
        if in_force:
            found.append((day, sum((own.get(i.pk, i.weight) for i in in_force), Decimal(0))))
    return found


@dataclass(frozen=True)
class GroupSetup:
    group: UnitGroup
    members: list[Member]
    weights: dict[int, Decimal]  # indicator id → the group's own weight
    unbalanced: list[tuple[date, Decimal]]  # the days its 一级 weights do not add up to 100


def scheme_setup(scheme: Scheme) -> tuple[list[Indicator], list[GroupSetup]]:
    """The scheme's indicator tree (depth first, in order) and its groups with their members, own
    weights and the days their 一级 weights do not add up to 100 (four queries)."""
    every = list(
        Indicator.objects.filter(scheme=scheme).select_related("data_owner").order_by("sort_order", "pk")
    )
    children: dict[int | None, list[Indicator]] = {}
    for indicator in every:
        children.setdefault(indicator.parent_id, []).append(indicator)
    tree: list[Indicator] = []

    def walk(parent_id):
        for node in children.get(parent_id, []):
            tree.append(node)
            walk(node.pk)

    walk(None)
    groups = UnitGroup.objects.filter(scheme=scheme).prefetch_related(
        Prefetch("members", queryset=Member.objects.select_related("unit")),
        Prefetch("weights", queryset=GroupWeight.objects.all()),
    )
    setups = []
    for group in groups:
        own = {w.indicator_id: w.weight for w in group.weights.all()}
        unbalanced = [(day, total) for day, total in weight_totals(every, own) if total != WEIGHT_TOTAL]
        setups.append(GroupSetup(group, list(group.members.all()), own, unbalanced))
    return tree, setups


def scheme_title(scheme: Scheme) -> str:
    return _("%(name)s（%(kind)s）") % {"name": scheme.name, "kind": scheme.get_period_type_display()}


def group_list(*, user) -> QuerySet[UnitGroup]:
    """The groups of the schemes the user reads."""
    return UnitGroup.objects.filter(scheme__in=scheme_list(user=user).values("pk")).select_related("scheme")


def indicator_list(*, user) -> QuerySet[Indicator]:
    """The indicators of the schemes the user reads."""
    return Indicator.objects.filter(scheme__in=scheme_list(user=user).values("pk")).select_related("scheme")


HISTORY_READERS = {
    Scheme: scheme_list,
    Period: period_list,
    Snapshot: snapshot_list,
    SnapshotRow: row_list,
    Indicator: indicator_list,
    UnitGroup: group_list,
    ManualEntry: entry_list,
    Appeal: appeal_list,
    TypicalExperience: experience_readable,
}
