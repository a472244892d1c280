"""The weekly lists in Excel, each a table of columns (header, value of a row): the cycles, a cycle's
reports and a weekly meeting's decisions. The pages export the rows their selectors read with the
page's own filters. (The bulletin's workbook is laid out in `bulletin.py`.)"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext_lazy as _

from duban.core.excel import write_workbook

Columns = list[tuple[str, Callable]]


def _label(obj, field: str) -> str:
    return str(getattr(obj, f"get_{field}_display")()) if getattr(obj, field) else ""


CYCLE_COLUMNS: Columns = [
    (_("年度"), lambda c: c.iso_year),
    (_("期数"), lambda c: c.issue_number),
    (_("开始日期"), lambda c: c.starts_on),
    (_("结束日期"), lambda c: c.ends_on),
    (_("报送截止时间"), lambda c: c.due_at),
    (_("关闭时间"), lambda c: c.close_at),
    (_("状态"), lambda c: _label(c, "state")),
]

REPORT_COLUMNS: Columns = [
    (_("报送单位"), lambda r: r.unit.name),
    (_("状态"), lambda r: _label(r, "state")),
    (_("报送及时性"), lambda r: _label(r, "timeliness")),
    (_("提交时间"), lambda r: r.submitted_at),
    (_("事项数"), lambda r: r.item_count),
    (_("需协调事项数"), lambda r: r.request_count),
    (_("催报次数"), lambda r: r.reminder_count),
]

SNAPSHOT_ITEM_COLUMNS: Columns = [
    (_("周报周期"), lambda i: f"{i.cycle.iso_year} {i.cycle.issue_label}"),
    (_("亮灯"), lambda i: {"red": _("红灯"), "yellow": _("黄灯")}.get(i.light, i.light)),
    (_("事项编号"), lambda i: i.object_id),
    (_("事项名称"), lambda i: i.title),
    (_("牵头单位"), lambda i: i.unit_name),
    (_("工作主题"), lambda i: i.theme_name),
    (_("责任领导"), lambda i: i.leader_name),
    (_("办理时限"), lambda i: i.deadline),
    (_("完成进度（%）"), lambda i: i.percent),
]

DECISION_COLUMNS: Columns = [
    (_("序号"), lambda a: a.order),
    (_("议题类型"), lambda a: _label(a, "kind")),
    (_("议题"), lambda a: a.title),
    (_("相关单位"), lambda a: a.unit.name if a.unit_id else ""),
    (_("议题内容"), lambda a: a.detail),
    (_("会议决定"), lambda a: a.decision),
    (_("决定事项"), lambda a: _label(a, "action")),
    (_("督办事项编号"), lambda a: a.resulting_directive_id),
    (_("决定时间"), lambda a: a.decided_at),
]


def workbook(*, title: str, columns: Columns, rows: Iterable) -> bytes:
    return write_workbook(
        title=title,
        headers=[str(header) for header, _value in columns],
        rows=([value(row) for _header, value in columns] for row in rows),
    )
