"""Reading minutes drafts (office only: the model has no data scope), and what the draft page shows."""

from __future__ import annotations

from django.db.models import QuerySet

from duban.accounts.scope import visible_to
from duban.organisation.models import Leader, Theme, Unit

from .models import MinutesDraft


def draft_list(*, user) -> QuerySet[MinutesDraft]:
    return visible_to(user, MinutesDraft.objects.select_related("created_by", "meeting"))


def draft_row(draft: MinutesDraft, key: int) -> dict | None:
    return next((row for row in draft.rows if row["key"] == key), None)


def highlight(text: str, spans: list[tuple[int | None, int | None, int, int]]) -> list[dict]:
    """`text` cut into segments, those inside a span (start, end, row key, row number) marked with it.

    Built here rather than in the template so that the page only loops and escapes; spans that overlap
    (after an edit) are clipped so every character appears once.
    """
    segments: list[dict] = []
    position = 0
    for start, end, key, number in sorted(
        (span for span in spans if span[0] is not None and span[1] is not None), key=lambda s: (s[0], s[1])
    ):
        start = max(start, position)
        end = min(end, len(text))
        if end <= start:
            continue
        if start > position:
            segments.append({"text": text[position:start], "key": None, "number": None})
        segments.append({"text": text[start:end], "key": key, "number": number})
        position = end
    if position < len(text):
        segments.append({"text": text[position:], "key": None, "number": None})
    return segments


def rows_for_display(draft: MinutesDraft) -> list[dict]:
    """The rows with the names of their theme, leader and units: three queries whatever the number of rows."""
    unit_ids = {pk for row in draft.rows for pk in [row.get("lead_unit"), *(row.get("co_units") or [])] if pk}
    leader_ids = {row["leader"] for row in draft.rows if row.get("leader")}
    units = Unit.objects.in_bulk(unit_ids) if unit_ids else {}
    leaders = Leader.objects.in_bulk(leader_ids) if leader_ids else {}
    themes = dict(Theme.objects.values_list("code", "name"))
    shown = []
    for number, row in enumerate(draft.rows, start=1):
        shown.append(
            {
                **row,
                "number": number,
                "theme_name": themes.get(row.get("theme") or "", ""),
                "leader_obj": leaders.get(row.get("leader")),
                "lead_unit_obj": units.get(row.get("lead_unit")),
                "co_unit_objs": [units[pk] for pk in row.get("co_units") or [] if pk in units],
                "is_last": number == len(draft.rows),
            }
        )
    return shown


def workspace(draft: MinutesDraft) -> dict:
    """The context of the draft's working area: both texts highlighted and the rows."""
    rows = rows_for_display(draft)
    return {
        "draft": draft,
        "rows": rows,
        "normalized_segments": highlight(
            draft.normalized_text, [(r.get("nstart"), r.get("nend"), r["key"], r["number"]) for r in rows]
        ),
        "original_segments": highlight(
            draft.source_text, [(r.get("start"), r.get("end"), r["key"], r["number"]) for r in rows]
        ),
    }
