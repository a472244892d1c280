"""Changing the organisation: units, leaders and their portfolios, and the unit directory in Excel."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.accounts.scope import can_create, is_office, require_change
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.concurrency import lock_for_update
from duban.core.excel import ImportRejected, RowErrors, read_sheet, write_workbook

from .models import Leader, Unit, UnitKind

UNIT_FIELDS = ["code", "name", "short_name", "aliases", "kind", "parent", "sort_order", "is_active"]
LEADER_FIELDS = ["name", "post", "title", "user", "sort_order", "is_active"]


def split_aliases(text) -> list[str]:
    if not text:
        return []
    parts = text if isinstance(text, (list, tuple)) else re.split(r"[、,，;；\s]+", str(text))
    seen: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in seen:
            seen.append(part)
    return seen


def unit_create(*, by, **fields) -> Unit:
    if not can_create(by, Unit):
        raise PermissionDenied
    unit = Unit(**fields)
    unit.aliases = split_aliases(unit.aliases)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by, expected_version: int, **fields) -> Unit:
    require_change(by, unit)
    current = lock_for_update(unit, expected_version=expected_version, submitted=fields)
    for name, value in fields.items():
        setattr(current, name, split_aliases(value) if name == "aliases" else value)
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def leader_update(*, leader: Leader, by, expected_version: int, units=None, themes=None, **fields) -> Leader:
    require_change(by, leader)
    submitted = dict(fields)
    if units is not None:
        submitted["units"] = units
    if themes is not None:
        submitted["themes"] = themes
    current = lock_for_update(leader, expected_version=expected_version, submitted=submitted)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    if units is not None:
        current.units.set(units)
    if themes is not None:
        current.themes.set(themes)
    return current


def leader_create(*, by, units=(), themes=(), **fields) -> Leader:
    if not can_create(by, Leader):
        raise PermissionDenied
    leader = Leader(**fields)
    leader.full_clean()
    leader.save()
    leader.units.set(units)
    leader.themes.set(themes)
    return leader


# The unit directory as Excel: the same columns out and in, so an export can be edited and re-imported.
UNIT_SHEET_COLUMNS = {
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


def units_to_excel(units) -> bytes:
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
    return write_workbook(title=_("单位名录"), headers=list(UNIT_SHEET_COLUMNS), rows=rows)


def _parse_kind(value) -> str | None:
    text = str(value or "").strip()
    for code, label in UnitKind.choices:
        if text in (code, str(label)):
            return code
    return None


def units_import_excel(*, upload, by) -> dict[str, int]:
    """Create or update units from a sheet, all or nothing.

    Every bad row is reported (row number and reason) in ImportRejected, and then nothing is saved.
    Rows are matched to existing units by code; a parent may be an existing unit or a row of the
    same sheet, in any order.
    """
    if not is_office(by):
        raise PermissionDenied
    rows = read_sheet(upload, columns=UNIT_SHEET_COLUMNS, required=("code", "name", "kind"))
    errors = RowErrors()
    existing = {u.code: u for u in Unit.objects.all()}
    names_in_db = {u.name: u.code for u in existing.values()}
    sheet_codes: dict[str, int] = {}
    sheet_names: dict[str, int] = {}
    parsed = []
    for row in rows:
        v = row.values
        code = str(v.get("code") or "").strip()
        name = str(v.get("name") or "").strip()
        if not code:
            errors.add(row.number, _("单位编码不能为空。"))
        elif code in sheet_codes:
            errors.add(
                row.number,
                _("单位编码“%(code)s”与第 %(row)d 行重复。") % {"code": code, "row": sheet_codes[code]},
            )
        else:
            sheet_codes[code] = row.number
        if not name:
            errors.add(row.number, _("单位全称不能为空。"))
        elif name in sheet_names:
            errors.add(
                row.number,
                _("单位全称“%(name)s”与第 %(row)d 行重复。") % {"name": name, "row": sheet_names[name]},
            )
        else:
            sheet_names[name] = row.number
            owner = names_in_db.get(name)
            if owner and owner != code:
                errors.add(
                    row.number,
                    _("单位全称“%(name)s”已被编码为 %(code)s 的单位使用。") % {"name": name, "code": owner},
                )
        kind = _parse_kind(v.get("kind"))
        if kind is None:
            errors.add(
                row.number,
                _("单位类型“%(kind)s”无效，可选：%(choices)s。")
                % {
                    "kind": v.get("kind") or "",
                    "choices": "、".join(str(label) for _c, label in UnitKind.choices),
                },
            )
        active_text = str(v.get("is_active") if v.get("is_active") is not None else "是").strip().lower()
        if active_text not in _TRUE | _FALSE:
            errors.add(row.number, _("“启用”一栏只能填“是”或“否”。"))
        sort_order = v.get("sort_order")
        try:
            sort_order = int(sort_order) if sort_order not in (None, "") else 0
            if sort_order < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.add(row.number, _("排序必须是非负整数。"))
            sort_order = 0
        parsed.append(
            {
                "row": row.number,
                "code": code,
                "name": name,
                "short_name": str(v.get("short_name") or "").strip(),
                "aliases": split_aliases(v.get("aliases")),
                "kind": kind,
                "parent_code": str(v.get("parent_code") or "").strip(),
                "sort_order": sort_order,
                "is_active": active_text in _TRUE,
            }
        )
    by_code = {p["code"]: p for p in parsed if p["code"]}
    for item in parsed:
        parent_code = item["parent_code"]
        if not parent_code:
            continue
        if parent_code == item["code"]:
            errors.add(item["row"], _("上级单位不能是本单位。"))
        elif parent_code not in by_code and parent_code not in existing:
            errors.add(item["row"], _("上级单位编码“%(code)s”不存在。") % {"code": parent_code})
        else:
            # Walk up through the sheet and the database to refuse a cycle.
            seen, cursor = {item["code"]}, parent_code
            while cursor:
                if cursor in seen:
                    errors.add(item["row"], _("上级单位关系形成了循环。"))
                    break
                seen.add(cursor)
                if cursor in by_code:
                    cursor = by_code[cursor]["parent_code"]
                else:
                    parent = existing.get(cursor)
                    cursor = parent.parent.code if parent and parent.parent_id else ""
    if not rows:
        errors.add(1, _("表中没有数据行。"))
    if errors:
        raise ImportRejected(errors)

    created = updated = 0
    with transaction.atomic(), audit_context(channel=Channel.IMPORT, actor=by):
        saved: dict[str, Unit] = dict(existing)
        pending = list(parsed)
        # Parents first: repeat passes until every row whose parent is known has been saved.
        while pending:
            progress = False
            for item in list(pending):
                parent_code = item["parent_code"]
                if parent_code and parent_code in by_code and parent_code not in saved:
                    continue
                unit = existing.get(item["code"]) or Unit(code=item["code"])
                is_new = unit.pk is None
                unit.name, unit.short_name, unit.aliases = item["name"], item["short_name"], item["aliases"]
                unit.kind, unit.sort_order, unit.is_active = (
                    item["kind"],
                    item["sort_order"],
                    item["is_active"],
                )
                unit.parent = saved[parent_code] if parent_code else None
                try:
                    unit.full_clean()
                except ValidationError as error:
                    errors.add(
                        item["row"], "；".join(m for msgs in error.message_dict.values() for m in msgs)
                    )
                    continue
                if not is_new:
                    unit.version += 1
                unit.save()
                saved[item["code"]] = unit
                created += is_new
                updated += not is_new
                pending.remove(item)
                progress = True
            if not progress:
                break
        if errors:
            raise ImportRejected(errors)  # leaving the atomic block by an exception saves nothing
    return {"created": created, "updated": updated}
