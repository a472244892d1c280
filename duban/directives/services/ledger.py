"""The ledger (台账) in Excel: the office's list of directives going out (the export, filtered like the
board) and coming back in (the import: every row checked, then all saved or none)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from duban.accounts.rules import is_office_user
from duban.core.dates import parse_date
from duban.core.excel import ImportRejected, RowErrors, write_workbook
from duban.core.imports import SheetImport, run_import
from duban.core.rules import require
from duban.organisation.models import Leader, Theme, Unit
from duban.organisation.selectors import resolve_unit

from ..models import Directive, Meeting, Priority, Source
from .directives import directive_create

LEDGER_COLUMNS = {
    "事项名称": "title",
    "具体内容": "content",
    "工作主题": "theme",
    "责任领导": "leader",
    "牵头单位": "lead_unit",
    "配合单位": "co_units",
    "办理时限": "deadline",
    "优先级": "priority",
    "来源": "source",
    "会议": "meeting",
    "来源说明": "source_note",
}
EXPORT_HEADERS = ["编号", *LEDGER_COLUMNS, "状态", "亮灯", "完成进度（%）"]


def _ledger_row(d: Directive) -> tuple:
    return (
        d.pk,
        d.title,
        d.content,
        d.theme.name,
        d.responsible_leader.name if d.responsible_leader_id else "",
        d.lead_unit.name,
        "、".join(u.name for u in d.co_units.all()),
        d.deadline,
        str(d.get_priority_display()),
        str(d.get_source_display()),
        d.meeting.title if d.meeting_id else "",
        d.source_note,
        str(d.get_state_display()),
        str(d.get_light_display()),
        d.percent,
    )


def ledger_template() -> bytes:
    """The import's blank sheet: the columns it reads, in its order, ready to fill in."""
    return write_workbook(title=_("督办台账"), headers=list(LEDGER_COLUMNS), rows=[])


def directives_to_excel(directives: QuerySet[Directive]) -> bytes:
    rows = (
        directives.select_related("theme", "responsible_leader", "lead_unit", "meeting")
        .prefetch_related("co_units")
        .iterator(chunk_size=2000)
    )
    return write_workbook(title=_("督办事项台账"), headers=EXPORT_HEADERS, rows=map(_ledger_row, rows))


def _text(values: dict, name: str) -> str:
    return str(values.get(name) or "").strip()


def _by_label(choices, text: str, default=None):
    if not text:
        return default
    for code, label in choices:
        if text in (str(code), str(label)):
            return code
    return None


def _one(found: list, name: str, message: str, error: Callable[[str], None]):
    """The single match of a name, or None after saying it is missing or ambiguous."""
    if not name:
        return None
    if len(found) != 1:
        error(message)
        return None
    return found[0]


@dataclass
class _Lookups:
    """The names a ledger row may use, read once per import."""

    units: list[Unit]
    themes: dict[str, Theme] = field(default_factory=dict)
    leaders: dict[str, list[Leader]] = field(default_factory=dict)
    meetings: dict[str, list[Meeting]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Lookups:
        lookups = cls(units=list(Unit.objects.filter(is_active=True)))
        for theme in Theme.objects.filter(is_active=True):
            lookups.themes[theme.name] = lookups.themes[theme.code] = theme
        for leader in Leader.objects.filter(is_active=True):
            lookups.leaders.setdefault(leader.name, []).append(leader)
        for meeting in Meeting.objects.all():
            lookups.meetings.setdefault(meeting.title, []).append(meeting)
        return lookups

    def units_named(self, text: str, error: Callable[[str], None]) -> list[Unit]:
        units = []
        for name in re.split(r"[、,，;；\s]+", text):
            if not name:
                continue
            unit = resolve_unit(name, units=self.units)
            if unit is None:
                error(_("配合单位“%(n)s”无法识别。") % {"n": name})
            else:
                units.append(unit)
        return units


def _title(values: dict, error) -> str:
    title = _text(values, "title")
    if not title:
        error(_("事项名称不能为空。"))
    elif len(title) > 200:
        error(_("事项名称不能超过 200 个字。"))
    return title


def _people_and_places(values: dict, lookups: _Lookups, error) -> dict:
    theme = lookups.themes.get(_text(values, "theme"))
    if theme is None:
        error(_("工作主题“%(t)s”不存在。") % {"t": values.get("theme") or ""})
    leader = _text(values, "leader")
    lead_unit = resolve_unit(_text(values, "lead_unit"), units=lookups.units)
    if lead_unit is None:
        error(_("牵头单位“%(n)s”无法识别。") % {"n": values.get("lead_unit") or ""})
    return {
        "theme": theme,
        "responsible_leader": _one(
            lookups.leaders.get(leader, []), leader, _("责任领导“%(n)s”不存在或重名。") % {"n": leader}, error
        ),
        "lead_unit": lead_unit,
        "co_units": lookups.units_named(_text(values, "co_units"), error),
    }


def _when_and_why(values: dict, lookups: _Lookups, error) -> dict:
    deadline = parse_date(values.get("deadline"))
    if deadline is None:
        error(_("办理时限“%(d)s”不是有效日期（如 2026-06-30）。") % {"d": values.get("deadline") or ""})
    priority = _by_label(Priority.choices, _text(values, "priority"), Priority.NORMAL)
    if priority is None:
        error(_("优先级“%(p)s”无效。") % {"p": values.get("priority")})
    title = _text(values, "meeting")
    meeting = _one(
        lookups.meetings.get(title, []), title, _("会议“%(m)s”不存在或重名。") % {"m": title}, error
    )
    source = _by_label(Source.choices, _text(values, "source"), Source.MEETING if title else Source.KEY_WORK)
    if source is None:
        error(_("来源“%(s)s”无效。") % {"s": values.get("source")})
    elif source == Source.MEETING and not title:
        error(_("来源为会议议定时，请填写会议名称。"))
    return {"deadline": deadline, "priority": priority, "meeting": meeting, "source": source}


class DirectiveImport(SheetImport):
    """The office's ledger sheet: one directive per row, assigned at once unless imported as drafts."""

    columns = LEDGER_COLUMNS
    required = ("title", "theme", "lead_unit", "deadline")

    def authorize(self, by) -> None:
        require(is_office_user, by, message=_("只有督查室账号可以导入督办台账。"))

    def check(self, rows, errors: RowErrors, **options) -> list[tuple[int, dict]]:
        lookups = _Lookups.load()
        plan = []
        for row in rows:

            def error(message: str, number: int = row.number) -> None:
                errors.add(number, message)

            values = row.values
            fields = {
                "title": _title(values, error),
                "content": str(values.get("content") or ""),
                **_people_and_places(values, lookups, error),
                **_when_and_why(values, lookups, error),
                "source_note": str(values.get("source_note") or "")[:200],
            }
            plan.append((row.number, fields))
        return plan

    def save(self, plan, *, by, progress, assign: bool = True, **options) -> dict:
        errors = RowErrors()
        created = 0
        for done, (number, fields) in enumerate(plan, start=1):
            try:
                directive_create(by=by, assign=assign, **fields)
            except ValidationError as error:
                errors.add(number, "；".join(error.messages))
                continue
            created += 1
            progress(done, len(plan))
        if errors:
            raise ImportRejected(errors)
        return {"created": created}

    def success_message(self, result: dict) -> str:
        return _("导入完成：新增 %(created)d 项督办事项。") % result


def directives_import_excel(*, upload, by, assign: bool = True) -> dict[str, int]:
    """Create directives from the office's ledger sheet: all or nothing, every bad row reported."""
    return run_import(DirectiveImport(), upload=upload, by=by, assign=assign)
