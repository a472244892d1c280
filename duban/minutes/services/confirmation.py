"""Confirming a draft: the meeting and one directive per row, created through the directives app in one
transaction, all or nothing; every problem that stops it is named by row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.dates import parse_date
from duban.core.errors import Invalid
from duban.core.rules import require
from duban.directives.services import directive_create_from, meeting_create

from ..models import DraftState, MinutesDraft
from ..rules import may_import_minutes
from ..selectors import Named, named_in, unit_ids
from .drafts import check_version

Problems = list[tuple[int | None, str]]  # (row number, or None for the meeting; message)


class ConfirmRejected(Invalid):
    """Nothing was created; `errors` lists (row number or None for the meeting, message), and the API
    answers them as `rows`: [{"row": 3, "message": "请选择牵头单位。"}]."""

    code = "confirm_rejected"

    def __init__(self, errors: Problems):
        self.errors = errors
        super().__init__(
            _("未创建任何会议或督办事项。"),
            extra={"rows": [{"row": row, "message": message} for row, message in errors]},
        )

    def messages(self) -> list[str]:
        return [
            message if row is None else _("第 %(row)d 项：%(message)s") % {"row": row, "message": message}
            for row, message in self.errors
        ]

    def by_row(self) -> dict[int | None, list[str]]:
        grouped: dict[int | None, list[str]] = {}
        for row, message in self.errors:
            grouped.setdefault(row, []).append(message)
        return grouped


def _content(row: dict) -> str:
    """What the unit reads: the requirement in simplified, normalised text (no pinyin, no traditional
    characters); the wording as received stays on the meeting's record."""
    return (row.get("text") or "").strip()


def _minutes(draft: MinutesDraft) -> str:
    """The meeting's record: the report as read (simplified), then as received where that differs
    (traditional characters, pinyin readings), so nothing of the source is lost."""
    normalised = (draft.normalized_text or "").strip()
    original = (draft.source_text or "").strip()
    if original and original != normalised:
        return f"{normalised}\n\n{_('原文')}：\n{original}"
    return normalised


def _source_note(draft: MinutesDraft, row: dict) -> str:
    if row.get("start") is None:
        return _("会议纪要导入 #%(id)d") % {"id": draft.pk}
    return (
        _("会议纪要导入 #%(id)d，原文第 %(start)d–%(end)d 字")
        % {"id": draft.pk, "start": row["start"], "end": row["end"]}
    )[:200]


def _title_problem(title: str) -> str | None:
    if not title:
        return _("事项名称不能为空。")
    if len(title) > 200:
        return _("事项名称不能超过 200 个字。")
    return None


def _deadline(row: dict, default) -> tuple[object, str | None]:
    """The row's deadline (else the draft's default), and what is wrong with it."""
    if not row.get("deadline"):
        return default, None if default else _("请填写办理时限（或填写默认办理时限）。")
    deadline = parse_date(row["deadline"])
    return deadline, None if deadline else _("办理时限“%(d)s”不是有效日期。") % {"d": row["deadline"]}


def _directive(draft: MinutesDraft, row: dict, named: Named) -> tuple[dict, list[str]]:
    """What one row would create, and what is wrong with it."""
    title = (row.get("title") or "").strip()
    lead_unit = named.units.get(row.get("lead_unit")) if row.get("lead_unit") else None
    leader = named.leaders.get(row["leader"]) if row.get("leader") else None
    theme = named.themes.get(row.get("theme") or "")
    deadline, deadline_problem = _deadline(row, draft.default_deadline)
    problems = [
        _title_problem(title),
        None if lead_unit else _("请选择牵头单位。"),
        *(
            _("配合单位（编号 %(id)s）不存在或已停用。") % {"id": pk}
            for pk in row.get("co_units") or []
            if pk not in named.units
        ),
        _("责任领导（编号 %(id)s）不存在或已离任。") % {"id": row["leader"]}
        if row.get("leader") and leader is None
        else None,
        None if theme else _("请选择工作主题。"),
        deadline_problem,
    ]
    fields = {
        "title": title[:200],
        "content": _content(row),
        "source_note": _source_note(draft, row),
        "theme": theme,
        "responsible_leader": leader,
        "lead_unit": lead_unit,
        "co_units": [
            named.units[pk]
            for pk in row.get("co_units") or []
            if pk in named.units and pk != row.get("lead_unit")
        ],
        "deadline": deadline,
    }
    return fields, [problem for problem in problems if problem]


def _meeting(draft: MinutesDraft, named: Named) -> dict:
    chair = draft.chair if draft.chair_id and draft.chair.is_active else None
    return {
        "kind": draft.meeting_kind,
        "title": (draft.title or draft.get_meeting_kind_display())[:200],
        "held_on": draft.meeting_date,
        "chair": chair,
        "minutes": _minutes(draft),
        "leaders": named.attendees,
        "units": [named.units[pk] for pk in sorted(unit_ids(draft.rows)) if pk in named.units],
    }


def _plan(draft: MinutesDraft) -> tuple[dict, list[tuple[int, dict]], Problems]:
    """What confirming would create (the meeting, each row's directive), and every problem that stops it."""
    errors: Problems = []
    if not draft.meeting_date:
        errors.append((None, _("请填写会议日期。")))
    if not draft.rows:
        errors.append((None, _("没有可创建的督办事项。")))
    named = named_in(draft)
    plan = []
    for number, row in enumerate(draft.rows, start=1):
        fields, problems = _directive(draft, row, named)
        errors.extend((number, problem) for problem in problems)
        plan.append((number, fields))
    return _meeting(draft, named), plan, errors


def confirm_problems(draft: MinutesDraft) -> ConfirmRejected | None:
    """What would stop confirmation now (for showing the office before it clicks)."""
    _meeting_fields, _rows, errors = _plan(draft)
    return ConfirmRejected(errors) if errors else None


def draft_confirm(
    *, draft: MinutesDraft, by, assign: bool | None = None, expected_version: int | None = None
):
    """Create the meeting (a directives meeting) and one directive per row, all or nothing;
    ConfirmRejected names each bad row. Refused when the draft moved on since `expected_version`."""
    require(may_import_minutes, by)
    with transaction.atomic(), audit_context(channel=Channel.IMPORT, actor=by):
        current = MinutesDraft.objects.select_for_update().get(pk=draft.pk)
        if not current.is_open:
            raise ConfirmRejected([(None, _("该纪要已确认，不能重复确认。"))])
        check_version(current, expected_version)
        if assign is not None:
            current.assign = assign
        meeting_fields, plan, errors = _plan(current)
        if errors:
            raise ConfirmRejected(errors)
        meeting = meeting_create(by=by, **meeting_fields)
        for number, fields in plan:
            try:
                directive_create_from(
                    by=by, source="meeting", assign=current.assign, meeting=meeting, **fields
                )
            except ValidationError as error:
                errors.append((number, "；".join(error.messages)))
        if errors:
            # Leaving the block with an exception rolls back the meeting and every directive.
            raise ConfirmRejected(errors)
        current.state = DraftState.CONFIRMED
        current.meeting = meeting
        current.confirmed_by = by
        current.confirmed_at = timezone.now()
        current.version += 1
        current.save()
    return meeting
