"""The project register in Excel: the same columns out and in, so an export can be edited and re-imported.

Imports are all or nothing: every bad row is reported with its number and reason, and then nothing is saved.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.excel import ImportRejected, RowErrors, read_sheet, write_workbook
from duban.organisation.models import Unit
from duban.organisation.selectors import resolve_unit

from . import selectors, services
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
_TRUE = {"是", "1", "true", "yes", "y", "√"}
_FALSE = {"否", "0", "false", "no", "n", "×"}


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def register_to_excel(projects) -> bytes:
    rows = []
    for project in projects.iterator(chunk_size=1000):
        reasons = "；".join(services.describe_reason(reason) for reason in project.computed_reasons)
        row = []
        for field in REGISTER_COLUMNS.values():
            value = getattr(project, field)
            if field in CHOICES:
                value = _label(CHOICES[field], value)
            elif field in UNITS:
                value = value.name if value else ""
            elif field in BOOLEANS:
                value = _("是") if value else _("否")
            elif isinstance(value, Decimal):
                value = float(value)
            row.append(value)
        row += [
            project.get_phase_display(),
            project.current_step_name,
            project.get_project_class_display(),
            reasons,
        ]
        rows.append(row)
    return write_workbook(title=_("PPP项目台账"), headers=[*REGISTER_COLUMNS, *EXPORT_ONLY], rows=rows)


def _choice(choices, value):
    text = str(value or "").strip()
    for code, label in choices.choices:
        if text in (code, str(label)):
            return code
    return None


def _parse_row(values: dict, units: list[Unit], number: int, errors: RowErrors) -> dict:
    labels = {field: label for label, field in REGISTER_COLUMNS.items()}
    data: dict = {}
    for field in REGISTER_COLUMNS.values():
        value = values.get(field)
        blank = value is None or str(value).strip() == ""
        if blank:
            if field in REQUIRED:
                errors.add(number, _("“%(column)s”不能为空。") % {"column": labels[field]})
            elif field in ("annual_operating_cost", "annual_user_fees"):
                data[field] = Decimal(0)
            elif field in BOOLEANS:
                data[field] = True
            elif field == "path":
                data[field] = Path.GUIDE_113
            elif field == "construction_years":
                data[field] = 2
            elif field == "spv_name":
                data[field] = ""
            else:
                data[field] = None
            continue
        if field in CHOICES:
            code = _choice(CHOICES[field], value)
            if code is None:
                errors.add(
                    number,
                    _("“%(column)s”的取值“%(value)s”无效，可选：%(choices)s。")
                    % {
                        "column": labels[field],
                        "value": value,
                        "choices": "、".join(str(label) for _c, label in CHOICES[field].choices),
                    },
                )
            data[field] = code
        elif field in UNITS:
            unit = resolve_unit(str(value), units=units)
            if unit is None:
                errors.add(
                    number,
                    _("找不到单位“%(name)s”（%(column)s）。") % {"name": value, "column": labels[field]},
                )
            data[field] = unit
        elif field in DECIMALS:
            try:
                data[field] = Decimal(str(value).replace(",", "").strip())
                if data[field] < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.add(number, _("“%(column)s”必须是非负数。") % {"column": labels[field]})
                data[field] = None
        elif field in INTEGERS:
            try:
                data[field] = int(Decimal(str(value).strip()))
                if data[field] < 0:
                    raise ValueError
            except (InvalidOperation, ValueError):
                errors.add(number, _("“%(column)s”必须是非负整数。") % {"column": labels[field]})
                data[field] = None
        elif field in BOOLEANS:
            text = str(value).strip().lower()
            if text not in _TRUE | _FALSE:
                errors.add(number, _("“%(column)s”一栏只能填“是”或“否”。") % {"column": labels[field]})
            data[field] = text in _TRUE
        else:
            data[field] = str(value).strip()
    return data


def register_import_excel(*, upload, by) -> dict[str, int]:
    """Create or update projects by their code from a sheet, all or nothing."""
    if not selectors.is_manager(by):
        raise PermissionDenied
    rows = read_sheet(upload, columns=REGISTER_COLUMNS, required=REQUIRED)
    errors = RowErrors()
    if not rows:
        errors.add(1, _("表中没有数据行。"))
    units = list(Unit.objects.filter(is_active=True))
    existing = {project.code: project for project in PPPProject.objects.all()}
    seen: dict[str, int] = {}
    parsed = []
    for row in rows:
        data = _parse_row(row.values, units, row.number, errors)
        code = data.get("code") or ""
        if code in seen:
            errors.add(
                row.number, _("项目编号“%(code)s”与第 %(row)d 行重复。") % {"code": code, "row": seen[code]}
            )
        seen[code] = row.number
        parsed.append((row.number, data))
    if errors:
        raise ImportRejected(errors)

    created = updated = 0
    with transaction.atomic(), audit_context(channel=Channel.IMPORT, actor=by):
        for number, data in parsed:
            project = existing.get(data["code"])
            try:
                if project is None:
                    services.project_create(by=by, **data)
                    created += 1
                else:
                    services.project_update(project=project, by=by, expected_version=project.version, **data)
                    updated += 1
            except ValidationError as error:
                messages = (
                    error.messages
                    if not hasattr(error, "message_dict")
                    else [m for msgs in error.message_dict.values() for m in msgs]
                )
                errors.add(number, "；".join(messages))
        if errors:
            raise ImportRejected(errors)  # leaving the atomic block by an exception saves nothing
    return {"created": created, "updated": updated}
