"""Minutes import: read an upload, extract drafts with the engine, let the office edit them, then create
the meeting and its directives through the directives app in one transaction."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.scope import is_office
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.uploads import check_upload
from duban.directives.selectors import MEETING_KIND_OTHER
from duban.directives.services import directive_create_from, meeting_create
from duban.organisation.models import Leader, Theme, Unit
from duban.organisation.selectors import leader_directory, resolve_unit, unit_directory

from .engine import MinutesError, MinutesResult, extract_minutes, normalise, read_bytes
from .models import DraftState, MinutesDraft

# The files the office may upload: plain text in any encoding the engine reads, or a Word document.
MINUTES_FILES = (".txt", ".docx")

# The engine's meeting types and the directives app's kinds of meeting.
MEETING_KINDS = {
    "市长议事会": "mayor_council",
    "常务会议": "executive",
    "办公会议": "mayor_office",
    "专题会议": "special",
    "周例会": "weekly",
}

# A directive's text loses the line breaks of a hard-wrapped paragraph (as the engine does).
_UNWRAP = re.compile(r"[ \t]*\n[ \t]*")
_MODAL = re.compile(r"^(?:要|必须|务必|需要|需|应当|应)")
_EDGE_PUNCTUATION = "，；。、：,;. \n\t"


def reading_error_message(error: MinutesError) -> str:
    """The engine's reading problems in the user's language (the command says the same, with the path)."""
    messages = {
        "empty": _("文件是空的，没有可提取的内容。"),
        "binary": _("文件不是文本，也不是 .docx 文档，无法读取。"),
        "encoding": _("无法识别文件的文字编码（支持 UTF-8、GB18030/GBK 等）。"),
        "document": _("无法打开 Word 文档（仅支持 .docx）。"),
    }
    return messages.get(error.code, _("无法读取文件。"))


def read_upload(upload) -> str:
    """Check an uploaded .txt or .docx and read it into text; ValidationError in Chinese when it cannot."""
    check_upload(upload, allowed=MINUTES_FILES)
    upload.seek(0)
    try:
        return read_bytes(upload.read(), filename=upload.name or "")
    except MinutesError as error:
        raise ValidationError(reading_error_message(error)) from error


def extract(*, text: str, meeting_date: date | None = None) -> MinutesResult:
    """The engine run against the unit and leader directories, so names come back with their ids."""
    if not (text or "").strip():
        raise ValidationError(_("请粘贴会议纪要或通稿的文字，或上传文件。"))
    return extract_minutes(
        text, meeting_date=meeting_date, units=unit_directory(), leaders=leader_directory()
    )


# --- from the engine's result to editable rows -----------------------------------------------------


def unwrap(text: str) -> str:
    return _UNWRAP.sub("", text)


def default_title(text: str) -> str:
    """A short title from a requirement: its first clause without the modal verb, at most 40 characters."""
    body = _MODAL.sub("", text.strip(_EDGE_PUNCTUATION)) or text
    first = re.split(r"[，；。,;]", body, maxsplit=1)[0]
    title = first if len(first) >= 6 else body
    return title if len(title) <= 40 else title[:39] + "…"


@dataclass
class _Lookups:
    """Everything the rows are resolved against, read once per extraction."""

    units: list[Unit]
    theme_codes: set[str]
    leaders_by_name: dict[str, int]
    portfolio: dict[int, list[int]] = field(default_factory=dict)
    leader_themes: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Lookups:
        leaders = list(Leader.objects.filter(is_active=True).prefetch_related("units", "themes"))
        by_name: dict[str, list[int]] = {}
        portfolio: dict[int, list[int]] = {}
        for leader in leaders:
            by_name.setdefault(leader.name, []).append(leader.pk)
            for unit in leader.units.all():
                portfolio.setdefault(unit.pk, []).append(leader.pk)
        return cls(
            units=list(Unit.objects.filter(is_active=True)),
            theme_codes=set(Theme.objects.filter(is_active=True).values_list("code", flat=True)),
            leaders_by_name={name: ids[0] for name, ids in by_name.items() if len(ids) == 1},
            portfolio=portfolio,
            leader_themes={leader.pk: {theme.code for theme in leader.themes.all()} for leader in leaders},
        )

    def leader_for(self, unit_id: int, theme: str) -> int | None:
        """The leader whose portfolio holds the unit; of several, the one in charge of the theme."""
        candidates = self.portfolio.get(unit_id, [])
        if len(candidates) > 1:
            candidates = [pk for pk in candidates if theme in self.leader_themes.get(pk, ())]
        return candidates[0] if len(candidates) == 1 else None

    def theme(self, code: str) -> str:
        if code in self.theme_codes:
            return code
        return "general" if "general" in self.theme_codes else ""


def _normalised_span(result: MinutesResult, start: int, end: int) -> tuple[int, int]:
    """The span of the normalised text made from the original [start, end)."""
    normalised = result.normalized
    return bisect_left(normalised.starts, start), bisect_right(normalised.ends, end)


def _row_from(directive, *, key: int, result: MinutesResult, lookups: _Lookups) -> dict:
    unit_ids: list[int] = []
    notes: list[str] = []
    text = directive.text
    # A unit named as "由…牵头" leads; otherwise the first unit named does.
    mentions = sorted(
        directive.units,
        key=lambda u: 0 if re.search("由" + re.escape(u["matched"]) + "(?:牵头|负责)", text) else 1,
    )
    for mention in mentions:
        unit_id = mention.get("id")
        if unit_id is None and not mention.get("group"):
            unit = resolve_unit(mention["name"], units=lookups.units)
            unit_id = unit.pk if unit else None
        if unit_id is None:
            # A group (各县区) or a name the directory does not know: the office resolves it.
            notes.append(mention["name"])
        elif unit_id not in unit_ids:
            unit_ids.append(unit_id)
    leader = next((m["id"] for m in directive.leaders if m.get("id")), None)
    if leader is None:
        leader = next(
            (
                lookups.leaders_by_name[m["name"]]
                for m in directive.leaders
                if m["name"] in lookups.leaders_by_name
            ),
            None,
        )
    theme = lookups.theme(directive.theme)
    if leader is None and unit_ids:
        # The leader whose portfolio holds the lead unit answers for it.
        leader = lookups.leader_for(unit_ids[0], theme)
    nstart, nend = _normalised_span(result, directive.start, directive.end)
    return {
        "key": key,
        "title": default_title(text),
        "text": text,
        "original": directive.original,
        "start": directive.start,
        "end": directive.end,
        "nstart": nstart,
        "nend": nend,
        "theme": theme,
        "leader": leader,
        "lead_unit": unit_ids[0] if unit_ids else None,
        "co_units": unit_ids[1:],
        "deadline": directive.deadline.isoformat() if directive.deadline else None,
        "deadline_text": directive.deadline_text,
        "notes": notes,
    }


def draft_create(
    *, by, text: str, meeting_date: date | None = None, source_name: str = "", title: str = ""
) -> MinutesDraft:
    """Extract and keep the result as a draft; nothing else is created until the office confirms."""
    if not is_office(by):
        raise PermissionDenied
    result = extract(text=text, meeting_date=meeting_date)
    lookups = _Lookups.load()
    rows = [
        _row_from(directive, key=key, result=result, lookups=lookups)
        for key, directive in enumerate(result.directives, start=1)
    ]
    meeting = result.meeting
    draft = MinutesDraft(
        title=(title or meeting.type or _("会议"))[:200],
        source_name=(source_name or "")[:200],
        source_text=text,
        normalized_text=result.normalized_text,
        extraction=result.to_dict(),
        rows=rows,
        next_key=len(rows) + 1,
        meeting_kind=MEETING_KINDS.get(meeting.type or "", MEETING_KIND_OTHER),
        meeting_date=meeting.date or meeting_date,
        chair_id=lookups.leaders_by_name.get(meeting.chair or ""),
        attendees=list(meeting.attendees),
        created_by=by,
    )
    draft.full_clean()
    draft.save()
    return draft


# --- editing the draft -----------------------------------------------------------------------------


@contextmanager
def _editing(draft: MinutesDraft, *, by) -> Iterator[MinutesDraft]:
    """The draft locked for this change (edits of two rows at once must not lose one another)."""
    if not is_office(by):
        raise PermissionDenied
    with transaction.atomic():
        current = MinutesDraft.objects.select_for_update().get(pk=draft.pk)
        if not current.is_open:
            raise ValidationError(_("该纪要已确认，不能再修改。"))
        yield current
        current.full_clean()
        current.save()


def _index(rows: list[dict], key: int) -> int:
    for index, row in enumerate(rows):
        if row["key"] == key:
            return index
    raise ValidationError(_("找不到该事项，可能已被合并或删除。"))


EDITABLE = ("title", "text", "theme", "leader", "lead_unit", "co_units", "deadline")


def _editable(values: dict) -> dict:
    """The editable fields of a row in their stored form (ids, codes, ISO dates)."""
    stored = {}
    for name in EDITABLE:
        if name not in values:
            continue
        value = values[name]
        if name in ("leader", "lead_unit"):
            value = getattr(value, "pk", value)
        elif name == "co_units":
            value = [getattr(unit, "pk", unit) for unit in value or []]
        elif name == "theme":
            value = getattr(value, "code", value) or ""
        elif name == "deadline":
            value = value.isoformat() if isinstance(value, date) else (value or None)
        stored[name] = value
    if "lead_unit" in stored and "co_units" in stored:
        stored["co_units"] = [pk for pk in stored["co_units"] if pk != stored["lead_unit"]]
    return stored


def draft_update(*, draft: MinutesDraft, by, **fields) -> MinutesDraft:
    """The meeting's details: title, kind, date, chair, default deadline, and whether to assign at once."""
    with _editing(draft, by=by) as current:
        for name, value in fields.items():
            setattr(current, name, value)
    return current


