"""A unit's weekly report: filling its items (saved as you go), submitting it (through the unit's head
where the unit asks for it: 单位领导审核), and the office reopening it. One service per step of
`workflow.REPORT_WORKFLOW`, each in one transaction on the locked report."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.selectors import unit_liaisons
from duban.core.concurrency import lock_for_update
from duban.core.errors import Invalid
from duban.notifications.services import notify

from .. import providers as registry
from .. import selectors
from ..models import ITEM_INPUT_FIELDS, CycleState, ReportItem, ReportState, Timeliness, WeeklyReport
from ..workflow import REPORT_WORKFLOW
from .common import add_missing_items, notify_heads, notify_liaisons, report_url


def _locked(report: WeeklyReport, expected_version: int | None = None) -> WeeklyReport:
    """The report as stored now, locked; EditConflict if it moved on since expected_version."""
    if expected_version is not None:
        return lock_for_update(report, expected_version=expected_version, submitted={"state": report.state})
    return (
        WeeklyReport.objects.select_for_update(of=("self",)).select_related("cycle", "unit").get(pk=report.pk)
    )


def _clean_coordination(item: ReportItem) -> None:
    # A request names whom it asks (a leader or a unit); without a request, nobody is asked.
    if not item.coordination_request.strip():
        item.coordination_leader = item.coordination_unit = None
    elif item.coordination_leader is None and item.coordination_unit is None:
        message = _("请选择提请协调的领导或单位。")
        raise Invalid(message, fields={"coordination_request": [message]})


@transaction.atomic
def item_save(*, item: ReportItem, by, **fields) -> ReportItem:
    """Save one item of the report (the form saves as you go); a pending report becomes a draft."""
    report = _locked(item.report)
    REPORT_WORKFLOW.check(by, report, "fill")
    unknown = set(fields) - set(ITEM_INPUT_FIELDS)
    if unknown:
        raise ValueError(f"item_save(): unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    _clean_coordination(item)
    item.updated_at = timezone.now()
    item.full_clean(exclude=["report", "theme"])
    item.save()
    if report.state == ReportState.PENDING:
        REPORT_WORKFLOW.move(report, "fill", by=by)
    return item


def _deliver(
    current: WeeklyReport, step: str, *, by, counted_at, submitted_by, note: str = ""
) -> WeeklyReport:
    """The report reaches the office (step "submit" or the head's "approve"): locked, its timeliness
    counted at `counted_at` (on time up to the due time, else late), each item's progress recorded."""
    if current.timeliness == Timeliness.MISSING:
        # Filed after the close (the office reopened it): late, whatever the clock says.
        current.timeliness = Timeliness.LATE
    elif current.first_submitted_at is None:
        current.timeliness = Timeliness.ON_TIME if counted_at <= current.cycle.due_at else Timeliness.LATE
    current.first_submitted_at = current.first_submitted_at or counted_at
    current.submitted_at = timezone.now()
    current.submitted_by = submitted_by
    REPORT_WORKFLOW.move(current, step, by=by, note=note)
    record_progress(current, by=by)
    _tell_leaders_asked(current, by=by)
    return current


def _tell_leaders_asked(report: WeeklyReport, *, by) -> int:
    """The leaders the report asks to coordinate are told at once (it needs them: never held for a
    digest), one notice each, with the requests addressed to him; the link is the week's bulletin page,
    which every leader reads."""
    asked: dict[int, list] = {}
    items = report.items.filter(coordination_leader__user__is_active=True).select_related(
        "coordination_leader__user"
    )
    for item in items.order_by("id"):
        asked.setdefault(item.coordination_leader.user_id, []).append(item)
    for items in asked.values():
        notify(
            recipients=[items[0].coordination_leader.user],
            kind="coordination",
            title=_("%(unit)s提请您协调 %(n)d 项事项") % {"unit": report.unit, "n": len(items)},
            body="\n".join(f"{item.title}：{item.coordination_request}" for item in items),
            url=reverse("weekly:bulletin", args=[report.cycle_id]),
            sender=by,
        )
    return len(asked)


@transaction.atomic
def report_submit(*, report: WeeklyReport, by, expected_version: int | None = None) -> WeeklyReport:
    """Submit and lock the report; on time if first submitted by the due time, else late."""
    current = _locked(report, expected_version)
    REPORT_WORKFLOW.check(by, current, "submit")
    return _deliver(current, "submit", by=by, counted_at=timezone.now(), submitted_by=by)


@transaction.atomic
def report_submit_for_approval(
    *, report: WeeklyReport, by, expected_version: int | None = None
) -> WeeklyReport:
    """The liaison sends the filled report to the unit's head (单位领导审核); it is locked meanwhile."""
    current = _locked(report, expected_version)
    REPORT_WORKFLOW.check(by, current, "submit_for_approval")
    current.head_requested_at = timezone.now()
    current.head_requested_by = by
    current.head_note = ""
    REPORT_WORKFLOW.move(current, "submit_for_approval", by=by)
    notify_heads(
        current.unit_id,
        title=_("%(issue)s周报待您审核") % {"issue": current.cycle.issue_label},
        body=_("%(unit)s的周报已由%(who)s填报完成，审核通过后报送督查室。")
        % {"unit": current.unit, "who": by},
        url=report_url(current.pk),
        sender=by,
    )
    return current


@transaction.atomic
def report_approve(*, report: WeeklyReport, by, expected_version: int | None = None) -> WeeklyReport:
    """The unit's head approves the report: it reaches the office.

    Its timeliness counts from the liaison's submission when the head approves within the cycle
    (before it closes): the unit filed in time and its own review is not lateness towards the office;
    the office compiles the week only at the close, so it has lost nothing. Approved after the close,
    it counts from its arrival at the office, as any report filed then (late)."""
    current = _locked(report, expected_version)
    REPORT_WORKFLOW.check(by, current, "approve")
    now = timezone.now()
    cycle = current.cycle
    within = bool(current.head_requested_at) and cycle.state == CycleState.OPEN and now <= cycle.close_at
    counted_at = current.head_requested_at if within else now
    return _deliver(
        current, "approve", by=by, counted_at=counted_at, submitted_by=current.head_requested_by or by
    )


@transaction.atomic
def report_send_back(
    *, report: WeeklyReport, by, reason: str, expected_version: int | None = None
) -> WeeklyReport:
    """The unit's head sends the report back to the liaison with his reason; it is a draft again."""
    current = _locked(report, expected_version)
    reason = (reason or "").strip()[:200]
    REPORT_WORKFLOW.check(by, current, "send_back", note=reason)
    current.head_note = reason
    REPORT_WORKFLOW.move(current, "send_back", by=by, note=reason)
    asked_by = [current.head_requested_by] if current.head_requested_by_id else []
    notify(
        recipients=asked_by or unit_liaisons([current.unit_id]),
        kind="returned",
        title=_("%(issue)s周报被单位领导退回修改") % {"issue": current.cycle.issue_label},
        body=reason,
        url=report_url(current.pk),
        sender=by,
    )
    return current


def record_progress(report: WeeklyReport, *, by) -> int:
    """What the unit submitted becomes each item's progress in its own capability (a directive's
    progress report: its percent, timeline and audit trail), so that the weekly report and the ledger
    never disagree. An item left as it started (what the directive already says) adds nothing."""
    points = selectors.starting_points(report)
    recorded = 0
    for item in report.items.order_by("id"):
        provider = registry.provider(item.source)
        if provider is None or not hasattr(provider, "record_progress") or item.percent is None:
            continue
        point = points.get((item.source, item.object_id))
        if point is not None and (item.done_this_week, item.percent) == (point.text, point.percent):
            continue
        recorded += provider.record_progress(
            item.object_id, by=by, text=item.done_this_week, percent=item.percent
        )
    return recorded


@transaction.atomic
def report_reopen(*, report: WeeklyReport, by, reason: str = "") -> WeeklyReport:
    """The office returns a submitted report for changes, or lets a unit file after the close."""
    current = _locked(report)
    reason = (reason or "").strip()[:200]
    REPORT_WORKFLOW.check(by, current, "reopen", note=reason)
    current.reopened_at = timezone.now()
    current.reopen_reason = reason
    REPORT_WORKFLOW.move(current, "reopen", by=by, note=reason)
    if current.cycle.state == CycleState.CLOSED:
        # Filing after the close: the new items of the unit are gathered as for an open cycle.
        add_missing_items(current)
    notify_liaisons(
        [current.unit_id],
        kind="returned",
        title=_("%(issue)s周报已退回修改") % {"issue": current.cycle.issue_label},
        body=current.reopen_reason,
        url=report_url(current.pk),
        sender=by,
    )
    return current


def report_refresh(*, report: WeeklyReport) -> None:
    """When the unit opens its form: add the items it took on since the cycle opened, and start every
    item it has not touched yet from where it stands (the directive's percent, this week's progress)."""
    if report.is_locked:
        return
    if report.cycle.state == CycleState.OPEN:
        add_missing_items(report)
    item_prefill(report=report)


def item_prefill(*, report: WeeklyReport) -> int:
    """Start the items the unit has not saved yet from their starting points; returns how many changed.

    Until the unit saves an item its values are a copy of the directive's (derived, like a light), so
    they are written in one bulk update, without audit entries; the unit's own save is audited."""
    items = list(report.items.filter(updated_at__isnull=True).order_by("id"))
    points = selectors.starting_points(report, items) if items else {}
    changed = []
    for item in items:
        point = points.get((item.source, item.object_id))
        if point is None or (item.percent, item.done_this_week) == (point.percent, point.text):
            continue
        item.percent, item.done_this_week = point.percent, point.text
        changed.append(item)
    ReportItem.objects.bulk_update(changed, ["percent", "done_this_week"])
    return len(changed)
