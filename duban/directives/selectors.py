"""Reading directives: the pages' and the API's reads take the user and apply the data scope; the
few reads at the end serve the capabilities linked to directives (weekly, ppp, minutes)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from typing import TypedDict

from django.db import DatabaseError, connection, models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from duban.accounts.scope import is_office, visible_to
from duban.core.filters import filtered

from .filters import (
    DirectiveFilterSet,
    EscalationFilterSet,
    NoticeFilterSet,
    ReminderFilterSet,
    awaiting_q,
    due_within_q,
    given_q,
    overdue_q,
)
from .models import (
    ACTIVE_STATES,
    Comment,
    Directive,
    Escalation,
    EscalationState,
    Evidence,
    Light,
    Meeting,
    MeetingKind,
    Milestone,
    ProgressReport,
    Reminder,
    ReplyState,
    State,
    SupervisionNotice,
    SupervisionReply,
    TimelineEvent,
)


def _filtered(directives: QuerySet[Directive], filters, user, *, light: bool = True) -> QuerySet[Directive]:
    if not filters:
        return directives
    if not isinstance(filters, DirectiveFilterSet):
        filters = DirectiveFilterSet(filters, user=user)
    return filters.apply(directives, light=light)


def directive_list(*, user, filters=None, light: bool = True) -> QuerySet[Directive]:
    """The directives in the user's scope, narrowed by `filters`: a dict or QueryDict of the board's
    query (invalid entries left out), or the page's own bound DirectiveFilterSet (validated once).
    `light=False` leaves the light filter out (for the counts per light)."""
    directives = visible_to(user, Directive.objects.all())
    return _filtered(directives, filters, user, light=light).select_related(
        "theme", "lead_unit", "responsible_leader", "meeting"
    )


def open_directive_list(*, user, filters=None) -> QuerySet[Directive]:
    """The directives being worked on (assigned, in progress, completion requested) in the user's scope."""
    return directive_list(user=user, filters=filters).filter(state__in=ACTIVE_STATES)


def awaiting_head(*, user) -> QuerySet[Directive]:
    """What waits for a unit's head (单位领导审核): the requests to close of directives his unit leads."""
    if not (getattr(user, "is_unit_head", False) and user.unit_id):
        return Directive.objects.none()
    return directive_list(user=user).filter(state=State.HEAD_REVIEW, lead_unit_id=user.unit_id)


def meeting_directives(*, user, meeting) -> QuerySet[Directive]:
    """The directives a meeting decided, as far as the user may see them."""
    return directive_list(user=user).filter(meeting=meeting)


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


def my_work(*, user, filters=None, light: bool = True) -> QuerySet[Directive]:
    """What waits for this user: a unit's open work, a leader's portfolio, the office's decisions."""
    directives = directive_list(user=user, filters=filters, light=light)
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


def _with_replies(rows: QuerySet, link: str) -> QuerySet:
    """The rows with `replied` (has the unit replied?) and their replies, oldest first."""
    replies = SupervisionReply.objects.filter(**{link: OuterRef("pk")})
    shown = Prefetch("replies", queryset=SupervisionReply.objects.select_related("replied_by", "unit"))
    return rows.annotate(replied=Exists(replies)).prefetch_related(shown)


def notice_list(*, user, filters=None) -> QuerySet[SupervisionNotice]:
    """The supervision notices the user may read (a unit: those on its directives), with their reply
    state, narrowed by `NoticeFilterSet` (year, reply state, unit)."""
    notices = visible_to(user, SupervisionNotice.objects.select_related("unit", "directive", "issued_by"))
    return filtered(NoticeFilterSet, _with_replies(notices, "notice"), filters, user=user)


def reminder_list(*, user, filters=None) -> QuerySet[Reminder]:
    """The reminders the user may read (a unit: those sent to it), newest first, with their reply state,
    narrowed by `ReminderFilterSet` (reply state, unit)."""
    reminders = visible_to(user, Reminder.objects.select_related("unit", "sent_by"))
    reminders = _with_replies(reminders, "reminder").prefetch_related("directives")
    return filtered(ReminderFilterSet, reminders, filters, user=user)