def draft_row_update(*, draft: MinutesDraft, by, key: int, values: dict) -> dict:
    with _editing(draft, by=by) as current:
        row = current.rows[_index(current.rows, key)]
        row.update(_editable(values))
    return row


def draft_rows_replace(*, draft: MinutesDraft, by, rows: list[dict]) -> MinutesDraft:
    """Replace the rows (the API's PATCH): a known key keeps its source span, a row without one is new."""
    with _editing(draft, by=by) as current:
        known = {row["key"]: row for row in current.rows}
        replaced = []
        for values in rows:
            key = values.get("key")
            if key in known:
                row = dict(known.pop(key))
            else:
                row = _blank_row(key=current.next_key)
                current.next_key += 1
            row.update(_editable(values))
            if not row.get("title"):
                row["title"] = default_title(row.get("text") or "")
            replaced.append(row)
        current.rows = replaced
    return current


def _blank_row(*, key: int) -> dict:
    return {
        "key": key,
        "title": "",
        "text": "",
        "original": "",
        "start": None,
        "end": None,
        "nstart": None,
        "nend": None,
        "theme": "",
        "leader": None,
        "lead_unit": None,
        "co_units": [],
        "deadline": None,
        "deadline_text": None,
        "notes": [],
    }


def draft_row_drop(*, draft: MinutesDraft, by, key: int) -> MinutesDraft:
    with _editing(draft, by=by) as current:
        del current.rows[_index(current.rows, key)]
    return current


