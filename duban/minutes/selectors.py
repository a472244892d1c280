"""Reading minutes drafts (the office's: the model has no data scope), what the draft page shows, and the
directories the rows are filled from and checked against."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from duban.accounts.scope import visible_to
from duban.organisation.models import Leader, Theme, Unit

from .engine.directives import LOW
from .engine.themes import platform_themes
from .models import MinutesDraft

PLATFORM_THEMES = platform_themes()
# Below this confidence a draft row is a guess the office should look at first (the engine's LOW).
LOW_CONFIDENCE = LOW

# What a list of drafts leaves out: the texts and rows, long and only read on the draft's own page.
_TEXTS = ("source_text", "normalized_text", "extraction", "rows", "error")


def draft_list(*, user) -> QuerySet[MinutesDraft]:
    """The drafts the user may open, newest first (the draft page, the API, the audit history)."""
    return visible_to(user, MinutesDraft.objects.select_related("created_by", "meeting"))


def draft_summaries(*, user) -> QuerySet[MinutesDraft]:
    """The drafts as a list shows them: the same rows as `draft_list`, without their texts."""
    return draft_list(user=user).defer(*_TEXTS)


def draft_row(draft: MinutesDraft, key: int) -> dict | None:
    return next((row for row in draft.rows if row["key"] == key), None)


# --- what the draft page shows ----------------------------------------------------------------------


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


def unit_ids(rows: list[dict]) -> set[int]:
    """Every unit the rows name, leading or co-operating."""
    return {pk for row in rows for pk in [row.get("lead_unit"), *(row.get("co_units") or [])] if pk}


def _named(rows: list[dict], *, active: bool) -> tuple[dict[int, Unit], dict[int, Leader]]:
    """The units and leaders the rows name, by id (of those still serving, when `active`)."""
    units, leaders = Unit.objects.all(), Leader.objects.all()
    if active:
        units, leaders = units.filter(is_active=True), leaders.filter(is_active=True)
    wanted_units = unit_ids(rows)
    wanted_leaders = {row["leader"] for row in rows if row.get("leader")}
    return (
        units.in_bulk(wanted_units) if wanted_units else {},
        leaders.in_bulk(wanted_leaders) if wanted_leaders else {},
    )


def row_confidence(row: dict) -> float:
    """How sure the engine was of a row (1 for a row the office wrote, or kept before it said so)."""
    value = row.get("confidence")
    return 1.0 if value is None else float(value)


def rows_for_display(draft: MinutesDraft) -> list[dict]:
    """The rows with the names of their theme, leader and units: three queries whatever the number of rows."""
    units, leaders = _named(draft.rows, active=False)
    themes = dict(Theme.objects.values_list("code", "name"))
    return [
        {
            **row,
            "number": number,
            "confidence": row_confidence(row),
            "low_confidence": row_confidence(row) < LOW_CONFIDENCE,
            "theme_name": themes.get(row.get("theme") or "", ""),
            "leader_obj": leaders.get(row.get("leader")),
            "lead_unit_obj": units.get(row.get("lead_unit")),
            "co_unit_objs": [units[pk] for pk in row.get("co_units") or [] if pk in units],
            "is_last": number == len(draft.rows),
        }
        for number, row in enumerate(draft.rows, start=1)
    ]


# How the rows may be listed: as in the text, or the least sure first (the guesses to check first).
ORDER_TEXT, ORDER_CONFIDENCE = "text", "confidence"


def workspace(draft: MinutesDraft, *, order: str = ORDER_TEXT) -> dict:
    """The context of the draft's working area: both texts highlighted and the rows, in the text's
    order or by confidence (least sure first; of equals, in the text's order)."""
    rows = rows_for_display(draft)
    listed = (
        sorted(rows, key=lambda row: (row["confidence"], row["number"]))
        if order == ORDER_CONFIDENCE
        else rows
    )
    return {
        "draft": draft,
        "rows": listed,
        "order": ORDER_CONFIDENCE if order == ORDER_CONFIDENCE else ORDER_TEXT,
        "low_count": sum(row["low_confidence"] for row in rows),
        "normalized_segments": highlight(
            draft.normalized_text, [(r.get("nstart"), r.get("nend"), r["key"], r["number"]) for r in rows]
        ),
        "original_segments": highlight(
            draft.source_text, [(r.get("start"), r.get("end"), r["key"], r["number"]) for r in rows]
        ),
    }


# --- the directories behind the rows ----------------------------------------------------------------


@dataclass
class Prefill:
    """What new rows are filled from: the active units, themes and leaders with their portfolios."""

    units: list[Unit]
    theme_codes: set[str]
    leaders_by_name: dict[str, int]
    portfolio: dict[int, list[int]] = field(default_factory=dict)
    leader_themes: dict[int, set[str]] = field(default_factory=dict)

    def leader_for(self, unit_id: int, theme: str) -> int | None:
        """The leader whose portfolio holds the unit; of several, the one in charge of the theme."""
        candidates = self.portfolio.get(unit_id, [])
        if len(candidates) > 1:
            candidates = [pk for pk in candidates if theme in self.leader_themes.get(pk, ())]
        return candidates[0] if len(candidates) == 1 else None

    def theme(self, code: str) -> str:
        """The platform's theme for an engine's theme: itself, else the first of those the keyword file
        maps it to (engine/data/themes.json, `_platform`) that the platform has, else general."""
        for candidate in [code, *PLATFORM_THEMES.get(code, [])]:
            if candidate in self.theme_codes:
                return candidate
        return "general" if "general" in self.theme_codes else ""


def prefill() -> Prefill:
    """The directories new rows are filled from, read once per extraction."""
    leaders = list(Leader.objects.filter(is_active=True).prefetch_related("units", "themes"))
    by_name: dict[str, list[int]] = {}
    portfolio: dict[int, list[int]] = {}
    for leader in leaders:
        by_name.setdefault(leader.name, []).append(leader.pk)
        for unit in leader.units.all():
            portfolio.setdefault(unit.pk, []).append(leader.pk)
    return Prefill(
        units=list(Unit.objects.filter(is_active=True)),
        theme_codes=set(Theme.objects.filter(is_active=True).values_list("code", flat=True)),
        leaders_by_name={name: ids[0] for name, ids in by_name.items() if len(ids) == 1},
        portfolio=portfolio,
        leader_themes={leader.pk: {theme.code for theme in leader.themes.all()} for leader in leaders},
    )


@dataclass
class Named:
    """What a draft's rows and meeting name, among the units, leaders and themes still active."""

    units: dict[int, Unit]
    leaders: dict[int, Leader]
    themes: dict[str, Theme]
    attendees: list[Leader]


def named_in(draft: MinutesDraft) -> Named:
    """The active units, leaders and themes a draft names (for confirming it: four queries)."""
    units, leaders = _named(draft.rows, active=True)
    return Named(
        units=units,
        leaders=leaders,
        themes={theme.code: theme for theme in Theme.objects.filter(is_active=True)},
        attendees=list(Leader.objects.filter(is_active=True, name__in=draft.attendees or [])),
    )


# The history page (`audit:object_history`) reads these models through the selectors of their own pages.
HISTORY_READERS = {MinutesDraft: draft_list}