def reply_list(*, user) -> QuerySet[SupervisionReply]:
    return visible_to(user, SupervisionReply.objects.select_related("unit", "replied_by"))


def reply_due_notes(rows, *, today=None) -> list:
    """The rows (a page's worth of reminders or notices) with `due_note` set: how many working days are
    left to reply, or by how many the reply is late."""
    from django.utils import timezone

    from duban.workcalendar.selectors import working_days_between

    today = today or timezone.localdate()
    rows = list(rows)
    for row in rows:
        state, due = row.reply_state, row.reply_by
        if state == ReplyState.REPLIED or due is None:
            row.due_note = ""
        elif state == ReplyState.OVERDUE:
            late = working_days_between(due, today)
            row.due_note = _("逾期 %(n)d 个工作日") % {"n": late} if late > 0 else _("已过回复时限")
        else:
            row.due_note = _("剩 %(n)d 个工作日") % {"n": working_days_between(today, due)}
    return rows


def notice_counts_by_unit(*, user, year: int) -> QuerySet:
    """How many supervision notices each unit received in the year (counted against it later)."""
    return (
        visible_to(user, SupervisionNotice.objects.all())
        .filter(year=year)
        .values("unit", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )


def next_notice_sequence(year: int, series: str = "") -> int:
    """The next number of the year's notices in a series (each colour of the ladder has its own)."""
    last = (
        SupervisionNotice.objects.filter(year=year, series=series)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
    )
    return (last.first() or 0) + 1


def escalation_list(*, user, filters=None) -> QuerySet[Escalation]:
    """The escalation ladder's rungs the user may read (a unit: those on its directives), with their
    step, directive, document and whether the unit answered it (`replied`), narrowed by
    `EscalationFilterSet` (state, step, unit, directive)."""
    replies = SupervisionReply.objects.filter(
        Q(notice_id=OuterRef("notice_id")) | Q(reminder_id=OuterRef("reminder_id"))
    )
    rows = Escalation.objects.select_related(
        "step",
        "directive__lead_unit",
        "directive__responsible_leader",
        "notice__unit",
        "reminder__unit",
        "approved_by",
    ).annotate(replied=Exists(replies))
    return filtered(EscalationFilterSet, visible_to(user, rows), filters, user=user)


def escalation_approvals(*, user) -> QuerySet[Escalation]:
    """The steps waiting for this leader's approval (those of the directives he is responsible for)."""
    return escalation_list(user=user).filter(
        state=EscalationState.AWAITING_LEADER, directive__responsible_leader__user=user
    )


def ladder(*, user, directive) -> QuerySet[Escalation]:
    """One directive's ladder, step by step, with the replies to each step's document."""
    shown = SupervisionReply.objects.select_related("replied_by", "unit")
    return (
        escalation_list(user=user)
        .filter(directive=directive)
        .prefetch_related(
            Prefetch("notice__replies", queryset=shown), Prefetch("reminder__replies", queryset=shown)
        )
        .order_by("step__order", "id")
    )


def escalation_counts_by_unit(*, user, year: int | None = None) -> QuerySet:
    """Per lead unit: how many steps of the ladder it was issued (in the year, if given), the highest
    step it reached, and how many it left unanswered; for the units' ranking."""
    rows = escalation_list(user=user).filter(state=EscalationState.ISSUED)
    if year is not None:
        rows = rows.filter(issued_at__year=year)
    return (
        rows.values("directive__lead_unit", "directive__lead_unit__name")
        .annotate(
            issued=Count("pk"),
            highest=Max("step__order"),
            unanswered=Count("pk", filter=Q(replied=False)),
        )
        .order_by("-issued", "directive__lead_unit")
    )


def directives_involving(unit, directive_ids) -> list[int]:
    """Which of these directives the unit leads or co-operates on."""
    involved = Directive.objects.filter(pk__in=list(directive_ids)).filter(
        Q(lead_unit=unit) | Q(co_units=unit)
    )
    return list(involved.values_list("pk", flat=True).distinct())


# --- for the capabilities linked to directives (weekly, ppp, minutes) --------------------------------
# They read directives only through these (and the services and rules), never the models.

# The kinds of meeting (value, label), for a field that names one; "other" is the catch-all.
MEETING_KIND_CHOICES = MeetingKind.choices
MEETING_KIND_OTHER = MeetingKind.OTHER.value


# A capability that keeps the page of a kind of meeting (the weekly meeting: its agenda, decisions and the
# directives they made) names it here from its AppConfig.ready(): (meeting, user) -> that page's URL, or
# None where the user may not open it. The meeting then has one page, that one.
MEETING_PAGES: dict[str, Callable] = {}


def meeting_page(meeting: Meeting, user) -> str | None:
    page = MEETING_PAGES.get(meeting.kind)
    return page(meeting, user) if page is not None else None


def linked_directive(pk: int | None, *, for_update: bool = False) -> Directive | None:
    """The directive another capability's object carries, read afresh (a cached one may be a
    transition behind), or None. Not scoped: the caller has checked access to its own object."""
    if pk is None:
        return None
    directives = Directive.objects.select_for_update() if for_update else Directive.objects.all()
    return directives.filter(pk=pk).first()


def open_directive_rows(*, unit_ids=None):
    """The directives being worked on, by lead unit, as (lead_unit_id, pk, title, theme_id, light,
    deadline) rows (the weekly report's items)."""
    directives = Directive.objects.filter(state__in=ACTIVE_STATES)
    if unit_ids is not None:
        directives = directives.filter(lead_unit_id__in=list(unit_ids))
    rows = directives.order_by("lead_unit_id", "deadline", "id").values_list(
        "lead_unit_id", "pk", "title", "theme_id", "light", "deadline"
    )
    return rows.iterator(chunk_size=5000)


def progress_this_week(directive_ids, *, start, end) -> dict[int, tuple[int, list[str]]]:
    """Where each directive stands (the weekly report's starting point): its current percent and the
    texts of the progress reports written between start and end, oldest first, as {pk: (percent,
    [text, …])}."""
    ids = list(directive_ids)
    state = {
        pk: (percent, []) for pk, percent in Directive.objects.filter(pk__in=ids).values_list("pk", "percent")
    }
    entries = (
        ProgressReport.objects.filter(directive_id__in=ids, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
        .values_list("directive_id", "text")
    )
    for pk, text in entries:
        state[pk][1].append(text)
    return state


def latest_progress(directive_id: int) -> tuple[str, int] | None:
    """The text and percent of the directive's latest progress report, or None."""
    return (
        ProgressReport.objects.filter(directive_id=directive_id)
        .order_by("-created_at", "-id")
        .values_list("text", "percent")
        .first()
    )


def flagged_directive_rows(*, light: str):
    """The directives being worked on that show this light, by unit, as (pk, title, lead_unit_id,
    lead unit's name, theme's name, deadline, percent, leader's name) rows (the weekly bulletin)."""
    rows = (
        Directive.objects.filter(state__in=ACTIVE_STATES, light=light)
        .order_by("lead_unit__tree_path", "deadline", "id")
        .values_list(
            "pk",
            "title",
            "lead_unit_id",
            "lead_unit__name",
            "theme__name",
            "deadline",
            "percent",
            "responsible_leader__name",
            "theme_id",
            "responsible_leader_id",
        )
    )
    return rows.iterator(chunk_size=5000)


def light_snapshot_rows(*, on: date) -> list[dict]:
    """The directives being worked on, counted per lead unit, theme and responsible leader: how many show
    each light, are past their deadline on `on`, and are stale (the weekly cycle's snapshot; one query)."""
    active = Directive.objects.filter(state__in=ACTIVE_STATES)
    return list(
        active.values("lead_unit_id", "theme_id", "responsible_leader_id")
        .annotate(
            red=Count("pk", filter=Q(light=Light.RED)),
            yellow=Count("pk", filter=Q(light=Light.YELLOW)),
            green=Count("pk", filter=Q(light=Light.GREEN)),
            overdue=Count("pk", filter=Q(deadline__lt=on)),
            stale=Count("pk", filter=Q(stale=True)),
        )
        .order_by()
    )


def theme_light_counts(*, user) -> list[dict]:
    """The directives the user may read, per theme and light (red, yellow, green), counted as the board
    counts `?theme=…&light=…` (one query): [{"theme_id", "theme__name", "red", "yellow", "green"}]."""
    rows = (
        visible_to(user, Directive.objects.filter(light__in=[Light.RED, Light.YELLOW, Light.GREEN]))
        .values("theme_id", "theme__name", "theme__sort_order")
        .annotate(
            **{light: Count("pk", filter=Q(light=light)) for light in (Light.RED, Light.YELLOW, Light.GREEN)}
        )
        .order_by("theme__sort_order", "theme_id")
    )
    return list(rows)


def closure_by_unit(*, user, since: date) -> list[dict]:
    """The directives the user may read closed since `since`, per lead unit: how many closed and how many
    of them by their deadline (one query): [{"lead_unit_id", "lead_unit__name", "lead_unit__kind",
    "closed", "on_time"}]. The board's `lead_unit`, `closed_since` and `on_time` filters list them."""
    closed = visible_to(user, Directive.objects.filter(state=State.CLOSED, closed_at__date__gte=since))
    return list(
        closed.values("lead_unit_id", "lead_unit__name", "lead_unit__kind")
        .annotate(closed=Count("pk"), on_time=Count("pk", filter=Q(closed_at__date__lte=F("deadline"))))
        .order_by("lead_unit_id")
    )


def directive_figures(*, start, end, lights: dict | None = None) -> list[tuple[str, object]]:
    """The week's figures of all directives (drafts aside): totals by state and by light, closed and new.
    `lights` ({"red": n, …}, a snapshot taken when the week closed) replaces the lights of today."""
    directives = Directive.objects.exclude(state=State.DRAFT)
    if lights is None:
        by_light = directives.filter(state__in=ACTIVE_STATES).aggregate(
            **{light: Count("pk", filter=Q(light=light)) for light in Light.values}
        )
    else:
        by_light = {light: lights.get(light, 0) for light in Light.values}
    by_state = dict(directives.values_list("state").annotate(n=Count("pk")).order_by())
    closed = directives.filter(closed_at__gte=start, closed_at__lt=end).count()
    new = directives.filter(created_at__gte=start, created_at__lt=end).count()
    figures: list[tuple[str, object]] = [(_("督办事项总数"), sum(by_state.values()))]
    figures += [
        (str(label), by_state.get(value, 0)) for value, label in State.choices if value != State.DRAFT
    ]
    figures += [
        (_("在办事项亮%(light)s") % {"light": label}, by_light[value])
        for value, label in Light.choices
        if value != Light.GREY
    ]
    figures += [(_("本周办结"), closed), (_("本周新增"), new)]
    return figures


# --- the cockpit's cards ------------------------------------------------------------------------------


def _aggregate_by_index(queryset: QuerySet, aggregates: dict, *, scoped: bool) -> dict:
    """The aggregates of a scoped queryset, read through the scope's indexes on PostgreSQL.

    A leader's scope reaches a third of a province's directives: the planner then prefers a sequential
    scan, where the co-operating units' branch (`id = ANY(ARRAY(…))`, `core/lookups.py`) is checked
    against every row, element by element (2 s for 100,000 directives and a portfolio of 250 units).
    Read through the scope's BitmapOr instead, each row is matched once by index (bench/bench_cockpit.py).
    The setting is the connection's for this one query and put back at once."""
    if not scoped or connection.vendor != "postgresql":
        return queryset.aggregate(**aggregates)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            return queryset.aggregate(**aggregates)
        finally:
            # After a failed query inside a transaction, the rollback undoes the SET: the RESET's own
            # error ("transaction aborted") must not hide the query's.
            with suppress(DatabaseError):
                cursor.execute("RESET enable_seqscan")


DUE_SOON_DAYS = 5


def cockpit_cards(*, user, today: date) -> list:
    """The directives' cards of the cockpit, counted in one aggregate query over the user's directives
    with the conditions the board's filters apply (so each count is the count of the list it opens):
    red, yellow, overdue, due within 5 working days, stale, and (for whoever decides any) what waits
    for the user's decision."""
    from django.utils.translation import gettext_lazy

    from duban.core.cards import card

    awaiting = awaiting_q(user)
    conditions = {
        "red": (Q(light=Light.RED), {"light": Light.RED}, gettext_lazy("红灯事项"), "red"),
        "yellow": (Q(light=Light.YELLOW), {"light": Light.YELLOW}, gettext_lazy("黄灯事项"), "yellow"),
        "overdue": (overdue_q(today), {"overdue": "true"}, gettext_lazy("已逾期"), "red"),
        "due_soon": (
            due_within_q(today, DUE_SOON_DAYS),
            {"due_within": DUE_SOON_DAYS},
            gettext_lazy("5 个工作日内到期"),
            "yellow",
        ),
        "stale": (Q(stale=True), {"stale": "true"}, gettext_lazy("久未报送进展"), ""),
    }
    if awaiting is not None:
        title = gettext_lazy("待我决定（延期、办结）")
        conditions["awaiting"] = (awaiting, {"awaiting": "me"}, title, "")
    counts = _aggregate_by_index(
        visible_to(user, Directive.objects.all()).order_by(),
        {key: Count("pk", filter=q) for key, (q, *_rest) in conditions.items()},
        scoped=not is_office(user),
    )
    return [
        card(
            f"directives_{key}",
            title,
            counts[key],
            page="directives:board",
            api="api:directive-list",
            query=query,
            tone=tone,
        )
        for key, (_q, query, title, tone) in conditions.items()
    ]


# The history page (`audit:object_history`) reads these models through the selectors of their own pages.
HISTORY_READERS = {
    Directive: directive_list,
    Meeting: meeting_list,
    SupervisionNotice: notice_list,
    Escalation: escalation_list,
    Reminder: reminder_list,
    SupervisionReply: reply_list,
}


def light_cutoffs(today: date | None = None):
    """The dates that decide the lights on `today`: the office's thresholds on the working calendar."""
    from django.utils import timezone

    from duban.workcalendar.selectors import working_calendar

    from . import lights as light_rules
    from .models import WarningThresholds

    thresholds = WarningThresholds.current()
    calendar = working_calendar()
    return light_rules.cutoffs(
        today or timezone.localdate(),
        yellow_days=thresholds.yellow_days,
        red_milestone_days=thresholds.red_milestone_days,
        is_working_day=calendar.is_working_day,
        stale_days=thresholds.stale_days(),
    )


class LightReason(TypedDict):
    """One reason of a light: the signal (deadline, milestone, stale), the light it calls for, the
    reason in words and its number of working days."""

    signal: str
    light: str
    text: str
    days: int


def _last_word(rows: list[Directive]) -> dict[int, tuple[datetime, bool]]:
    """When each directive was last heard of: its last progress report (True), else the last step
    that started its clock or its creation (False). Two grouped queries for the whole page."""
    from django.db.models import Max

    from .models import CLOCK_STARTS

    ids = [d.pk for d in rows]
    reported = dict(
        ProgressReport.objects.filter(directive_id__in=ids)
        .values("directive_id")
        .annotate(at=Max("created_at"))
        .values_list("directive_id", "at")
    )
    started = dict(
        TimelineEvent.objects.filter(directive_id__in=ids, kind__in=CLOCK_STARTS)
        .values("directive_id")
        .annotate(at=Max("created_at"))
        .values_list("directive_id", "at")
    )
    found = {}
    for d in rows:
        if d.pk in reported:
            found[d.pk] = (reported[d.pk], True)
        else:
            found[d.pk] = (max(filter(None, (started.get(d.pk), d.created_at))), False)
    return found


def light_reasons(directives, *, today=None) -> dict[int, list[LightReason]]:
    """Why each directive's light is what it is: {id: [reason, …]}, the reddest first — the deadline
    passed by N working days, a milestone late by N working days, N working days without progress
    reported, N working days left. By the rules of `lights.py` as of `today` (the stored light and
    stale mark come from the same rules), for a page of directives in a constant number of queries
    (the thresholds, the late milestones, the last reports), whatever its length. A directive not
    being worked on has no light and no reason.

    The texts and day counts are made here, at read time, rather than stored: their numbers change
    every day and their words follow the reader's language."""
    from django.utils import timezone

    from duban.workcalendar.selectors import working_calendar

    from . import lights as light_rules
    from .models import MilestoneState

    rows = list(directives)
    today = today or timezone.localdate()
    calendar = working_calendar()
    cut = light_cutoffs(today)
    active = [d for d in rows if d.state in ACTIVE_STATES]
    active_ids = [d.pk for d in active]
    late: dict[int, list[tuple[str, date]]] = {}
    if active_ids:
        milestones = (
            Milestone.objects.filter(directive_id__in=active_ids, due_on__lt=cut.milestone_late_before)
            .exclude(state=MilestoneState.DONE)
            .order_by("due_on", "order")
            .values_list("directive_id", "title", "due_on")
        )
        for directive_id, title, due_on in milestones:
            late.setdefault(directive_id, []).append((title, due_on))
    last_word = _last_word(active) if active else {}
    days = calendar.working_days_between

    def reason(signal: str, light: str, text: str, n: int) -> LightReason:
        return {"signal": signal, "light": str(light), "text": text, "days": n}

    reasons: dict[int, list[LightReason]] = {d.pk: [] for d in rows}
    for d in active:
        found = reasons[d.pk]
        if d.deadline < cut.overdue_before:
            n = days(d.deadline, today)
            text = _("已超过办理时限 %(n)d 个工作日（时限 %(date)s）。") % {"n": n, "date": d.deadline}
            found.append(reason("deadline", Light.RED, text, n))
        for title, due_on in late.get(d.pk, []):
            n = days(due_on, today)
            light = Light.RED if due_on < cut.milestone_red_before else Light.YELLOW
            text = _("节点“%(title)s”逾期 %(n)d 个工作日（节点时限 %(date)s）。") % {
                "title": title,
                "n": n,
                "date": due_on,
            }
            found.append(reason("milestone", light, text, n))
        heard_at, reported = last_word[d.pk]
        heard_on = timezone.localdate(heard_at)
        if light_rules.is_stale(last_word=heard_on, priority=d.priority, cut=cut):
            n = days(heard_on, today)
            text = (
                _("%(n)d 个工作日未报送进展（上次报送 %(date)s）。")
                if reported
                else _("交办以来 %(n)d 个工作日未报送进展（%(date)s 起）。")
            )
            found.append(reason("stale", Light.YELLOW, text % {"n": n, "date": heard_on}, n))
        if d.deadline >= cut.overdue_before:
            n = days(today, d.deadline)
            near = d.deadline <= cut.due_soon_until
            text = (
                _("距办理时限仅剩 %(n)d 个工作日（%(date)s）。")
                if near
                else _("距办理时限还有 %(n)d 个工作日（%(date)s）。")
            )
            found.append(
                reason(
                    "deadline", Light.YELLOW if near else Light.GREEN, text % {"n": n, "date": d.deadline}, n
                )
            )
        order = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}
        found.sort(key=lambda r: order[r["light"]])
    return reasons


def with_light_reasons(directives, *, today=None) -> list[Directive]:
    """The directives (a page's worth) with `light_reasons` set on each: the reasons that count
    (the red and yellow ones, or the one reason of a green light; none for a grey one)."""
    rows = list(directives)
    reasons = light_reasons(rows, today=today)
    for d in rows:
        found = reasons.get(d.pk, [])
        warnings = [r for r in found if r["light"] in (Light.RED, Light.YELLOW)]
        d.light_reasons = warnings or found[:1]
    return rows


def usual_source() -> str:
    """The source a new directive starts with: the most common one that needs nothing else (not a
    meeting, which then demands one), key work when there are none yet."""
    from .models import Source

    row = (
        Directive.objects.exclude(source=Source.MEETING)
        .values("source")
        .annotate(n=Count("id"))
        .order_by("-n", "source")
        .first()
    )
    return row["source"] if row else Source.KEY_WORK


def suggested_lead_units(directives) -> dict:
    """{directive id: the unit its text names to lead it} for these directives (those whose text names
    a unit): 由/请/责成 … 牵头/负责 first, then a unit named just before 牵头/负责, then the first one
    named, by any name the unit goes by. Two queries whatever the number of directives."""
    from duban.organisation.models import Unit
    from duban.organisation.selectors import unit_names

    directives = list(directives)
    if not directives:
        return {}
    names = unit_names()
    leading = {d.pk: names.leading(f"{d.title}。{d.content}") for d in directives}
    units = Unit.objects.filter(is_active=True).in_bulk({pk for pk in leading.values() if pk})
    return {d: units[pk] for d, pk in leading.items() if pk in units}


def suggested_leader(directive: Directive):
    """The leader a draft should go to when it names none: the one leader in charge of its theme, else
    the one whose portfolio holds its lead unit (or a unit above it); None when that is not one person."""
    from duban.organisation.models import Leader

    active = Leader.objects.filter(is_active=True)
    by_theme = list(active.filter(themes=directive.theme_id)[:2])
    if len(by_theme) == 1:
        return by_theme[0]
    path = directive.lead_unit.tree_path
    above = [int(part) for part in path.strip("/").split("/") if part]
    by_unit = list(active.filter(units__in=above).distinct()[:2])
    return by_unit[0] if len(by_unit) == 1 else None


# --- figures for the assessment (考核排名): one aggregate query per figure over every unit ------------


def _counted_by(rows: QuerySet, unit: str, done: Q) -> dict[int, tuple[int, int]]:
    """{unit id: (rows meeting `done`, rows)}, grouped by the path `unit`, in one query."""
    counts = rows.order_by().values(unit).annotate(total=Count("pk"), done=Count("pk", filter=done))
    return {row[unit]: (row["done"], row["total"]) for row in counts}


def directives_due_between(start: date, end: date) -> QuerySet[Directive]:
    """The directives due in [start, end] that were given to a unit (not drafts, not cancelled)."""
    return Directive.objects.filter(given_q(), deadline__range=(start, end))


def closure_counts_by_unit(*, start: date, end: date) -> dict[int, tuple[int, int]]:
    """{lead unit id: (closed by the deadline, due)} of the directives due in [start, end]."""
    on_time = Q(state=State.CLOSED, closed_at__date__lte=models.F("deadline"))
    return _counted_by(directives_due_between(start, end), "lead_unit_id", on_time)


def late_directive_rows(*, start: date, end: date, today: date) -> list[tuple[int, date, date]]:
    """(lead unit id, deadline, closed on or `today`) of the directives due in [start, end] closed after
    their deadline or still open past it; the caller counts the working days."""
    rows = directives_due_between(start, end).filter(deadline__lt=today)
    late = Q(closed_at__isnull=True) | Q(closed_at__date__gt=models.F("deadline"))
    return [
        (unit, deadline, closed.date() if closed else today)
        for unit, deadline, closed in rows.filter(late).values_list("lead_unit_id", "deadline", "closed_at")
    ]


def milestone_counts_by_unit(*, start: date, end: date) -> dict[int, tuple[int, int]]:
    """{lead unit id: (done by their date, due)} of the milestones due in [start, end]."""
    milestones = Milestone.objects.filter(due_on__range=(start, end)).exclude(
        directive__state__in=(State.DRAFT, State.CANCELLED)
    )
    return _counted_by(milestones, "directive__lead_unit_id", Q(done_on__lte=models.F("due_on")))


def reply_counts_by_unit(*, start: date, end: date) -> dict[int, tuple[int, int]]:
    """{unit id: (answered, asked)} of the reminders and supervision notices to reply by a day in [start, end]."""
    found: dict[int, tuple[int, int]] = {}
    for model, link in ((Reminder, "reminder"), (SupervisionNotice, "notice")):
        asked = model.objects.filter(reply_by__range=(start, end)).annotate(
            answered=Exists(SupervisionReply.objects.filter(**{link: OuterRef("pk")}))
        )
        for unit, (done, total) in _counted_by(asked, "unit_id", Q(answered=True)).items():
            before = found.get(unit, (0, 0))
            found[unit] = (before[0] + done, before[1] + total)
    return found
