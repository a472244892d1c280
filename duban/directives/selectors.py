"""Reading directives: every function takes the user and applies the data scope."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from duban.accounts.scope import is_office, visible_to

from .models import (
    ACTIVE_STATES,
    Comment,
    Directive,
    Evidence,
    Light,
    Meeting,
    Milestone,
    ProgressReport,
    State,
    SupervisionNotice,
    TimelineEvent,
)

# The filters of the board, the "my work" list, the Excel export and the API's query parameters.
FILTER_KEYS = ("q", "state", "light", "leader", "unit", "theme", "meeting", "due_after", "due_before")


def _id(value):
    if value in (None, ""):
        return None
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return None


def apply_filters(directives: QuerySet[Directive], filters: dict | None) -> QuerySet[Directive]:
    filters = filters or {}
    if query := (filters.get("q") or "").strip():
        directives = directives.filter(Q(title__icontains=query) | Q(content__icontains=query))
    if state := filters.get("state"):
        directives = directives.filter(state=state)
    if light := filters.get("light"):
        directives = directives.filter(light=light)
    if leader := _id(filters.get("leader")):
        directives = directives.filter(responsible_leader_id=leader)
    if unit := _id(filters.get("unit")):
        # A unit's work: as lead unit or as co-operating unit (subquery: no duplicate rows).
        directives = directives.filter(
            Q(lead_unit_id=unit)
            | Q(pk__in=Directive.co_units.through.objects.filter(unit_id=unit).values("directive_id"))
        )
    if theme := _id(filters.get("theme")):
        directives = directives.filter(theme_id=theme)
    if meeting := _id(filters.get("meeting")):
        directives = directives.filter(meeting_id=meeting)
    if isinstance(due_after := filters.get("due_after"), date):
        directives = directives.filter(deadline__gte=due_after)
    if isinstance(due_before := filters.get("due_before"), date):
        directives = directives.filter(deadline__lte=due_before)
    return directives


def directive_list(*, user, filters: dict | None = None) -> QuerySet[Directive]:
    directives = visible_to(user, Directive.objects.all())
    return apply_filters(directives, filters).select_related(
        "theme", "lead_unit", "responsible_leader", "meeting"
    )


def open_directive_list(*, user) -> QuerySet[Directive]:
    """The directives being worked on (assigned, in progress, completion requested) in the user's scope."""
    return directive_list(user=user).filter(state__in=ACTIVE_STATES)


def red_list(directives: QuerySet[Directive]) -> QuerySet[Directive]:
    """The red ones among these, most overdue first."""
    return directives.filter(light=Light.RED).order_by("deadline", "pk")


def light_counts(directives: QuerySet[Directive]) -> dict[str, int]:
    """How many of these directives show each light, and the total, in one query."""
    counts = directives.order_by().aggregate(
        **{light: Count("pk", filter=Q(light=light)) for light in Light.values}
    )
    counts["total"] = sum(counts.values())
    return counts


_SEVERITY = Case(
    When(light=Light.RED, then=Value(0)),
    When(light=Light.YELLOW, then=Value(1)),
    When(light=Light.GREEN, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def my_work(*, user, filters: dict | None = None) -> QuerySet[Directive]:
    """What waits for this user: a unit's open work, a leader's portfolio, the office's decisions."""
    directives = directive_list(user=user, filters=filters)
    if is_office(user):
        directives = directives.filter(
            Q(state=State.COMPLETION_REQUESTED) | Q(extension_until__isnull=False) | Q(state=State.DRAFT)
        )
    else:
        directives = directives.filter(state__in=ACTIVE_STATES)
    return directives.annotate(severity=_SEVERITY).order_by("severity", "deadline", "id")


def directive_get(*, user, pk) -> Directive:
    return directive_list(user=user).get(pk=pk)


def meeting_list(*, user) -> QuerySet[Meeting]:
    return visible_to(user, Meeting.objects.select_related("chair"))


def milestone_list(*, user, directive: Directive) -> QuerySet[Milestone]:
    return visible_to(user, Milestone.objects.filter(directive=directive)).prefetch_related("evidence")


def progress_list(*, user, directive: Directive) -> QuerySet[ProgressReport]:
    return (
        visible_to(user, ProgressReport.objects.filter(directive=directive))
        .select_related("author")
        .prefetch_related("evidence")
    )


def comment_list(*, user, directive: Directive) -> QuerySet[Comment]:
    return visible_to(user, Comment.objects.filter(directive=directive)).select_related("author")


def timeline(*, user, directive: Directive) -> QuerySet[TimelineEvent]:
    return visible_to(user, TimelineEvent.objects.filter(directive=directive)).select_related("actor")


def evidence_list(*, user) -> QuerySet[Evidence]:
    return visible_to(user, Evidence.objects.all())


def notice_list(*, user) -> QuerySet[SupervisionNotice]:
    return visible_to(user, SupervisionNotice.objects.select_related("unit", "directive"))


def notice_counts_by_unit(*, user, year: int) -> QuerySet:
    """How many supervision notices each unit received in the year (counted against it later)."""
    return (
        notice_list(user=user)
        .filter(year=year)
        .values("unit", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