def _join(first: str, second: str) -> str:
    first, second = first.rstrip(_EDGE_PUNCTUATION), second.lstrip(_EDGE_PUNCTUATION)
    return f"{first}；{second}" if first and second else first or second


def _span(rows: list[dict], low: str, high: str) -> tuple[int | None, int | None]:
    lows = [row[low] for row in rows if row.get(low) is not None]
    highs = [row[high] for row in rows if row.get(high) is not None]
    return (min(lows), max(highs)) if lows and highs else (None, None)


def draft_rows_merge(*, draft: MinutesDraft, by, key: int) -> MinutesDraft:
    """Merge a row with the next one: one directive whose source runs from the first to the second."""
    with _editing(draft, by=by) as current:
        index = _index(current.rows, key)
        if index + 1 >= len(current.rows):
            raise ValidationError(_("这是最后一项，没有可合并的下一项。"))
        first, second = current.rows[index], current.rows[index + 1]
        merged = dict(first)
        merged["text"] = _join(first["text"], second["text"])
        merged["start"], merged["end"] = _span([first, second], "start", "end")
        merged["nstart"], merged["nend"] = _span([first, second], "nstart", "nend")
        merged["original"] = (
            current.source_text[merged["start"] : merged["end"]]
            if merged["start"] is not None
            else _join(first.get("original", ""), second.get("original", ""))
        )
        merged["leader"] = first.get("leader") or second.get("leader")
        merged["theme"] = first.get("theme") or second.get("theme")
        lead = first.get("lead_unit") or second.get("lead_unit")
        units = [
            first.get("lead_unit"),
            *first.get("co_units", []),
            second.get("lead_unit"),
            *second.get("co_units", []),
        ]
        merged["lead_unit"] = lead
        merged["co_units"] = list(dict.fromkeys(pk for pk in units if pk and pk != lead))
        deadlines = [row for row in (first, second) if row.get("deadline")]
        if deadlines:
            earliest = min(deadlines, key=lambda row: row["deadline"])
            merged["deadline"], merged["deadline_text"] = earliest["deadline"], earliest.get("deadline_text")
        merged["notes"] = list(dict.fromkeys([*first.get("notes", []), *second.get("notes", [])]))
        current.rows[index : index + 2] = [merged]
    return current


