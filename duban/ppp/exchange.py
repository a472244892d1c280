"""The project register in Excel: the same columns out and in, so an export can be edited and re-imported.

The import (`RegisterImport`, run by `core.imports.run_import` and the shared import page) creates or
updates projects by their code, all or nothing: every bad row is reported with its number and reason,
and then nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duban.core.errors import Invalid, describe
from duban.core.excel import ImportRejected, RowErrors, SheetRow, write_workbook
from duban.core.imports import SheetImport
from duban.core.rules import require
from duban.organisation.models import Unit
from duban.organisation.selectors import resolve_unit

from . import rules, services
from .models import Mechanism, OperationMode, PPPProject, Sector
from .steps import Path

REGISTER_COLUMNS = {
    "项目编号": "code",
    "项目名称": "name",
    "所属行业": "sector",
    "实施机构": "implementing_agency",
    "行业主管部门": "line_department",
    "所属县区": "county",
    "运作方式": "operation_mode",
    "回报机制": "mechanism",
    "实施路径": "path",
    "总投资（万元）": "total_investment",
    "建设成本（万元）": "construction_cost",
    "项目资本金（万元）": "project_capital",
    "合作期限（年）": "cooperation_years",
    "建设期（年）": "construction_years",
    "项目公司": "spv_name",
    "已入库": "in_library",
    "纳入财承测算": "counted_in_affordability",
    "合理利润率": "profit_rate",
    "年度折现率": "discount_rate",
    "补贴期限（年）": "subsidy_years",
    "运营起始年度": "operation_start_year",
    "年度运营成本（万元）": "annual_operating_cost",
    "年度使用者付费（万元）": "annual_user_fees",
    "公共部门比较值PSC（万元）": "psc",
}
LABELS = {field: label for label, field in REGISTER_COLUMNS.items()}
# Shown in the export for reading; the import ignores them (they follow from steps and rules).
EXPORT_ONLY = ["所处阶段", "当前步骤", "分类", "分类依据"]

CHOICES = {"sector": Sector, "operation_mode": OperationMode, "mechanism": Mechanism, "path": Path}
UNITS = ("implementing_agency", "line_department", "county")
REQUIRED = (
    "code",
    "name",
    "sector",
    "implementing_agency",
    "operation_mode",
    "mechanism",
    "total_investment",
    "cooperation_years",
)
DECIMALS = ("total_investment", "construction_cost", "project_capital", "profit_rate", "discount_rate",
            "annual_operating_cost", "annual_user_fees", "psc")  # fmt: skip
INTEGERS = ("cooperation_years", "construction_years", "subsidy_years", "operation_start_year")
BOOLEANS = ("in_library", "counted_in_affordability")
# What an empty optional cell means (the model's default); any other empty cell is None.
BLANK = {
    "annual_operating_cost": Decimal(0),
    "annual_user_fees": Decimal(0),
    "in_library": True,
    "counted_in_affordability": True,
    "path": Path.GUIDE_113,
    "construction_years": 2,
    "spv_name": "",
}
_TRUE = {"是", "1", "true", "yes", "y", "√"}
_FALSE = {"否", "0", "false", "no", "n", "×"}


# --- out ------------------------------------------------------------------------------------------


def _cell(field: str, value):
    if field in CHOICES:
        return str(dict(CHOICES[field].choices).get(value, value))
    if field in UNITS:
        return value.name if value else ""
    if field in BOOLEANS:
        return _("是") if value else _("否")
    return float(value) if isinstance(value, Decimal) else value


def register_to_excel(projects) -> bytes:
    rows = (
        [
            *(_cell(field, getattr(project, field)) for field in REGISTER_COLUMNS.values()),
            project.get_phase_display(),
            project.current_step_name,
            project.get_project_class_display(),
            "；".join(services.describe_reason(reason) for reason in project.computed_reasons),
        ]
        for project in projects.iterator(chunk_size=1000)
    )
    return write_workbook(title=_("PPP项目台账"), headers=[*REGISTER_COLUMNS, *EXPORT_ONLY], rows=rows)


# --- in -------------------------------------------------------------------------------------------


class BadCell(ValueError):
    """A cell that cannot be read: the message says why, naming the column."""


def _choice(field: str, value, _units) -> str:
    text = str(value).strip()
    for code, label in CHOICES[field].choices:
        if text in (code, str(label)):
            return code
    choices = "、".join(str(label) for _code, label in CHOICES[field].choices)
    raise BadCell(
        _("“%(column)s”的取值“%(value)s”无效，可选：%(choices)s。")
        % {"column": LABELS[field], "value": value, "choices": choices}
    )


def _unit(field: str, value, units) -> Unit:
    unit = resolve_unit(str(value), units=units)
    if unit is None:
        raise BadCell(_("找不到单位“%(name)s”（%(column)s）。") % {"name": value, "column": LABELS[field]})
    return unit


def _decimal(field: str, value, _units) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or number < 0:
        raise BadCell(_("“%(column)s”必须是非负数。") % {"column": LABELS[field]})
    return number


def _integer(field: str, value, _units) -> int:
    try:
        number = int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError, OverflowError):
        number = -1
    if number < 0:
        raise BadCell(_("“%(column)s”必须是非负整数。") % {"column": LABELS[field]})
    return number


def _boolean(field: str, value, _units) -> bool:
    text = str(value).strip().lower()
    if text not in _TRUE | _FALSE:
        raise BadCell(_("“%(column)s”一栏只能填“是”或“否”。") % {"column": LABELS[field]})
    return text in _TRUE


def _text(_field: str, value, _units) -> str:
    return str(value).strip()


Reader = Callable[[str, object, list], object]
READERS: dict[str, Reader] = {
    **dict.fromkeys(CHOICES, _choice),
    **dict.fromkeys(UNITS, _unit),
    **dict.fromkeys(DECIMALS, _decimal),
    **dict.fromkeys(INTEGERS, _integer),
    **dict.fromkeys(BOOLEANS, _boolean),
}


def parse_row(row: SheetRow, units: list[Unit], errors: RowErrors) -> dict:
    """The row's values as the project's fields; each unreadable or missing cell is one error."""
    data: dict = {}
    for field in REGISTER_COLUMNS.values():
        value = row.values.get(field)
        if value is None or str(value).strip() == "":
            if field in REQUIRED:
                errors.add(row.number, _("“%(column)s”不能为空。") % {"column": LABELS[field]})
            data[field] = BLANK.get(field)
            continue
        try:
            data[field] = READERS.get(field, _text)(field, value, units)
        except BadCell as bad:
            errors.add(row.number, str(bad))
            data[field] = None
    return data


def _messages(error: ValidationError | Invalid) -> str:
    refusal = describe(error)
    return "；".join([*(m for messages in refusal.fields.values() for m in messages)] or [refusal.message])


class RegisterImport(SheetImport):
    """Create or update projects by their code from the register's sheet."""

    columns = REGISTER_COLUMNS
    required = REQUIRED

    def authorize(self, by) -> None:
        require(rules.is_manager, by)

    def check(self, rows: list[SheetRow], errors: RowErrors, **options) -> list[tuple[int, dict]]:
        units = list(Unit.objects.filter(is_active=True))
        seen: dict[str, int] = {}
        plan = []
        for row in rows:
            data = parse_row(row, units, errors)
            code = data.get("code") or ""
            if code in seen:
                errors.add(
                    row.number,
                    _("项目编号“%(code)s”与第 %(row)d 行重复。") % {"code": code, "row": seen[code]},
                )
            seen[code] = row.number
            plan.append((row.number, data))
        return plan

    def save(self, plan, *, by, progress, **options) -> dict:
        codes = [data["code"] for _number, data in plan]
        existing = {project.code: project for project in PPPProject.objects.filter(code__in=codes)}
        errors = RowErrors()
        created = updated = 0
        for done, (number, data) in enumerate(plan):
            project = existing.get(data["code"])
            try:
                if project is None:
                    services.project_create(by=by, **data)
                    created += 1
                else:
                    saved = services.project_update(
                        project=project, by=by, expected_version=project.version, **data
                    )
                    updated += saved.version != project.version
            except (ValidationError, Invalid) as error:
                errors.add(number, _messages(error))
            progress(done, len(plan))
        if errors:
            raise ImportRejected(errors)  # leaving the import's transaction by an exception saves nothing
        return {"created": created, "updated": updated}

    def success_message(self, result: dict) -> str:
        return _("导入完成：新增 %(created)d 个项目，更新 %(updated)d 个项目。") % result
