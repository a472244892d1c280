"""A project's income and expenditure budget (收支预算): one year at a time from the grid, the whole
table from the API, or the sheet a project unit keeps (the Excel import)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.errors import NotFound
from duban.core.excel import RowErrors, SheetRow
from duban.core.imports import SheetImport
from duban.core.rules import require

from ..models import FIRST_YEAR, LAST_YEAR, ZERO, BondProject, CashFlowRow
from ..models.choices import source_name_error
from ..rules import may_edit_project

CENT = Decimal("0.01")


def parse_amount(value, *, label: str) -> Decimal:
    """An amount in 万元 as typed or read from a sheet ("1,200.5", 1200.5, blank for nothing)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ZERO
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("%(label)s“%(value)s”不是数字。") % {"label": label, "value": value})
    if amount < 0:
        raise ValidationError(_("%(label)s不能为负数。") % {"label": label})
    return amount.quantize(CENT)


def _clean_income(income: dict) -> dict[str, str]:
    cleaned = {}
    for source, amount in (income or {}).items():
        name = str(source).strip()
        if not name:
            raise ValidationError(_("收入来源名称不能为空。"))
        cleaned[name] = str(parse_amount(amount, label=name))
    return cleaned


def _add_sources(project: BondProject, income: dict) -> None:
    missing = [s for s in income if s not in project.income_sources]
    if missing:
        # Saved field by field (not QuerySet.update) so that the audit trail records the new columns.
        project.income_sources = [*project.income_sources, *missing]
        project.save(update_fields=["income_sources", "updated_at"])


@transaction.atomic
def cash_flow_save(
    *, project: BondProject, by, year: int, income: dict, operating_cost, tax, row: CashFlowRow | None = None
) -> CashFlowRow:
    """Create or change one year of the cash-flow table (one row of the grid)."""
    require(may_edit_project, by, project)
    row = row or CashFlowRow(project=project)
    if row.project_id != project.pk:
        raise NotFound
    row.year = year
    row.income = _clean_income(income)
    row.operating_cost = parse_amount(operating_cost, label=_("经营成本"))
    row.tax = parse_amount(tax, label=_("税费"))
    row.full_clean()
    row.save()
    _add_sources(project, row.income)
    return row


def cash_flow_delete(*, by, row: CashFlowRow) -> None:
    require(may_edit_project, by, row.project)
    row.delete()


@transaction.atomic
def cash_flows_replace(*, project: BondProject, by, rows: list[dict]) -> list[CashFlowRow]:
    """Replace the whole table (the API's PUT): every row is saved, or none."""
    require(may_edit_project, by, project)
    project.cash_flows.all().delete()  # the rows go with the project's permission, checked above
    return [cash_flow_save(project=project, by=by, **row) for row in rows]


class CashFlowImport(SheetImport):
    """The sheet a project unit keeps: 年度, one column per income source (any header besides the fixed
    ones), 经营成本, 税费. It replaces the project's table and its list of income sources."""

    columns = {
        "年度": "year",
        "年份": "year",
        "经营成本": "operating_cost",
        "税费": "tax",
        "合计收入": "_total",
    }
    required = ("year",)
    replaces = True

    def __init__(self, project: BondProject):
        self.project = project
        self.sources: list[str] = []

    def job_arguments(self) -> dict:
        return {"project": self.project.pk}

    @classmethod
    def from_job(cls, arguments: dict) -> CashFlowImport:
        return cls(BondProject.objects.get(pk=arguments["project"]))

    def columns_for(self, header: list[str]) -> dict[str, str]:
        self.sources = [name for name in dict.fromkeys(header) if name and name not in self.columns]
        return {**self.columns, **{name: f"income:{name}" for name in self.sources}}

    def authorize(self, by) -> None:
        require(may_edit_project, by, self.project)

    def check(self, rows: list[SheetRow], errors: RowErrors) -> list[dict]:
        plan: list[dict] = []
        seen: dict[int, int] = {}
        if message := source_name_error(self.sources):
            errors.add(1, message)
        for row in rows:
            year = self._year(row, errors, seen)
            if year is None:
                continue
            values = row.values
            try:
                plan.append(
                    {
                        "year": year,
                        "income": {
                            s: str(parse_amount(values.get(f"income:{s}"), label=s)) for s in self.sources
                        },
                        "operating_cost": parse_amount(values.get("operating_cost"), label=_("经营成本")),
                        "tax": parse_amount(values.get("tax"), label=_("税费")),
                    }
                )
            except ValidationError as error:
                errors.add(row.number, "；".join(error.messages))
        return plan

    @staticmethod
    def _year(row: SheetRow, errors: RowErrors, seen: dict[int, int]) -> int | None:
        value = row.values.get("year")
        try:
            year = int(value)
        except (TypeError, ValueError):
            year = None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            errors.add(row.number, _("年度“%(value)s”应为四位数年份。") % {"value": value or ""})
            return None
        if year in seen:
            errors.add(row.number, _("%(year)d 年与第 %(row)d 行重复。") % {"year": year, "row": seen[year]})
            return None
        seen[year] = row.number
        return year

    def save(self, plan: list[dict], *, by, progress) -> dict:
        project = self.project
        project.cash_flows.all().delete()
        for index, values in enumerate(plan):
            CashFlowRow.objects.create(project=project, **values)
            progress(index + 1, len(plan))
        project.income_sources = self.sources
        project.save(update_fields=["income_sources", "updated_at"])
        return {"years": len(plan)}

    def deletions(self, plan: list[dict]) -> list[str]:
        """The years of the stored table the sheet does not hold."""
        kept = {values["year"] for values in plan}
        stored = self.project.cash_flows.order_by("year").values_list("year", flat=True)
        return [_("%(year)d 年") % {"year": year} for year in stored if year not in kept]

    def success_message(self, result: dict) -> str:
        return _("已导入 %(n)d 个年度的收支数据。") % {"n": result["years"]}
