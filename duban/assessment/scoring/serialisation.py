"""The JSON of `duban assessment score` (and the snapshots the platform keeps): read and checked, and written.

{"groups": {"县区": ["A", "B"]}, "separate": ["E"],
 "indicators": [{"key": "k", "weight": 40, "formula": "target", "target": 0.9, "cap": 1.2}, …],
 "values": {"A": {"k": 0.85}}, "grades": [[90, "优秀"], [0, "较差"]]}

Instead of "grades" (score bands), "quotas": [[20, "优秀"], [30, "良好"], [40, "一般"], [10, "较差"]] grades
by places in each ranked group (`compute.quota_grades`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .compute import Row
from .inputs import BETTER, FORMULAS, ZERO, Indicator, Scheme, ScoringInputError


def _required(data: Mapping[str, Any], key: str, field: str) -> Any:
    if key not in data:
        raise ScoringInputError(field=field, code="required", message="is required")
    return data[key]


def _type(value: Any, expected: str, field: str) -> ScoringInputError:
    return ScoringInputError(
        field=field, code="invalid_type", message=f"should be {expected}", params={"expected": expected}
    )


def _object(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _type(value, "object", field)
    return value


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise _type(value, "list", field)
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _type(value, "text", field)
    return value


def number(value: Any, field: str, *, minimum: Decimal | None = None, positive: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _type(value, "number", field)
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise _type(value, "number", field)
    if (positive and result <= 0) or (minimum is not None and result < minimum):
        bound = {"exclusive_minimum": 0} if positive else {"minimum": minimum}
        raise ScoringInputError(
            field=field,
            code="out_of_range",
            message=f"{result} is out of range {bound}",
            params={"value": result, **bound},
        )
    return result


def _choice(value: Any, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise ScoringInputError(
            field=field,
            code="invalid_choice",
            message=f"should be one of {choices}",
            params={"value": value, "choices": choices},
        )
    return value


def _bands(data: Mapping[str, Any], field: str) -> tuple[tuple[Decimal, Decimal], ...]:
    bands = _list(_required(data, "bands", f"{field}.bands"), f"{field}.bands")
    if not bands:
        raise ScoringInputError(field=f"{field}.bands", code="required", message="needs at least one band")
    found = []
    for index, band in enumerate(bands):
        where = f"{field}.bands[{index}]"
        if not isinstance(band, list) or len(band) != 2:
            raise _type(band, "pair", where)
        found.append((number(band[0], f"{where}[0]"), number(band[1], f"{where}[1]", minimum=ZERO)))
    return tuple(found)


def indicator_from_dict(data: Any, field: str) -> Indicator:
    data = _object(data, field)
    key = _text(_required(data, "key", f"{field}.key"), f"{field}.key")
    formula = _choice(_required(data, "formula", f"{field}.formula"), FORMULAS, f"{field}.formula")
    if formula == "deduction":
        weight = number(data.get("weight", 0), f"{field}.weight", minimum=ZERO)
        if weight != 0:
            raise ScoringInputError(
                field=f"{field}.weight",
                code="out_of_range",
                message="a deduction has weight 0",
                params={"value": weight, "minimum": 0, "maximum": 0},
            )
        per = number(_required(data, "per", f"{field}.per"), f"{field}.per", minimum=ZERO)
        most = number(_required(data, "max", f"{field}.max"), f"{field}.max", minimum=ZERO)
        return Indicator(key=key, weight=ZERO, formula=formula, per=per, max=most)
    weight = number(_required(data, "weight", f"{field}.weight"), f"{field}.weight", positive=True)
    better = _choice(data.get("better", "higher"), BETTER, f"{field}.better")
    if formula == "target":
        target = number(_required(data, "target", f"{field}.target"), f"{field}.target", positive=True)
        cap = number(_required(data, "cap", f"{field}.cap"), f"{field}.cap", positive=True)
        return Indicator(key=key, weight=weight, formula=formula, target=target, cap=cap)
    if formula == "rank":
        _required(data, "better", f"{field}.better")
        step = number(_required(data, "step", f"{field}.step"), f"{field}.step", minimum=ZERO)
        return Indicator(key=key, weight=weight, formula=formula, better=better, step=step)
    return Indicator(key=key, weight=weight, formula=formula, better=better, bands=_bands(data, field))


def _groups(data: Mapping[str, Any]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    groups = _object(_required(data, "groups", "groups"), "groups")
    seen: set[str] = set()
    found: dict[str, tuple[str, ...]] = {}

    def unit(value: Any, where: str) -> str:
        name = _text(value, where)
        if name in seen:
            raise ScoringInputError(
                field=where, code="duplicate", message=f"{name} is listed twice", params={"value": name}
            )
        seen.add(name)
        return name

    for name, members in groups.items():
        where = f"groups.{name}"
        found[name] = tuple(unit(member, f"{where}[{i}]") for i, member in enumerate(_list(members, where)))
    separate = _list(data.get("separate", []), "separate")
    return found, tuple(unit(member, f"separate[{i}]") for i, member in enumerate(separate))


def scheme_from_dict(data: Any) -> Scheme:
    data = _object(data, "")
    groups, separate = _groups(data)
    indicators_data = _list(_required(data, "indicators", "indicators"), "indicators")
    if not indicators_data:
        raise ScoringInputError(field="indicators", code="required", message="needs at least one indicator")
    indicators = []
    keys: set[str] = set()
    for index, item in enumerate(indicators_data):
        indicator = indicator_from_dict(item, f"indicators[{index}]")
        if indicator.key in keys:
            raise ScoringInputError(
                field=f"indicators[{index}].key",
                code="duplicate",
                message=f"{indicator.key} is listed twice",
                params={"value": indicator.key},
            )
        keys.add(indicator.key)
        indicators.append(indicator)
    grades = grades_from_list(data.get("grades", []))
    quotas = _quotas(data)
    return Scheme(
        groups=groups, indicators=tuple(indicators), grades=grades, separate=separate, quotas=quotas
    )


def _named_pairs(value: Any, field: str) -> list[tuple[Any, str]]:
    found = []
    for index, pair in enumerate(_list(value, field)):
        where = f"{field}[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise _type(pair, "pair", where)
        found.append((pair[0], _text(pair[1], f"{where}[1]")))
    return found


HUNDRED = Decimal(100)


def grades_from_list(value: Any, field: str = "grades") -> tuple[tuple[Decimal, str], ...]:
    """`[[90, "优秀"], [80, "良好"], …]`: score bands, best first."""
    return tuple(
        (number(threshold, f"{field}[{index}][0]"), name)
        for index, (threshold, name) in enumerate(_named_pairs(value, field))
    )


def _quotas(data: Mapping[str, Any]) -> tuple[tuple[Decimal, str], ...]:
    if "quotas" not in data:
        return ()
    if data.get("grades"):
        raise ScoringInputError(
            field="quotas",
            code="exclusive",
            message="give grades or quotas, not both",
            params={"other": "grades"},
        )
    return quotas_from_list(data["quotas"])


def quotas_from_list(value: Any, field: str = "quotas") -> tuple[tuple[Decimal, str], ...]:
    """`[[20, "优秀"], [30, "良好"], [40, "一般"], [10, "较差"]]`: percents of each ranked group, best first,
    adding up to 100 (the last grade takes the rest); in a file, instead of `grades`, never with them."""
    pairs = _named_pairs(value, field)
    if not pairs:
        raise ScoringInputError(field=field, code="required", message="needs at least one grade")
    quotas = []
    for index, (percent, name) in enumerate(pairs):
        where = f"{field}[{index}]"
        value = number(percent, f"{where}[0]", positive=True)
        if value > HUNDRED:
            raise ScoringInputError(
                field=f"{where}[0]",
                code="out_of_range",
                message=f"{value} is over 100",
                params={"value": value, "exclusive_minimum": 0, "maximum": 100},
            )
        if name in {known for _, known in quotas}:
            raise ScoringInputError(
                field=f"{where}[1]",
                code="duplicate",
                message=f"{name} is listed twice",
                params={"value": name},
            )
        quotas.append((value, name))
    total = sum((value for value, _ in quotas), ZERO)
    if total != HUNDRED:
        raise ScoringInputError(
            field=field, code="total", message=f"adds up to {total}, not 100", params={"total": total}
        )
    return tuple(quotas)


def values_from_dict(data: Any, scheme: Scheme) -> dict[str, dict[str, Decimal | None]]:
    """Every unit's value of every indicator (null: not applicable); a unit or key left out is an error."""
    data = _object(data, "values")
    units = set(scheme.units())
    for name in data:
        if name not in units:
            raise ScoringInputError(
                field=f"values.{name}",
                code="unknown_unit",
                message=f"{name} is in no group",
                params={"value": name},
            )
    keys = [indicator.key for indicator in scheme.indicators]
    found: dict[str, dict[str, Decimal | None]] = {}
    for unit in scheme.units():
        own = _object(_required(data, unit, f"values.{unit}"), f"values.{unit}")
        for name in own:
            if name not in keys:
                raise ScoringInputError(
                    field=f"values.{unit}.{name}",
                    code="unknown_indicator",
                    message=f"{name} is no indicator",
                    params={"value": name},
                )
        found[unit] = {
            key: None
            if (raw := _required(own, key, f"values.{unit}.{key}")) is None
            else number(raw, f"values.{unit}.{key}")
            for key in keys
        }
    return found


def read(data: Any) -> tuple[Scheme, dict[str, dict[str, Decimal | None]]]:
    """The scheme and the values of a whole file."""
    scheme = scheme_from_dict(data)
    return scheme, values_from_dict(_required(_object(data, ""), "values", "values"), scheme)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def rows_as_dict(rows: list[Row]) -> dict[str, Any]:
    return {
        "rows": [
            {
                "unit": row.unit,
                "group": row.group,
                "score": float(row.score),
                "rank": row.rank,
                "grade": row.grade,
                "breakdown": [
                    {
                        "indicator": line.indicator,
                        "value": _number(line.value),
                        "weight": float(line.weight),
                        "points": float(line.points),
                    }
                    for line in row.lines
                ],
            }
            for row in rows
        ]
    }
