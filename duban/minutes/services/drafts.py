"""Drafts: extracting a report into editable rows, the meeting's details, and the lock every change of
a draft takes (who, whether it is still open, and whether it moved on since the edit began)."""

from __future__ import annotations

import logging
import re
import time
from bisect import bisect_left, bisect_right
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.concurrency import EditConflict, versioned_update
from duban.core.errors import Invalid
from duban.core.jobs import queue
from duban.core.rules import require
from duban.directives.selectors import MEETING_KIND_OTHER
from duban.organisation.naming import lead_rank
from duban.organisation.selectors import resolve_unit

from ..engine import MinutesResult, trim_boilerplate
from ..engine.titles import task_title
from ..models import DraftState, MinutesDraft
from ..rules import may_delete_draft, may_import_minutes
from ..selectors import Prefill, prefill
from .reading import check_length, extract

logger = logging.getLogger(__name__)

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
EDGE_PUNCTUATION = "，；。、：,;. \n\t"


def unwrap(text: str) -> str:
    return _UNWRAP.sub("", text)


def default_title(text: str) -> str:
    """A short title from a requirement: the clause that names its task (`engine.titles`), without the
    modal verb, at most 40 characters."""
    return task_title(text.strip(EDGE_PUNCTUATION)) or text[:40]


# --- from the engine's result to editable rows -----------------------------------------------------


def _units_of(directive, *, known: Prefill) -> tuple[list[int], list[str]]:
    """The ids of the units a requirement names, the leading one first, and the names left to the office."""
    text = directive.text

    def rank(mention: dict) -> int:
        at = text.find(mention["matched"])
        return lead_rank(text, at, at + len(mention["matched"])) if at >= 0 else 2

    # A unit named as "由/请/责成…牵头/负责" leads, then one named just before 牵头/负责, then the first
    # named (the sort keeps the order named within each rank).
    mentions = sorted(directive.units, key=rank)
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
        # How sure the engine is (the page sorts by it and marks the guesses), who laid it, and where.
        "confidence": directive.confidence,
        "speaker": directive.speaker,
        "speaker_title": directive.speaker_title,
        "meeting": directive.meeting,
    }


class _TooLong(Exception):
    """An extraction the office would wait too long for: handed to the background worker."""


def _inline_budget(seconds: float):
    deadline = time.monotonic() + seconds

    def check(_share: float) -> None:
        if time.monotonic() > deadline:
            raise _TooLong

    return check


def _fill(draft: MinutesDraft, result: MinutesResult, *, meeting_date: date | None, title: str = "") -> None:
    """The draft's rows and meeting details from the engine's result."""
    known = prefill()
    rows = [
        _row_from(directive, key=key, result=result, known=known)
        for key, directive in enumerate(result.directives, start=1)
    ]
    meeting = result.meeting
    draft.title = (title or draft.title or meeting.type or _("会议"))[:200]
    draft.normalized_text = result.normalized_text
    draft.extraction = result.to_dict()
    draft.rows = rows
    draft.next_key = len(rows) + 1
    draft.meeting_kind = MEETING_KINDS.get(meeting.type or "", MEETING_KIND_OTHER)
    draft.meeting_date = meeting.date or meeting_date
    draft.chair_id = known.leaders_by_name.get(meeting.chair or "")
    draft.attendees = list(meeting.attendees)


def draft_create(
    *,
    by,
    text: str,
    meeting_date: date | None = None,
    source_name: str = "",
    title: str = "",
    background: bool | None = None,
) -> MinutesDraft:
    """Extract and keep the result as a draft; nothing else is created until the office confirms.

    A short text is extracted at once. A long one (over DUBAN_MINUTES_INLINE_MAX_CHARS characters), or
    one still being read after DUBAN_MINUTES_INLINE_SECONDS, is kept as a draft being extracted
    (`DraftState.EXTRACTING`) and read by the background worker, whose progress the draft page shows.
    """
    require(may_import_minutes, by)
    text = trim_boilerplate(text)
    check_length(text)
    draft = MinutesDraft(
        title=title[:200],
        source_name=(source_name or "")[:200],
        source_text=text,
        normalized_text="",
        meeting_date=meeting_date,
        created_by=by,
    )
    if background is None:
        background = len(text) > settings.DUBAN_MINUTES_INLINE_MAX_CHARS
    if not background:
        try:
            result = extract(
                text=text,
                meeting_date=meeting_date,
                on_progress=_inline_budget(settings.DUBAN_MINUTES_INLINE_SECONDS),
            )
        except _TooLong:
            background = True
        else:
            _fill(draft, result, meeting_date=meeting_date, title=title)
    if background:
        draft.title = draft.title or _("会议")
        draft.state = DraftState.EXTRACTING
        draft.progress = 0
        draft.step = _("排队等待提取")
    with transaction.atomic():
        draft.full_clean()
        draft.save()
        if background:
            _queue(draft.pk)
    return draft


EXTRACT_FUNC = "duban.minutes.services.draft_extract_job"


def _queue(pk: int) -> None:
    queue(EXTRACT_FUNC, pk, name=f"minutes-extract-{pk}")


def _progress(pk: int, share: float, step: str) -> None:
    # A derived value: a plain UPDATE the polling page sees at once (autocommit in the worker).
    MinutesDraft.objects.filter(pk=pk, state=DraftState.EXTRACTING).update(
        progress=min(99, int(share * 100)), step=step[:100]
    )


def draft_extract(*, draft_id: int) -> MinutesDraft | None:
    """Extract a draft kept for the background worker; a failure is kept on the draft (and it may be
    deleted). None when the draft was deleted meanwhile."""
    draft = MinutesDraft.objects.filter(pk=draft_id, state=DraftState.EXTRACTING).first()
    if draft is None:
        return None
    step = _("提取督办事项")
    _progress(draft_id, 0.01, step)
    last = [0]

    def on_progress(share: float) -> None:
        percent = int(share * 100)
        if percent >= last[0] + 5:
            last[0] = percent
            _progress(draft_id, share, step)

    try:
        result = extract(text=draft.source_text, meeting_date=draft.meeting_date, on_progress=on_progress)
        with transaction.atomic():
            current = MinutesDraft.objects.select_for_update().filter(pk=draft_id).first()
            if current is None or current.state != DraftState.EXTRACTING:
                return current
            _fill(current, result, meeting_date=current.meeting_date)
            current.state = DraftState.DRAFT
            current.progress = 100
            current.step = _("已完成")
            current.version += 1
            current.save()
        return current
    except Exception as error:
        logger.exception("minutes draft %s could not be extracted", draft_id)
        message = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        MinutesDraft.objects.filter(pk=draft_id).update(
            state=DraftState.FAILED, step=_("提取失败"), error=message[:2000] or error.__class__.__name__
        )
        return MinutesDraft.objects.filter(pk=draft_id).first()


def draft_extract_job(draft_id: int) -> str:
    """The background task (django-q2)."""
    with audit_context(channel=Channel.JOB):
        draft = draft_extract(draft_id=draft_id)
        return draft.state if draft else "deleted"


@transaction.atomic
def draft_delete(*, draft: MinutesDraft, by) -> None:
    """The office deletes an import that was not confirmed (being extracted, failed, or a draft), with
    its rows; the audit trail keeps the deletion. A confirmed import is the record of where its
    meeting's directives came from and stays."""
    require(may_delete_draft, by, draft)
    current = MinutesDraft.objects.select_for_update().filter(pk=draft.pk).first()
    if current is None:
        return
    if current.state == DraftState.CONFIRMED:
        raise Invalid(_("该纪要已确认并创建了会议，不能删除。"))
    current.delete()


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
