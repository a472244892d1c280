"""Units named in a text, the leading one first. Pure text, no Django (tested directly).

A directive's text names its units the way minutes do: "由市财政局牵头，会同发改委……", "请财政局负责……",
"责成市住建局牵头……". The unit so named leads; then one named just before 牵头/负责 ("市民政局牵头，…");
then the first one named. Units are known by their full name, short name and aliases, and by the
common short forms a full or short name gives (云泽市财政局 and 市财政局 are also 财政局), unless another
unit goes by the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# 由/请/责成 … 牵头/负责, within one clause.
LEAD_BEFORE = ("由", "请", "责成")
LEAD_AFTER = ("牵头", "负责")
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
# A short form found right after one of these is part of another unit's name (南屏县财政局 is not 财政局).
_PLACE_ENDINGS = set("省市县区州镇乡旗")
_CITY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,4}?市(?=[\u4e00-\u9fff]{2,})")


def short_forms(name: str) -> list[str]:
    """The common short forms of a unit's name: 云泽市财政局 → 市财政局, 财政局; 市财政局 → 财政局."""
    forms: list[str] = []
    match = _CITY_PREFIX.match(name)
    rest = name[match.end() :] if match else (name[1:] if name.startswith("市") else "")
    if rest:
        if match:
            forms.append("市" + rest)
        forms.append(rest)
    return [form for form in forms if len(form) >= 3 and form != name]


@dataclass(frozen=True)
class Mention:
    unit_id: int
    start: int
    end: int
    rank: int  # 0: 由/请/责成 … 牵头/负责; 1: just before 牵头/负责; 2: named


class UnitNames:
    """The names every unit goes by, matched in a text longest first.

    `units`: (id, [full name, short name, alias, …]) for each unit. A name two units share tells
    nothing and is left out; a derived short form gives way to a unit that is known by it outright.
    """

    def __init__(self, units: Iterable[tuple[int, Iterable[str]]]):
        explicit: dict[str, set[int]] = {}
        derived: dict[str, set[int]] = {}
        for unit_id, names in units:
            names = [n.strip() for n in names if n and n.strip()]
            for name in names:
                explicit.setdefault(name, set()).add(unit_id)
            for name in names:
                for form in short_forms(name):
                    derived.setdefault(form, set()).add(unit_id)
        self.terms: dict[str, int] = {
            term: next(iter(ids)) for term, ids in explicit.items() if len(ids) == 1 and len(term) >= 2
        }
        self.derived = {
            term for term, ids in derived.items() if len(ids) == 1 and term not in explicit and len(term) >= 3
        }
        for term in self.derived:
            self.terms[term] = next(iter(derived[term]))
        ordered = sorted(self.terms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def mentions(self, text: str) -> list[Mention]:
        """Every unit named in the text, once each (its best-ranked mention), in the order named."""
        if self._pattern is None or not text:
            return []
        best: dict[int, Mention] = {}
        for match in self._pattern.finditer(text):
            term = match.group(0)
            start, end = match.span()
            if start and text[start - 1] in _PLACE_ENDINGS and term[0] not in _PLACE_ENDINGS:
                continue  # the tail of a longer name the directory does not know
            unit_id = self.terms[term]
            mention = Mention(unit_id, start, end, lead_rank(text, start, end))
            if unit_id not in best or mention.rank < best[unit_id].rank:
                best[unit_id] = mention
        return sorted(best.values(), key=lambda m: m.start)

    def named(self, text: str) -> list[int]:
        """The ids of the units the text names, the leading one first, then in the order named."""
        return [m.unit_id for m in sorted(self.mentions(text), key=lambda m: (m.rank, m.start))]

    def leading(self, text: str) -> int | None:
        named = self.named(text)
        return named[0] if named else None


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the clause before and after the span [start, end)."""
    before = text[:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    after = text[end:]
    stop = _CLAUSE_END.search(after)
    return before[cut:], after[: stop.start()] if stop else after


def lead_rank(text: str, start: int, end: int) -> int:
    """How surely the unit named at text[start:end] leads: 0 when the clause says 由/请/责成 before it
    and 牵头/负责 after it, 1 when 牵头/负责 follows it at once, 2 otherwise."""
    before, after = _clause(text, start, end)
    asks_to_lead = any(word in after for word in LEAD_AFTER)
    if asks_to_lead and any(word in before for word in LEAD_BEFORE):
        return 0
    if after.startswith(LEAD_AFTER):
        return 1
    return 2
