"""Excel out: the library, a batch's applications, a project's cash flows and its balance sheet, and the
success rates. Each list is a table of columns (a header and how to read it off a row), so that a
header and its value cannot drift apart. The balance sheet's columns are shared with the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from duban.core.excel import write_workbook

from . import selectors
from .balance import BalanceResult, YearResult, round_ratio

Column = tuple[str, Callable[[object], object]]


def _cell(value):
    # Decimal is not an Excel type; amounts in 万元 fit a float exactly enough for a report.
    return float(value) if isinstance(value, Decimal) else value


def _wan(label: str) -> str:
    """An amount column's header names its unit; the Excel writer shows such columns with separators."""
    return _("%(label)s（万元）") % {"label": label}


def _pct(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _text(value) -> str:
    return "" if value is None else str(value)


def _workbook(title: str, columns: list[Column], rows: Iterable) -> bytes:
    return write_workbook(
        title=title,
        headers=[header for header, _read in columns],
        rows=([_cell(read(row)) for _header, read in columns] for row in rows),
    )


def _project_columns() -> list[Column]:
    return [
        (_("项目编码"), lambda p: p.code),
        (_("项目名称"), lambda p: p.name),
        (_("申报单位"), lambda p: str(p.applying_unit)),
        (_("主管部门"), lambda p: _text(p.supervising_department)),
        (_("县区"), lambda p: _text(p.county)),
        (_("专题"), lambda p: p.get_theme_display()),
        (_("债券类别"), lambda p: p.get_category_display()),
        (_("投向领域"), lambda p: _text(p.investment_area)),
        (_wan(_("总投资")), lambda p: p.total_investment),
        (_wan(_("项目资本金")), lambda p: p.capital),
        (_wan(_("其中专项债券作资本金")), lambda p: p.capital_from_bonds),
        (_wan(_("专项债券需求")), lambda p: p.bond_demand),
        (_("期限"), lambda p: p.term_years),
        (_("状态"), lambda p: p.get_state_display()),
        (_("当前批次"), lambda p: _text(p.batch)),
        (_wan(_("分配额度")), lambda p: p.quota_allocated),
        (_wan(_("已发行")), lambda p: p.issued_amount),
        (_wan(_("已拨付")), lambda p: p.disbursed_amount),
        (_wan(_("已支出")), lambda p: p.spent_amount),
        (_("支出进度"), lambda p: _pct(p.spending_progress)),
        (_("建设状态"), lambda p: p.get_construction_status_display()),
    ]


def projects_to_excel(projects) -> bytes:
    return _workbook(_("专项债券项目库"), _project_columns(), projects.iterator(chunk_size=2000))


def applications_to_excel(applications) -> bytes:
    columns = [
        (_("批次"), lambda a: str(a.batch)),
        (_("项目编码"), lambda a: a.project.code),
        (_("项目名称"), lambda a: a.project.name),
        (_("申报单位"), lambda a: str(a.project.applying_unit)),
        (_wan(_("申请金额")), lambda a: a.applied_amount),
        (_("结果"), lambda a: a.get_outcome_display()),
        (_("退回理由"), lambda a: a.return_reason),
        (_wan(_("分配金额")), lambda a: a.allocated_amount),
    ]
    return _workbook(_("申报记录"), columns, applications.iterator(chunk_size=2000))


def success_rates_to_excel(rows) -> bytes:
    columns = [
        (_("分组"), lambda r: r["label"]),
        (_("申报"), lambda r: r["submitted"]),
        (_("通过"), lambda r: r["approved"]),
        (_("退回"), lambda r: r["returned"]),
        (_("成功率（个数）"), lambda r: _pct(r["count_rate"])),
        (_wan(_("申请金额")), lambda r: r["applied"]),
        (_wan(_("通过金额")), lambda r: r["approved_amount"]),
        (_("成功率（金额）"), lambda r: _pct(r["amount_rate"])),
        (_wan(_("分配额度")), lambda r: r["allocated"]),
    ]
    return _workbook(_("申报成功率"), columns, rows)


def cash_flows_to_excel(project) -> bytes:
    """The same columns the import reads, so an export can be filled in and imported back."""
    sources = project.income_sources
    # The headers are the import's column names, untranslated, so any user's export re-imports.
    headers = ["年度", *sources, "经营成本", "税费"]
    rows = (
        (r.year, *[_cell(r.income_amounts().get(s)) for s in sources], _cell(r.operating_cost), _cell(r.tax))
        for r in selectors.cash_flow_list(project)
    )
    return write_workbook(title=_("收支预算"), headers=headers, rows=rows)


# ---------------------------------------------------------------------------------------------------
# The balance sheet (资金平衡表): here as a workbook, and as text by `duban bonds balance`


def balance_headers() -> list[str]:
    return [
        _("年度"),
        _("收入"),
        _("经营成本"),
        _("税费"),
        _("净收益"),
        _("还本"),
        _("付息"),
        _("本息合计"),
        _("当年覆盖倍数"),
        _("累计结余"),
    ]


def balance_year(y: YearResult) -> list:
    """One year of the balance sheet under balance_headers(); the ratio is None in a year without debt
    service."""
    principal = y.bond_principal + y.market_principal
    interest = y.bond_interest + y.market_interest
    ratio = None if y.ratio is None else round_ratio(y.ratio)
    return [
        y.year,
        y.revenue,
        y.operating_cost,
        y.tax,
        y.net,
        principal,
        interest,
        y.debt_service,
        ratio,
        y.cumulative_balance,
    ]


def balance_total(result: BalanceResult) -> list:
    """The sheet's total line: the sums over the debt period, and the overall coverage ratio."""
    years = result.years
    return [
        _("合计"),
        sum((y.revenue for y in years), Decimal(0)),
        sum((y.operating_cost for y in years), Decimal(0)),
        sum((y.tax for y in years), Decimal(0)),
        result.net_income,
        result.debt_service - result.interest,
        result.interest,
        result.debt_service,
        round_ratio(result.coverage_ratio),
        None,
    ]


def sensitivity_labels() -> dict[str, str]:
    """The factor of each sensitivity row, as implementation plans name it."""
    return {
        "revenue": _("营业收入"),
        "operating_cost": _("经营成本"),
        "rate": _("利率"),
        "principal": _("专项债本金"),
    }


def balance_to_excel(project, outcome) -> bytes:
    """The balance sheet with the results and the sensitivity table below it."""
    result = outcome.result
    if result is None:
        return write_workbook(title=_("资金平衡表"), headers=_balance_sheet_headers(), rows=[[outcome.error]])
    rows: list[list] = [[_cell(v) for v in balance_year(y)] for y in result.years]
    rows += [
        [],
        [_("全部债务本息覆盖倍数"), float(round_ratio(result.coverage_ratio))],
        [_("专项债券本息覆盖倍数"), float(round_ratio(result.bond_coverage_ratio))],
        [_wan(_("最低累计结余")), _cell(result.min_cumulative_balance), result.min_cumulative_balance_year],
        [_("覆盖倍数下限"), _cell(result.min_coverage)],
        [_("结论"), _("通过") if result.passes else _("未通过")],
        [],
    ]
    if outcome.sensitivity:
        labels = sensitivity_labels()
        rows.append([_("敏感性分析"), *[f"{c.change * 100:+.0f}%" for c in outcome.sensitivity[0].cells]])
        rows += [
            [labels[row.factor], *[float(round_ratio(c.bond_coverage_ratio)) for c in row.cells]]
            for row in outcome.sensitivity
        ]
    return write_workbook(title=_("资金平衡表"), headers=_balance_sheet_headers(), rows=rows)


def _balance_sheet_headers() -> list[str]:
    # The year and the coverage ratio are not amounts; every other column is in 万元.
    headers = balance_headers()
    return [h if i in (0, 8) else _wan(h) for i, h in enumerate(headers)]
