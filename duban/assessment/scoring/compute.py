"""The score of every unit of a scheme: the formulas, the sharing of not-applicable weight, rank and grade.

Arithmetic is in `Decimal`. A line's weight and points are rounded half up to 4 decimals; the score is
the sum of the lines' points rounded half up to 2 decimals, so the breakdown a unit reads adds up to its
score (within half a cent).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .inputs import ZERO, Indicator, Scheme

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")

Values = Mapping[str, Mapping[str, Decimal | None]]


@dataclass(frozen=True)
class Line:
    """One indicator of a unit: its value (None: not applicable), its weight after sharing, its points."""

    indicator: str
    value: Decimal | None
    weight: Decimal
    points: Decimal
    fraction: Decimal | None


@dataclass(frozen=True)
class Row:
    unit: str
    group: str | None
    score: Decimal
    rank: int | None
    grade: str | None
    lines: tuple[Line, ...]


def half_up(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def place_among(ordered: Sequence[Decimal], value: Decimal, *, better: str) -> int:
    """1 + the number of values in `ordered` (ascending) strictly better than `value`."""
    if better == "lower":
        return 1 + bisect_left(ordered, value)
    return 1 + len(ordered) - bisect_right(ordered, value)


def band_fraction(indicator: Indicator, value: Decimal) -> Decimal:
    for threshold, fraction in indicator.bands:
        reached = value <= threshold if indicator.better == "lower" else value >= threshold
        if reached:
            return fraction
    return ZERO


def _fraction(indicator: Indicator, value: Decimal, place: int | None) -> Decimal:
    if indicator.formula == "target":
        return min(value / indicator.target, indicator.cap)
    if indicator.formula == "rank":
        weight = indicator.weight
        return max(ZERO, weight - indicator.step * (place - 1)) / weight
    return band_fraction(indicator, value)


def shared_weights(
    indicators: Sequence[Indicator], values: Mapping[str, Decimal | None]
) -> dict[str, Decimal]:
    """Each weighted indicator's weight for a unit: a not-applicable one's weight goes to the applicable
    ones in proportion to their weights; nothing applicable, nothing to weigh."""
    weighted = [indicator for indicator in indicators if indicator.weighted]
    total = sum((indicator.weight for indicator in weighted), ZERO)
    applicable = sum((i.weight for i in weighted if values.get(i.key) is not None), ZERO)
    if applicable == 0:
        return {indicator.key: ZERO for indicator in weighted}
    return {
        indicator.key: indicator.weight * total / applicable
        if values.get(indicator.key) is not None
        else ZERO
        for indicator in weighted
    }


def _orderings(scheme: Scheme, values: Values) -> dict[tuple[str, str | None], list[Decimal]]:
    """For each rank-based indicator and group, the values of the group's units, ascending;
    the key (indicator, None) holds every unit's, against which a 单列 unit is placed."""
    found: dict[tuple[str, str | None], list[Decimal]] = {}
    rank_keys = [indicator.key for indicator in scheme.indicators if indicator.formula == "rank"]
    for key in rank_keys:
        everyone: list[Decimal] = []
        for group, members in scheme.groups.items():
            present = sorted(v for unit in members if (v := values[unit][key]) is not None)
            found[(key, group)] = present
            everyone.extend(present)
        everyone.extend(v for unit in scheme.separate if (v := values[unit][key]) is not None)
        found[(key, None)] = sorted(everyone)
    return found


def _lines(scheme: Scheme, unit: str, group: str | None, values: Values, orderings) -> tuple[Line, ...]:
    own = values[unit]
    weights = shared_weights(scheme.indicators, own)
    lines = []
    for indicator in scheme.indicators:
        value = own[indicator.key]
        if value is None:
            lines.append(Line(indicator.key, None, ZERO, ZERO, None))
            continue
        if not indicator.weighted:
            points = -min(indicator.per * value, indicator.max)
            lines.append(Line(indicator.key, value, ZERO, half_up(points, FOUR), None))
            continue
        place = None
        if indicator.formula == "rank":
            place = place_among(orderings[(indicator.key, group)], value, better=indicator.better)
        fraction = _fraction(indicator, value, place)
        weight = weights[indicator.key]
        lines.append(
            Line(indicator.key, value, half_up(weight, FOUR), half_up(weight * fraction, FOUR), fraction)
        )
    return tuple(lines)


def grade_of(grades: Sequence[tuple[Decimal, str]], score: Decimal) -> str | None:
    for threshold, name in grades:
        if score >= threshold:
            return name
    return None


def quota_places(quotas: Sequence[tuple[Decimal, str]], size: int) -> list[int | None]:
    """The places of each grade in a ranked group of `size` units: its percent of the group, rounded
    down, at least one for the first grade when the group has any; the last grade takes the rest (None)."""
    places: list[int | None] = [int(size * percent // 100) for percent, _name in quotas[:-1]]
    if places and size:
        places[0] = max(places[0], 1)
    return [*places, None]


def quota_grades(quotas: Sequence[tuple[Decimal, str]], scores: Sequence[Decimal]) -> list[str]:
    """The grade of each score of a ranked group by quotas (best first), in the order given.

    Units go down the ranking into the grades' places. Units tied on a score share one grade: the
    better one only if its places left hold all of them, else all take the next grade that does (so a
    grade never holds more than its quota; its places left unused are not passed on). The last grade
    takes the rest."""
    places = quota_places(quotas, len(scores))
    order = sorted(range(len(scores)), key=lambda index: -scores[index])
    found: list[str] = [""] * len(scores)
    grade, room = 0, places[0]
    start = 0
    while start < len(order):
        end = start
        while end < len(order) and scores[order[end]] == scores[order[start]]:
            end += 1
        tied = end - start
        while room is not None and tied > room:
            grade += 1
            room = places[grade]
        for index in order[start:end]:
            found[index] = quotas[grade][1]
        if room is not None:
            room -= tied
        start = end
    return found


def score(scheme: Scheme, values: Values) -> list[Row]:
    """Every unit's row: groups in the scheme's order, each by rank (ties in the order given), then the
    单列 units unranked. `values` must hold every unit and key (`serialisation.values_from_dict` checks).
    Grades by the scheme's score bands, or by its quotas of each group's places (单列 units: none)."""
    orderings = _orderings(scheme, values)
    rows: list[Row] = []
    for group, members in [*scheme.groups.items(), (None, scheme.separate)]:
        scored = []
        for unit in members:
            lines = _lines(scheme, unit, group, values, orderings)
            total = half_up(sum((line.points for line in lines), ZERO), TWO)
            scored.append((unit, total, lines))
        ordered = sorted(total for _, total, _ in scored)
        if not scheme.quotas:
            grades = [grade_of(scheme.grades, total) for _, total, _ in scored]
        elif group is not None:
            grades = quota_grades(scheme.quotas, [total for _, total, _ in scored])
        else:
            grades = [None] * len(scored)
        group_rows = []
        for (unit, total, lines), grade in zip(scored, grades, strict=True):
            rank = place_among(ordered, total, better="higher") if group is not None else None
            group_rows.append(Row(unit, group, total, rank, grade, lines))
        rows.extend(sorted(group_rows, key=lambda row: row.rank or 0))
    return rows
