"""The unit directory in Excel: the same columns out and in, so an export can be edited and re-imported.

The import creates or updates units by code, all or nothing: every bad row is reported, then nothing
is saved. A row's parent may be an existing unit or another row of the same sheet, in any order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.concurrency import versioned_update
from duban.core.excel import ImportRejected, RowErrors, SheetRow, write_workbook
from duban.core.imports import SheetImport
from duban.core.rules import require

from .models import Unit, UnitKind
from .rules import may_manage_units

UNIT_COLUMNS = {
    "单位编码": "code",
    "单位全称": "name",
    "简称": "short_name",
    "别名": "aliases",
    "类型": "kind",
    "上级单位编码": "parent_code",
    "排序": "sort_order",
    "启用": "is_active",
}
# Compared case-insensitively, so an English export ("Yes"/"no") imports back.
_TRUE = {"是", "启用", "1", "true", "yes", "y", "√"}
_FALSE = {"否", "停用", "0", "false", "no", "n", "×"}
UNIT_FIELDS = ("name", "short_name", "aliases", "kind", "sort_order", "is_active")


def split_aliases(text) -> list[str]:
    """“财政局、市财政” (or a list) as distinct names, in their order."""
    if not text:
        return []
    parts = text if isinstance(text, (list, tuple)) else re.split(r"[、,，;；\s]+", str(text))
    return list(dict.fromkeys(part.strip() for part in parts if part and part.strip()))


def units_workbook(units) -> bytes:
    kind_labels = dict(UnitKind.choices)
    rows = (
        (
            unit.code,
            unit.name,
            unit.short_name,
            "、".join(unit.aliases),
            str(kind_labels.get(unit.kind, unit.kind)),
            unit.parent.code if unit.parent_id else "",
            unit.sort_order,
            _("是") if unit.is_active else _("否"),
        )
        for unit in units.select_related("parent").iterator(chunk_size=2000)
    )
    return write_workbook(title=_("单位名录"), headers=list(UNIT_COLUMNS), rows=rows)


@dataclass
class UnitRow:
    """One row of the sheet, read and checked."""

    row: int
    code: str
    name: str
    short_name: str
    aliases: list[str]
    kind: str | None
    parent_code: str
    sort_order: int
    is_active: bool

    def fields(self) -> dict:
        return {name: getattr(self, name) for name in UNIT_FIELDS}


def _text(values: dict, name: str) -> str:
    return str(values.get(name) or "").strip()


def _kind(value, number: int, errors: RowErrors) -> str | None:
    text = str(value or "").strip()
    for code, label in UnitKind.choices:
        if text in (code, str(label)):
            return code
    choices = "、".join(str(label) for _code, label in UnitKind.choices)
    errors.add(number, _("单位类型“%(kind)s”无效，可选：%(choices)s。") % {"kind": text, "choices": choices})
    return None


def _is_active(value, number: int, errors: RowErrors) -> bool:
    text = str("是" if value is None else value).strip().lower()
    if text not in _TRUE | _FALSE:
        errors.add(number, _("“启用”一栏只能填“是”或“否”。"))
    return text in _TRUE


def _sort_order(value, number: int, errors: RowErrors) -> int:
    try:
        order = int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        order = -1
    if order < 0:
        errors.add(number, _("排序必须是非负整数。"))
        return 0
    return order


def _read(row: SheetRow, errors: RowErrors) -> UnitRow:
    values, number = row.values, row.number
    return UnitRow(
        row=number,
        code=_text(values, "code"),
        name=_text(values, "name"),
        short_name=_text(values, "short_name"),
        aliases=split_aliases(values.get("aliases")),
        kind=_kind(values.get("kind"), number, errors),
        parent_code=_text(values, "parent_code"),
        sort_order=_sort_order(values.get("sort_order"), number, errors),
        is_active=_is_active(values.get("is_active"), number, errors),
    )


_REQUIRED = {"code": gettext_lazy("单位编码不能为空。"), "name": gettext_lazy("单位全称不能为空。")}
_REPEATED = {
    "code": gettext_lazy("单位编码“%(code)s”与第 %(row)d 行重复。"),
    "name": gettext_lazy("单位全称“%(name)s”与第 %(row)d 行重复。"),
}


def _check_unique(items: list[UnitRow], field: str, errors: RowErrors) -> list[UnitRow]:
    """Every row has a `field` and no two the same; returns the rows that hold each value first."""
    first: dict[str, UnitRow] = {}
    for item in items:
        value = getattr(item, field)
        if not value:
            errors.add(item.row, str(_REQUIRED[field]))
        elif value in first:
            errors.add(item.row, _REPEATED[field] % {field: value, "row": first[value].row})
        else:
            first[value] = item
    return list(first.values())


def _check_names_are_free(items: list[UnitRow], codes_by_name: dict[str, str], errors: RowErrors) -> None:
    for item in items:
        owner = codes_by_name.get(item.name)
        if owner and owner != item.code:
            errors.add(
                item.row,
                _("单位全称“%(name)s”已被编码为 %(code)s 的单位使用。") % {"name": item.name, "code": owner},
            )


def _parent_code_of(code: str, sheet: dict[str, UnitRow], stored: dict[str, str]) -> str:
    """The parent a code will have after the import: the sheet's word first, else the database's."""
    return sheet[code].parent_code if code in sheet else stored.get(code, "")


def _check_parents(items: list[UnitRow], stored: dict[str, str], errors: RowErrors) -> None:
    sheet = {item.code: item for item in items if item.code}
    for item in items:
        if not item.parent_code:
            continue
        if item.parent_code == item.code:
            errors.add(item.row, _("上级单位不能是本单位。"))
        elif item.parent_code not in sheet and item.parent_code not in stored:
            errors.add(item.row, _("上级单位编码“%(code)s”不存在。") % {"code": item.parent_code})
        else:
            # Walk up through the sheet and the database to refuse a cycle.
            seen, cursor = {item.code}, item.parent_code
            while cursor and cursor not in seen:
                seen.add(cursor)
                cursor = _parent_code_of(cursor, sheet, stored)
            if cursor:
                errors.add(item.row, _("上级单位关系形成了循环。"))


def _parents_first(items: list[UnitRow]) -> list[UnitRow]:
    """The rows ordered so that a row's parent, when it is in the sheet too, is saved before it
    (the check has refused cycles)."""
    sheet = {item.code: item for item in items}
    depth: dict[str, int] = {}

    def depth_of(item: UnitRow) -> int:
        if item.code not in depth:
            parent = sheet.get(item.parent_code)
            depth[item.code] = 0 if parent is None else depth_of(parent) + 1
        return depth[item.code]

    return sorted(items, key=depth_of)


@dataclass
class Plan:
    rows: list[UnitRow]
    existing: dict[str, Unit]


class UnitImport(SheetImport):
    """The unit directory from a sheet (the office only); rows are matched to units by code."""

    columns = UNIT_COLUMNS
    required = ("code", "name", "kind")

    def authorize(self, by) -> None:
        require(may_manage_units, by)

    def check(self, rows: list[SheetRow], errors: RowErrors, **options) -> Plan:
        existing = {unit.code: unit for unit in Unit.objects.select_related("parent")}
        stored_parents = {code: unit.parent.code if unit.parent_id else "" for code, unit in existing.items()}
        items = [_read(row, errors) for row in rows]
        _check_unique(items, "code", errors)
        names = _check_unique(items, "name", errors)
        _check_names_are_free(names, {unit.name: code for code, unit in existing.items()}, errors)
        _check_parents(items, stored_parents, errors)
        return Plan(rows=items, existing=existing)

    def save(self, plan: Plan, *, by, progress, **options) -> dict[str, int]:
        errors = RowErrors()
        saved = dict(plan.existing)
        counts = {"created": 0, "updated": 0}
        for done, item in enumerate(_parents_first(plan.rows), start=1):
            parent = saved.get(item.parent_code) if item.parent_code else None
            if item.parent_code and parent is None:
                continue  # its parent's row was refused (and reported): the import saves nothing anyway
            if parent is not None:
                # A unit saved earlier in the run may have moved with its own parent since it was read.
                parent.refresh_from_db(fields=["tree_path"])
            try:
                saved[item.code] = self._save_row(item, plan.existing.get(item.code), parent, by=by)
            except ValidationError as error:
                errors.add(item.row, "；".join(m for ms in error.message_dict.values() for m in ms))
                continue
            counts["updated" if item.code in plan.existing else "created"] += 1
            progress(done, len(plan.rows))
        if errors:
            raise ImportRejected(errors)  # run_import's transaction then saves nothing
        return counts

    @staticmethod
    def _save_row(item: UnitRow, unit: Unit | None, parent: Unit | None, *, by) -> Unit:
        if unit is not None:
            fields = {**item.fields(), "parent": parent}
            return versioned_update(unit, expected_version=unit.version, fields=fields, by=by).instance
        unit = Unit(code=item.code, parent=parent, **item.fields())
        unit.full_clean()
        unit.save()
        return unit

    def success_message(self, result: dict) -> str:
        return _("导入完成：新增 %(created)d 个单位，更新 %(updated)d 个单位。") % result
