"""The rows of a draft, as the office edits them: change one, replace them all (the API), drop, merge
with the next, split in two. Each change locks the draft and is refused when it was made from an
older state of the draft (`expected_version`), so two people editing the same draft lose nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.errors import Invalid

from ..engine import normalise
from ..models import MinutesDraft
from ..selectors import row_confidence
from .drafts import EDGE_PUNCTUATION, default_title, draft_update, locked_draft, unwrap

# What the office edits in a row (the page's row form and the API's rows).
EDITABLE = ("title", "text", "theme", "leader", "lead_unit", "co_units", "deadline")


@contextmanager
def _editing(draft: MinutesDraft, *, by, expected_version: int | None) -> Iterator[MinutesDraft]:
    """The draft locked for one change of its rows, saved with its version one up."""
    with transaction.atomic():
        current = locked_draft(draft, by=by, expected_version=expected_version)
        yield current
        current.version += 1
        current.full_clean()
        current.save()


def _index(rows: list[dict], key: int) -> int:
    for index, row in enumerate(rows):
        if row["key"] == key:
            return index
    raise Invalid(_("找不到该事项，可能已被合并或删除。"))


def _stored(name: str, value):
    """A row's field in its stored form: ids, theme codes, ISO dates."""
    if name in ("leader", "lead_unit"):
        return getattr(value, "pk", value)
    if name == "co_units":
        return [getattr(unit, "pk", unit) for unit in value or []]
    if name == "theme":
        return getattr(value, "code", value) or ""
    if name == "deadline":
        return value.isoformat() if isinstance(value, date) else (value or None)
    return value


def _editable(values: dict) -> dict:
    """The editable fields given, stored; the lead unit is never also a co-operating one."""
    stored = {name: _stored(name, values[name]) for name in EDITABLE if name in values}
    if "lead_unit" in stored and "co_units" in stored:
        stored["co_units"] = [pk for pk in stored["co_units"] if pk != stored["lead_unit"]]
    return stored


def draft_row_update(
    *, draft: MinutesDraft, by, key: int, values: dict, expected_version: int | None = None
) -> MinutesDraft:
    with _editing(draft, by=by, expected_version=expected_version) as current:
        current.rows[_index(current.rows, key)].update(_editable(values))
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
        "confidence": 1.0,  # written by the office, not guessed
        "speaker": None,
        "speaker_title": None,
        "meeting": None,
    }


def draft_rows_replace(
    *, draft: MinutesDraft, by, rows: list[dict], expected_version: int | None = None
) -> MinutesDraft:
    """Replace the rows (the API's PATCH): a known key keeps its source span, a row without one is new."""
    with _editing(draft, by=by, expected_version=expected_version) as current:
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


@transaction.atomic
def draft_patch(
    *, draft: MinutesDraft, by, expected_version: int | None = None, rows: list[dict] | None = None, **fields
) -> MinutesDraft:
    """The API's PATCH, as one change: the meeting's details and, when given, every row."""
    current = draft_update(draft=draft, by=by, expected_version=expected_version, **fields)
    if rows is not None:
        current = draft_rows_replace(draft=current, by=by, rows=rows, expected_version=current.version)
    return current


def draft_row_drop(*, draft: MinutesDraft, by, key: int, expected_version: int | None = None) -> MinutesDraft:
    with _editing(draft, by=by, expected_version=expected_version) as current:
        del current.rows[_index(current.rows, key)]
    return current


# --- merging ---------------------------------------------------------------------------------------


def _join(first: str, second: str) -> str:
    first, second = first.rstrip(EDGE_PUNCTUATION), second.lstrip(EDGE_PUNCTUATION)
    return f"{first}；{second}" if first and second else first or second


def _span(rows: list[dict], low: str, high: str) -> tuple[int | None, int | None]:
    lows = [row[low] for row in rows if row.get(low) is not None]
    highs = [row[high] for row in rows if row.get(high) is not None]
    return (min(lows), max(highs)) if lows and highs else (None, None)


def _merged(first: dict, second: dict, *, source_text: str) -> dict:
    """One row of two: the text of both, the source from the first's start to the second's end, the
    first's assignment where it has one, every unit of both, the earlier deadline."""
    merged = dict(first)
    merged["text"] = _join(first["text"], second["text"])
    merged["start"], merged["end"] = _span([first, second], "start", "end")
    merged["nstart"], merged["nend"] = _span([first, second], "nstart", "nend")
    merged["original"] = (
        source_text[merged["start"] : merged["end"]]
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
    merged["confidence"] = min(row_confidence(first), row_confidence(second))
    return merged


def draft_rows_merge(
    *, draft: MinutesDraft, by, key: int, expected_version: int | None = None
) -> MinutesDraft:
    """Merge a row with the next one: one directive whose source runs from the first to the second."""
    with _editing(draft, by=by, expected_version=expected_version) as current:
        index = _index(current.rows, key)
        if index + 1 >= len(current.rows):
            raise Invalid(_("这是最后一项，没有可合并的下一项。"))
        first, second = current.rows[index], current.rows[index + 1]
        current.rows[index : index + 2] = [_merged(first, second, source_text=current.source_text)]
    return current


# --- splitting -------------------------------------------------------------------------------------


def split_positions(row: dict) -> list[tuple[int, str]]:
    """Where a row's text may sensibly be split: after each comma, semicolon or full stop."""
    text = row.get("text") or ""
    positions = []
    for match in re.finditer(r"[，；。、,;]", text):
        position = match.end()
        if 0 < position < len(text.rstrip(EDGE_PUNCTUATION)):
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
    needle = row["text"][position : position + 8].lstrip(EDGE_PUNCTUATION)
    if needle and source.count(needle) == 1:
        return nstart + source.index(needle)
    return None


def _cut_source(draft: MinutesDraft, row: dict, first: dict, second: dict, *, position: int) -> None:
    """Cut the row's source spans where its text was cut, when that place can be found in the source
    (otherwise both parts keep the whole span)."""
    cut = _normalised_position(draft, row, position)
    if cut is None:
        return
    normalised = normalise(draft.source_text)
    while cut < row["nend"] and draft.normalized_text[cut] in EDGE_PUNCTUATION:
        cut += 1
    first["nend"], second["nstart"] = cut, cut
    first["start"], first["end"] = normalised.original_span(row["nstart"], cut)
    second["start"], second["end"] = normalised.original_span(cut, row["nend"])
    first["original"] = draft.source_text[first["start"] : first["end"]]
    second["original"] = draft.source_text[second["start"] : second["end"]]


def draft_row_split(
    *, draft: MinutesDraft, by, key: int, position: int, expected_version: int | None = None
) -> MinutesDraft:
    """Split a row in two at `position` (a character offset into its text); both keep its assignment."""
    with _editing(draft, by=by, expected_version=expected_version) as current:
        index = _index(current.rows, key)
        row = current.rows[index]
        text = row.get("text") or ""
        head, tail = text[:position].rstrip(EDGE_PUNCTUATION), text[position:].lstrip(EDGE_PUNCTUATION)
        if not 0 < position < len(text) or not head or not tail:
            raise Invalid(_("拆分位置必须在事项文字的中间。"))
        first, second = dict(row), dict(row)
        second["key"] = current.next_key
        current.next_key += 1
        first["text"], second["text"] = head, tail
        second["title"] = default_title(tail)
        if first["title"] == default_title(text):
            first["title"] = default_title(head)
        second["co_units"] = list(row.get("co_units", []))
        second["notes"] = list(row.get("notes", []))
        _cut_source(current, row, first, second, position=position)
        current.rows[index : index + 1] = [first, second]
    return current
