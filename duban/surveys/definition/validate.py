"""Checking a unit's answers against its form: one function, `validate_answers`, used by the server
(the services, the API, the Excel import) and by the page, which sends what is typed to the server's
checking round-trip (htmx) so that "the page checks the same" is literally the same code.

Answers are JSON: `{key: value}`, a table `{key: [{column: value}, …]}`. The result is the answers
cleaned (numbers as decimal text, dates as ISO text, hidden fields dropped) and the messages by field,
each naming the field in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation

from .text import _

FIELD_TYPES = (
    "text",
    "integer",
    "decimal",
    "percentage",
    "date",
    "choice",
    "multichoice",
    "unit",
    "file",
    "table",
)
NUMERIC_TYPES = frozenset({"integer", "decimal", "percentage"})
TEXT_MAX = 2000
PLACES = Decimal("0.0001")
LIMIT = Decimal("1e15")


def all_fields(definition: dict) -> Iterator[dict]:
    for section in definition["sections"]:
        yield from section["fields"]


def scalar_fields(definition: dict) -> list[dict]:
    return [f for f in all_fields(definition) if f["type"] != "table"]


def table_fields(definition: dict) -> list[dict]:
    return [f for f in all_fields(definition) if f["type"] == "table"]


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def visible(item: dict, answers: dict) -> bool:
    """Whether a field (or section) shows, given the answers (`visible_if`)."""
    condition = item.get("visible_if")
    if not condition:
        return True
    value = answers.get(condition["field"])
    if "in" in condition:
        chosen = value if isinstance(value, list) else [value]
        return any(item in condition["in"] for item in chosen)
    if "equals" in condition:
        return value == condition["equals"] or (isinstance(value, list) and condition["equals"] in value)
    return not _empty(value)


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _text(number: Decimal) -> str:
    text = format(number.quantize(PLACES) if number != number.to_integral() else number.to_integral(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _bounds(field: dict, number: Decimal, label: str) -> str | None:
    low, high = field.get("min"), field.get("max")
    if low is not None and number < Decimal(str(low)):
        return _("“%(label)s”不能小于 %(min)s。") % {"label": label, "min": low}
    if high is not None and number > Decimal(str(high)):
        return _("“%(label)s”不能大于 %(max)s。") % {"label": label, "max": high}
    if abs(number) >= LIMIT:
        return _("“%(label)s”数值过大。") % {"label": label}
    return None


def _clean_number(field, value, label):
    number = _number(value)
    if number is None:
        return None, _("“%(label)s”须填写数字。") % {"label": label}
    problem = _bounds(field, number, label)
    if problem:
        return None, problem
    if field["type"] == "integer":
        if number != number.to_integral_value():
            return None, _("“%(label)s”须填写整数。") % {"label": label}
        return int(number), None
    if number != number.quantize(PLACES, rounding="ROUND_DOWN"):
        return None, _("“%(label)s”最多保留 4 位小数。") % {"label": label}
    return _text(number), None


def _clean_text(field, value, label):
    text = str(value).strip()
    if len(text) > field.get("max_length", TEXT_MAX):
        return None, _("“%(label)s”不能超过 %(n)d 个字。") % {
            "label": label,
            "n": field.get("max_length", TEXT_MAX),
        }
    pattern = field.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        hint = field.get("pattern_message") or _("格式不正确")
        return None, _("“%(label)s”%(hint)s。") % {"label": label, "hint": hint.rstrip("。")}
    return text, None


def _clean_date(value, label):
    if isinstance(value, date):
        return value.isoformat(), None
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-"))).isoformat(), None
    except ValueError:
        return None, _("“%(label)s”须填写日期，如 2026-03-31。") % {"label": label}


def _clean_choice(field, value, label):
    values = {c["value"]: c["value"] for c in field["choices"]}
    values.update({c["label"]: c["value"] for c in field["choices"]})  # an Excel user types the label
    if field["type"] == "choice":
        found = values.get(str(value).strip())
        return (found, None) if found else (None, _("“%(label)s”的选项无效。") % {"label": label})
    items = value if isinstance(value, list) else re.split(r"[、,，;；]", str(value))
    chosen = [values.get(str(item).strip()) for item in items if str(item).strip()]
    if None in chosen:
        return None, _("“%(label)s”含无效的选项。") % {"label": label}
    return list(dict.fromkeys(chosen)), None


def _clean_reference(value, label, exists: Callable[[int], bool] | None):
    number = _number(value)
    if number is None or number != number.to_integral_value() or not (exists is None or exists(int(number))):
        return None, _("“%(label)s”的选择无效。") % {"label": label}
    return int(number), None


def clean_value(field: dict, value, *, label: str = "", units=None, files=None):
    """One value: (cleaned, None) or (None, the message naming the field)."""
    label = label or field["label"]
    kind = field["type"]
    if kind in NUMERIC_TYPES:
        return _clean_number(field, value, label)
    if kind == "text":
        return _clean_text(field, value, label)
    if kind == "date":
        return _clean_date(value, label)
    if kind in ("choice", "multichoice"):
        return _clean_choice(field, value, label)
    if kind == "unit":
        return _clean_reference(value, label, units)
    if kind == "file":
        return _clean_reference(value, label, files)
    return None, _("“%(label)s”的类型无法识别。") % {"label": label}


def _clean_table(field, rows, errors, *, units, complete=True):
    label = field["label"]
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        errors.setdefault(field["key"], []).append(_("“%(label)s”须为逐行填写的表格。") % {"label": label})
        return None
    rows = [r for r in rows if any(not _empty(v) for v in r.values())]
    if len(rows) > field.get("max_rows", 10000):
        message = _("“%(label)s”最多填写 %(n)d 行。") % {"label": label, "n": field.get("max_rows", 10000)}
        errors.setdefault(field["key"], []).append(message)
        return None
    cleaned = []
    for number, row in enumerate(rows, start=1):
        out = {}
        for column in field["columns"]:
            name = _("“%(table)s”第 %(row)d 行的“%(column)s”") % {
                "table": label,
                "row": number,
                "column": column["label"],
            }
            value = row.get(column["key"])
            if _empty(value):
                if complete and column.get("required"):
                    errors.setdefault(field["key"], []).append(_("请填写%(name)s。") % {"name": name})
                continue
            value, problem = clean_value(column, value, label=name.strip("“”"), units=units)
            if problem:
                errors.setdefault(field["key"], []).append(problem)
            else:
                out[column["key"]] = value
        cleaned.append(out)
    short = len(cleaned) < field.get("min_rows", 0) or (field.get("required") and not cleaned)
    if complete and short:
        need = max(field.get("min_rows", 0), 1)
        errors.setdefault(field["key"], []).append(
            _("“%(label)s”至少填写 %(n)d 行。") % {"label": label, "n": need}
        )
    return cleaned


def _cross_checks(definition, cleaned, labels, errors):
    for check in definition.get("checks", []):
        if check["kind"] == "sum":
            total = cleaned.get(check["total"])
            parts = [cleaned.get(k) for k in check["parts"]]
            if total is None or all(p is None for p in parts):
                continue
            added = sum((Decimal(str(p)) for p in parts if p is not None), Decimal(0))
            if abs(added - Decimal(str(total))) > Decimal(str(check.get("tolerance", 0))):
                names = "、".join(f"“{labels[k]}”" for k in check["parts"])
                errors.setdefault(check["total"], []).append(
                    _("%(parts)s之和（%(sum)s）与“%(total)s”（%(value)s）不一致。")
                    % {"parts": names, "sum": _text(added), "total": labels[check["total"]], "value": total}
                )
        else:
            now, before = cleaned.get(check["field"]), cleaned.get(check["previous"])
            if now is None or before is None or Decimal(str(before)) == 0:
                continue
            change = (Decimal(str(now)) - Decimal(str(before))) / abs(Decimal(str(before)))
            band = Decimal(str(check["band"]))
            if abs(change) > band and _empty(cleaned.get(check["reason"])):
                errors.setdefault(check["reason"], []).append(
                    _(
                        "“%(label)s”较“%(previous)s”变动 %(change)s%%，超出 ±%(band)s%%，请在“%(reason)s”中说明原因。"
                    )
                    % {
                        "label": labels[check["field"]],
                        "previous": labels[check["previous"]],
                        "change": _text((change * 100).quantize(Decimal("0.1"))),
                        "band": _text(band * 100),
                        "reason": labels[check["reason"]],
                    }
                )


def validate_answers(
    definition: dict,
    answers: dict,
    *,
    complete: bool = True,
    units: Callable[[int], bool] | None = None,
    files: Callable[[int], bool] | None = None,
) -> tuple[dict, dict[str, list[str]]]:
    """(the answers cleaned, the messages by field key). `complete=False` (a draft being saved) skips
    the required and cross-field checks but still refuses a bad value."""
    if not isinstance(answers, dict):
        return {}, {"answers": [_("答案须为“字段: 值”的对象。")]}
    known = {f["key"]: f for f in all_fields(definition)}
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key not in known:
            errors.setdefault(key, []).append(_("本表没有“%(key)s”这一项。") % {"key": key})
    cleaned: dict = {}
    for section in definition["sections"]:
        if not visible(section, {**answers, **cleaned}):
            continue
        for field in section["fields"]:
            if not visible(field, cleaned):
                continue
            value = answers.get(field["key"])
            if field["type"] == "table":
                rows = _clean_table(field, value or [], errors, units=units, complete=complete)
                if rows:
                    cleaned[field["key"]] = rows
                continue
            if _empty(value):
                if complete and field.get("required"):
                    errors.setdefault(field["key"], []).append(
                        _("请填写“%(label)s”。") % {"label": field["label"]}
                    )
                continue
            value, problem = clean_value(field, value, units=units, files=files)
            if problem:
                errors.setdefault(field["key"], []).append(problem)
            else:
                cleaned[field["key"]] = value
    if complete:
        _cross_checks(definition, cleaned, {k: f["label"] for k, f in known.items()}, errors)
    return cleaned, errors


def numeric_values(definition: dict, cleaned: dict) -> Iterator[tuple[str, int, Decimal | None, str]]:
    """The rows of the values table for one response: (key, row, number, text) — a number per numeric
    answer (a table's cell as "table.column" on its row, from 1), a text per chosen option, so that
    sums, counts and distributions are SQL over one narrow table."""
    for field in all_fields(definition):
        value = cleaned.get(field["key"])
        if value is None:
            continue
        if field["type"] == "table":
            for number, row in enumerate(value, start=1):
                for column in field["columns"]:
                    cell = row.get(column["key"])
                    if cell is not None:
                        yield from _value_rows(column, f"{field['key']}.{column['key']}", number, cell)
        else:
            yield from _value_rows(field, field["key"], 0, value)


def _value_rows(field, key, row, value):
    if field["type"] in NUMERIC_TYPES:
        yield key, row, Decimal(str(value)), ""
    elif field["type"] == "choice":
        yield key, row, None, value
    elif field["type"] == "multichoice":
        for item in value:
            yield key, row, None, item
