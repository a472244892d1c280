"""A unit's weekly report: filling its items (saved as you go), submitting it, and the office reopening
it. One service per step of `workflow.REPORT_WORKFLOW`, each in one transaction on the locked report."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.concurrency import lock_for_update
from duban.core.errors import Invalid

from .. import providers as registry
from .. import selectors
from ..models import ITEM_INPUT_FIELDS, CycleState, ReportItem, ReportState, Timeliness, WeeklyReport
from ..workflow import REPORT_WORKFLOW
from .common import add_missing_items, notify_liaisons, report_url


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


@transaction.atomic
def report_submit(*, report: WeeklyReport, by, expected_version: int | None = None) -> WeeklyReport:
    """Submit and lock the report; on time if first submitted by the due time, else late."""
    current = _locked(report, expected_version)
    REPORT_WORKFLOW.check(by, current, "submit")
    now = timezone.now()
    if current.timeliness == Timeliness.MISSING:
        # Filed after the close (the office reopened it): late, whatever the clock says.
        current.timeliness = Timeliness.LATE
    elif current.first_submitted_at is None:
        current.timeliness = Timeliness.ON_TIME if now <= current.cycle.due_at else Timeliness.LATE
    current.first_submitted_at = current.first_submitted_at or now
    current.submitted_at = now
    current.submitted_by = by
    REPORT_WORKFLOW.move(current, "submit", by=by)
    record_progress(current, by=by)
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
    if report.state == ReportState.SUBMITTED:
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
