"""Drafts: extracting a report into editable rows, the meeting's details, and the lock every change of
a draft takes (who, whether it is still open, and whether it moved on since the edit began)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.concurrency import EditConflict, versioned_update
from duban.core.errors import Invalid
from duban.core.rules import require
from duban.directives.selectors import MEETING_KIND_OTHER
from duban.organisation.selectors import resolve_unit

from ..engine import MinutesResult
from ..models import MinutesDraft
from ..rules import may_import_minutes
from ..selectors import Prefill, prefill
from .reading import extract

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
EDGE_PUNCTUATION = "，；。、：,;. \n\t"


def unwrap(text: str) -> str:
    return _UNWRAP.sub("", text)


def default_title(text: str) -> str:
    """A short title from a requirement: its first clause without the modal verb, at most 40 characters."""
    body = _MODAL.sub("", text.strip(EDGE_PUNCTUATION)) or text
    first = re.split(r"[，；。,;]", body, maxsplit=1)[0]
    title = first if len(first) >= 6 else body
    return title if len(title) <= 40 else title[:39] + "…"


# --- from the engine's result to editable rows -----------------------------------------------------


def _units_of(directive, *, known: Prefill) -> tuple[list[int], list[str]]:
    """The ids of the units a requirement names, the leading one first, and the names left to the office."""
    text = directive.text
    # A unit named as "由…牵头" leads; otherwise the first unit named does.
    mentions = sorted(
        directive.units,
        key=lambda u: 0 if re.search("由" + re.escape(u["matched"]) + "(?:牵头|负责)", text) else 1,
    )
    unit_ids: list[int] = []
    notes: list[str] = []
    for mention in mentions:
        unit_id = mention.get("id")
        if unit_id is None and not mention.get("group"):
            unit = resolve_unit(mention["name"], units=known.units)
            unit_id = unit.pk if unit else None
        if unit_id is None:
            # A group (各县区) or a name the directory does not know: the office resolves it.
            notes.append(mention["name"])
        elif unit_id not in unit_ids:
            unit_ids.append(unit_id)
    return unit_ids, notes


def _leader_of(directive, *, known: Prefill, lead_unit: int | None, theme: str) -> int | None:
    """The leader the requirement names, else the one whose portfolio holds the lead unit."""
    named = [m["id"] for m in directive.leaders if m.get("id")]
    named += [
        known.leaders_by_name[m["name"]] for m in directive.leaders if m["name"] in known.leaders_by_name
    ]
    if named:
        return named[0]
    return known.leader_for(lead_unit, theme) if lead_unit else None


def _normalised_span(result: MinutesResult, start: int, end: int) -> tuple[int, int]:
    """The span of the normalised text made from the original [start, end)."""
    normalised = result.normalized
    return bisect_left(normalised.starts, start), bisect_right(normalised.ends, end)


def _row_from(directive, *, key: int, result: MinutesResult, known: Prefill) -> dict:
    unit_ids, notes = _units_of(directive, known=known)
    theme = known.theme(directive.theme)
    lead_unit = unit_ids[0] if unit_ids else None
    nstart, nend = _normalised_span(result, directive.start, directive.end)
    return {
        "key": key,
        "title": default_title(directive.text),
        "text": directive.text,
        "original": directive.original,
        "start": directive.start,
        "end": directive.end,
        "nstart": nstart,
        "nend": nend,
        "theme": theme,
        "leader": _leader_of(directive, known=known, lead_unit=lead_unit, theme=theme),
        "lead_unit": lead_unit,
        "co_units": unit_ids[1:],
        "deadline": directive.deadline.isoformat() if directive.deadline else None,
        "deadline_text": directive.deadline_text,
        "notes": notes,
    }


def draft_create(
    *, by, text: str, meeting_date: date | None = None, source_name: str = "", title: str = ""
) -> MinutesDraft:
    """Extract and keep the result as a draft; nothing else is created until the office confirms."""
    require(may_import_minutes, by)
    result = extract(text=text, meeting_date=meeting_date)
    known = prefill()
    rows = [
        _row_from(directive, key=key, result=result, known=known)
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
        chair_id=known.leaders_by_name.get(meeting.chair or ""),
        attendees=list(meeting.attendees),
        created_by=by,
    )
    draft.full_clean()
    draft.save()
    return draft


# --- changing a draft --------------------------------------------------------------------------------


def check_version(current: MinutesDraft, expected_version: int | None) -> None:
    """EditConflict when the draft moved on since the edit began (None: the edit names no version)."""
    if expected_version is not None and current.version != expected_version:
        rows = str(MinutesDraft._meta.get_field("rows").verbose_name)
        raise EditConflict(changes=[(rows, None, _("现有 %(n)d 项") % {"n": len(current.rows)})])


def locked_draft(draft: MinutesDraft, *, by, expected_version: int | None = None) -> MinutesDraft:
    """The draft as stored now, locked for a change by `by` (in the caller's transaction).

    Refused to all but the office (403), once confirmed (400), and when it moved on since
    `expected_version` (409): an edit made from an older page would undo someone else's.
    """
    require(may_import_minutes, by)
    current = MinutesDraft.objects.select_for_update().get(pk=draft.pk)
    if not current.is_open:
        raise Invalid(_("该纪要已确认，不能再修改。"))
    check_version(current, expected_version)
    return current


@transaction.atomic
def draft_update(*, draft: MinutesDraft, by, expected_version: int | None = None, **fields) -> MinutesDraft:
    """The meeting's details (title, kind, date, chair, default deadline, whether to assign at once),
    edited from `expected_version` (without one, from the draft as it is now)."""
    current = locked_draft(draft, by=by)
    expected = current.version if expected_version is None else expected_version
    return versioned_update(current, expected_version=expected, fields=fields, by=by).instance
