"""The demo city's weekly cycle: last week's cycle closed (one unit on time, one late, the others
missing), with its bulletin and weekly meeting; this week's cycle open with a submitted report and a
draft; the eleven weeks before last week closed with nobody asked (the demo city started reporting
last week) but with their snapshots of the lights, so the cockpit's trend shows twelve weeks. Runs
after the directives' demo; running it twice changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.accounts.selectors import unit_heads, unit_liaisons
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Leader

from . import services
from .models import (
    AgendaKind,
    Bulletin,
    CycleState,
    LightSnapshot,
    ReportingCycle,
    ReportState,
    SnapshotItem,
    Timeliness,
    WeeklyMeeting,
    WeeklyReport,
)
from .selectors import current_cycle

TEXTS = {
    "done_this_week": "召开专题推进会，完成阶段性材料，与相关单位对接问题清单。",
    "plan_next_week": "按节点推进剩余工作，督促配合单位按时反馈。",
    "problems": "部分配合单位资料反馈较慢。",
}


def _liaison(unit_id: int) -> User | None:
    """The unit's liaison who files (not its head, who approves where the unit asks for it)."""
    return unit_liaisons([unit_id]).filter(is_unit_head=False).first()


def _file(
    report: WeeklyReport,
    *,
    percent: int,
    request: str = "",
    leader: Leader | None = None,
    approve: bool = True,
) -> bool:
    """Fill and submit a pending report as its unit's liaison would (through the unit's head, who
    approves it unless `approve` is False, where the unit asks for it); False if it has no liaison."""
    liaison = _liaison(report.unit_id)
    if liaison is None or report.state != ReportState.PENDING:
        return False
    for index, item in enumerate(report.items.all()):
        extra = {}
        if request and index == 0 and leader is not None:
            extra = {"coordination_request": request, "coordination_leader": leader}
        services.item_save(item=item, by=liaison, percent=percent, **TEXTS, **extra)
    if not report.unit.requires_head_approval:
        services.report_submit(report=report, by=liaison)
        return True
    report = services.report_submit_for_approval(report=report, by=liaison)
    head = unit_heads([report.unit_id]).first()
    if approve and head is not None:
        services.report_approve(report=report, by=head)
    return True


EARLIER_WEEKS = 11  # with last week's, the twelve weeks of the cockpit's trend


def _earlier_cycles() -> None:
    """Open and close the eleven working weeks before last week's (oldest first, so their issue numbers
    run in order), each closing with its snapshot; only in a fresh demo (no cycle yet)."""
    if ReportingCycle.objects.exists():
        return
    today = timezone.localdate()
    days = []
    weeks_back = 2
    while len(days) < EARLIER_WEEKS and weeks_back < 30:
        day = today - timedelta(weeks=weeks_back)
        if services.times_for(day).working_week:
            days.append((weeks_back, day))
        weeks_back += 1
    for weeks_back, day in reversed(days):
        cycle, created = services.cycle_open(day=day)
        if cycle is not None and created:
            services.cycle_close(cycle=cycle)
            _age_snapshot(cycle, weeks_back)


def _earlier(object_id: int, weeks_back: int) -> bool:
    # A fixed share of the items, growing with the weeks back: were not yet red (or yellow) then.
    return (object_id * 7) % 13 < weeks_back - 1


def _age_snapshot(cycle: ReportingCycle, weeks_back: int) -> None:
    """Demo history: today's lights were not all red weeks ago. Some red items were yellow then and some
    yellow ones green, in the snapshot's list and its counts alike (so the trend opens its list)."""
    rows = {(r.unit_id, r.theme_id, r.leader_id): r for r in LightSnapshot.objects.filter(cycle=cycle)}
    items = list(SnapshotItem.objects.filter(cycle=cycle))
    greener, yellower = [], []
    for item in items:
        if not _earlier(item.object_id, weeks_back):
            continue
        row = rows[(item.unit_id, item.theme_id, item.leader_id)]
        if item.light == "yellow":
            row.yellow, row.green = row.yellow - 1, row.green + 1
            greener.append(item.pk)
        else:
            row.red, row.yellow = row.red - 1, row.yellow + 1
            yellower.append(item.pk)
    SnapshotItem.objects.filter(pk__in=greener).delete()
    SnapshotItem.objects.filter(pk__in=yellower).update(light="yellow")
    LightSnapshot.objects.bulk_update(list(rows.values()), ["red", "yellow", "green"])


def load_demo(*, stdout=None) -> None:
    services.ensure_schedule()
    now = timezone.now()
    office = User.objects.filter(role=Role.OFFICE, is_active=True).first()
    leader = Leader.objects.filter(user__isnull=False).first()
    with audit_context(channel=Channel.COMMAND, actor=office):
        _earlier_cycles()
        last_week, _created = services.cycle_open(day=timezone.localdate() - timedelta(days=7))
        if last_week is not None and last_week.state == CycleState.OPEN:
            services.cycle_sync(cycle=last_week)
            reports = list(WeeklyReport.objects.filter(cycle=last_week).order_by("unit__tree_path"))
            filed = [
                r for r in reports if _file(r, percent=50, request="需市领导协调项目用地指标", leader=leader)
            ]
            # The first filed report came in before the due time, the others after it.
            for position, report in enumerate(filed):
                on_time = position == 0
                moment = (
                    last_week.due_at - timedelta(hours=3)
                    if on_time
                    else last_week.due_at + timedelta(hours=20)
                )
                WeeklyReport.objects.filter(pk=report.pk).update(
                    submitted_at=moment,
                    first_submitted_at=moment,
                    timeliness=Timeliness.ON_TIME if on_time else Timeliness.LATE,
                )
            services.cycle_close(cycle=last_week)
        if last_week is not None and office is not None:
            if not Bulletin.objects.filter(cycle=last_week).exists():
                services.bulletin_request(cycle=last_week, by=office, background=False)
            if not WeeklyMeeting.objects.filter(cycle=last_week).exists():
                weekly = services.weekly_meeting_create(
                    cycle=last_week,
                    by=office,
                    held_on=timezone.localtime(last_week.close_at).date(),
                    chair=leader,
                )
                first = weekly.agenda.filter(kind=AgendaKind.COORDINATION).first()
                if first is not None:
                    services.agenda_decide(
                        item=first, by=office, decision="由分管副市长牵头召开专题会议研究用地指标。"
                    )
        services.run_cycle(now=now)
        current = current_cycle()
        if current is not None and current.state == CycleState.OPEN:
            reports = [
                r
                for r in WeeklyReport.objects.filter(cycle=current).order_by("unit__tree_path")
                if _liaison(r.unit_id) is not None
            ]
            if (
                reports
                and not WeeklyReport.objects.filter(cycle=current).exclude(state=ReportState.PENDING).exists()
            ):
                # One unit has filed and one is drafting; a unit asking for its head's approval has
                # filed and waits for him (demo user head3).
                by_head = [r for r in reports if r.unit.requires_head_approval]
                others = [r for r in reports if not r.unit.requires_head_approval]
                if others:
                    _file(others[0], percent=60)
                if len(others) > 1 and (item := others[1].items.first()) is not None:
                    services.item_save(
                        item=item, by=_liaison(others[1].unit_id), done_this_week="草稿：正在汇总本周进展。"
                    )
                if by_head:
                    _file(by_head[0], percent=55, approve=False)
    if stdout is not None:
        count = WeeklyReport.objects.count()
        stdout.write(f"周报告：{count} 份单位周报（上周已截止并编制周报和周例会，本周填报中）。")