def split_positions(row: dict) -> list[tuple[int, str]]:
    """Where a row's text may sensibly be split: after each comma, semicolon or full stop."""
    text = row.get("text") or ""
    positions = []
    for match in re.finditer(r"[，；。、,;]", text):
        position = match.end()
        if 0 < position < len(text.rstrip(_EDGE_PUNCTUATION)):
            positions.append((position, text[max(0, position - 12) : position]))
    return positions


def _normalised_position(draft: MinutesDraft, row: dict, position: int) -> int | None:
    """The position in the normalised text of `position` in the row's text, when the text can be found there."""
    nstart, nend = row.get("nstart"), row.get("nend")
    if nstart is None or nend is None:
        return None
    source = draft.normalized_text[nstart:nend]
    if unwrap(source) == row["text"]:
        # Unedited: walk the normalised span, skipping what unwrapping removed.
        for offset in range(len(source) + 1):
            if len(unwrap(source[:offset])) >= position:
                return nstart + offset
        return None
    # Edited: the start of the second part, if it occurs once in the source.
    needle = row["text"][position : position + 8].lstrip(_EDGE_PUNCTUATION)
    if needle and source.count(needle) == 1:
        return nstart + source.index(needle)
    return None


def draft_row_split(*, draft: MinutesDraft, by, key: int, position: int) -> MinutesDraft:
    """Split a row in two at `position` (a character offset into its text); both keep its assignment."""
    with _editing(draft, by=by) as current:
        index = _index(current.rows, key)
        row = current.rows[index]
        text = row.get("text") or ""
        if not isinstance(position, int) or not 0 < position < len(text):
            raise ValidationError(_("拆分位置必须在事项文字的中间。"))
        head, tail = text[:position].rstrip(_EDGE_PUNCTUATION), text[position:].lstrip(_EDGE_PUNCTUATION)
        if not head or not tail:
            raise ValidationError(_("拆分位置必须在事项文字的中间。"))
        first, second = dict(row), dict(row)
        second["key"] = current.next_key
        current.next_key += 1
        first["text"], second["text"] = head, tail
        second["title"] = default_title(tail)
        if first["title"] == default_title(text):
            first["title"] = default_title(head)
        second["co_units"] = list(row.get("co_units", []))
        second["notes"] = list(row.get("notes", []))
        cut = _normalised_position(current, row, position)
        if cut is not None:
            normalised = normalise(current.source_text)
            while cut < row["nend"] and current.normalized_text[cut] in _EDGE_PUNCTUATION:
                cut += 1
            first["nend"], second["nstart"] = cut, cut
            first["start"], first["end"] = normalised.original_span(row["nstart"], cut)
            second["start"], second["end"] = normalised.original_span(cut, row["nend"])
            first["original"] = current.source_text[first["start"] : first["end"]]
            second["original"] = current.source_text[second["start"] : second["end"]]
        current.rows[index : index + 1] = [first, second]
    return current


# --- confirming ------------------------------------------------------------------------------------


class ConfirmRejected(Exception):
    """Nothing was created; `errors` lists (row number or None for the meeting, message)."""

    def __init__(self, errors: list[tuple[int | None, str]]):
        self.errors = errors
        super().__init__("\n".join(self.messages()))

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


def _parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _plan(draft: MinutesDraft) -> tuple[dict, list[tuple[int, dict]], list[tuple[int | None, str]]]:
    """What confirming would create, and every problem that stops it."""
    errors: list[tuple[int | None, str]] = []
    if not draft.meeting_date:
        errors.append((None, _("请填写会议日期。")))
    if not draft.rows:
        errors.append((None, _("没有可创建的督办事项。")))
    wanted_units = {
        pk for row in draft.rows for pk in [row.get("lead_unit"), *(row.get("co_units") or [])] if pk
    }
    units = Unit.objects.filter(is_active=True).in_bulk(wanted_units)
    wanted_leaders = {row.get("leader") for row in draft.rows if row.get("leader")}
    leaders = Leader.objects.filter(is_active=True).in_bulk(wanted_leaders)
    themes = {theme.code: theme for theme in Theme.objects.filter(is_active=True)}
    default_deadline = draft.default_deadline
    plan = []
    for number, row in enumerate(draft.rows, start=1):
        title = (row.get("title") or "").strip()
        if not title:
            errors.append((number, _("事项名称不能为空。")))
        elif len(title) > 200:
            errors.append((number, _("事项名称不能超过 200 个字。")))
        lead_unit = units.get(row.get("lead_unit")) if row.get("lead_unit") else None
        if lead_unit is None:
            errors.append((number, _("请选择牵头单位。")))
        co_units = []
        for pk in row.get("co_units") or []:
            if pk not in units:
                errors.append((number, _("配合单位（编号 %(id)s）不存在或已停用。") % {"id": pk}))
            elif pk != row.get("lead_unit"):
                co_units.append(units[pk])
        leader = None
        if row.get("leader"):
            leader = leaders.get(row["leader"])
            if leader is None:
                errors.append((number, _("责任领导（编号 %(id)s）不存在或已离任。") % {"id": row["leader"]}))
        theme = themes.get(row.get("theme") or "")
        if theme is None:
            errors.append((number, _("请选择工作主题。")))
        deadline = _parse_date(row.get("deadline")) if row.get("deadline") else default_deadline
        if row.get("deadline") and deadline is None:
            errors.append((number, _("办理时限“%(d)s”不是有效日期。") % {"d": row["deadline"]}))
        elif deadline is None:
            errors.append((number, _("请填写办理时限（或填写默认办理时限）。")))
        plan.append(
            (
                number,
                {
                    "title": title[:200],
                    "content": _content(row),
                    "source_note": _source_note(draft, row),
                    "theme": theme,
                    "responsible_leader": leader,
                    "lead_unit": lead_unit,
                    "co_units": co_units,
                    "deadline": deadline,
                },
            )
        )
    chair = draft.chair if draft.chair_id and draft.chair.is_active else None
    attendees = list(Leader.objects.filter(is_active=True, name__in=draft.attendees or []))
    meeting = {
        "kind": draft.meeting_kind,
        "title": (draft.title or draft.get_meeting_kind_display())[:200],
        "held_on": draft.meeting_date,
        "chair": chair,
        "minutes": draft.normalized_text,
        "leaders": attendees,
        "units": [units[pk] for pk in sorted(wanted_units) if pk in units],
    }
    return meeting, plan, errors


def _content(row: dict) -> str:
    text = (row.get("text") or "").strip()
    original = (row.get("original") or "").strip()
    if original and original != text:
        return f"{text}\n\n{_('原文')}：{original}"
    return text


def _source_note(draft: MinutesDraft, row: dict) -> str:
    if row.get("start") is None:
        return _("会议纪要导入 #%(id)d") % {"id": draft.pk}
    return (
        _("会议纪要导入 #%(id)d，原文第 %(start)d–%(end)d 字")
        % {"id": draft.pk, "start": row["start"], "end": row["end"]}
    )[:200]


def confirm_problems(draft: MinutesDraft) -> ConfirmRejected | None:
    """What would stop confirmation now (for showing the office before it clicks)."""
    _meeting, _rows, errors = _plan(draft)
    return ConfirmRejected(errors) if errors else None


def draft_confirm(*, draft: MinutesDraft, by, assign: bool | None = None):
    """Create the meeting (a directives meeting) and one directive per row, all or nothing; ConfirmRejected names each bad row."""
    if not is_office(by):
        raise PermissionDenied
    with transaction.atomic(), audit_context(channel=Channel.IMPORT, actor=by):
        current = MinutesDraft.objects.select_for_update().get(pk=draft.pk)
        if not current.is_open:
            raise ConfirmRejected([(None, _("该纪要已确认，不能重复确认。"))])
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
        current.save()
    return meeting
