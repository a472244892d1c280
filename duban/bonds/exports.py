"""Excel out: the library, a batch's applications, a project's cash flows and its balance sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duban.core.excel import write_workbook

from .balance import round_ratio


def _pct(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def projects_to_excel(projects) -> bytes:
    headers = [
        _("项目编码"),
        _("项目名称"),
        _("申报单位"),
        _("主管部门"),
        _("县区"),
        _("专题"),
        _("债券类别"),
        _("投向领域"),
        _("总投资"),
        _("项目资本金"),
        _("其中专项债券作资本金"),
        _("专项债券需求"),
        _("期限"),
        _("状态"),
        _("当前批次"),
        _("分配额度"),
        _("已发行"),
        _("已拨付"),
        _("已支出"),
        _("支出进度"),
        _("建设状态"),
    ]
    rows = (
        (
            p.code,
            p.name,
            str(p.applying_unit),
            str(p.supervising_department or ""),
            str(p.county or ""),
            p.get_theme_display(),
            p.get_category_display(),
            str(p.investment_area or ""),
            p.total_investment,
            p.capital,
            p.capital_from_bonds,
            p.bond_demand,
            p.term_years,
            p.get_state_display(),
            str(p.batch or ""),
            p.quota_allocated,
            p.issued_amount,
            p.disbursed_amount,
            p.spent_amount,
            _pct(p.spending_progress),
            p.get_construction_status_display(),
        )
        for p in projects.iterator(chunk_size=2000)
    )
    return write_workbook(
        title=_("专项债券项目库"), headers=headers, rows=([_cell(v) for v in r] for r in rows)
    )


def _cell(value):
    # Decimal is not an Excel type; amounts in 万元 fit a float exactly enough for a report.
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def applications_to_excel(applications) -> bytes:
    headers = [
        _("批次"),
        _("项目编码"),
        _("项目名称"),
        _("申报单位"),
        _("申请金额"),
        _("结果"),
        _("退回理由"),
        _("分配金额"),
    ]
    rows = (
        (
            str(a.batch),
            a.project.code,
            a.project.name,
            str(a.project.applying_unit),
            _cell(a.applied_amount),
            a.get_outcome_display(),
            a.return_reason,
            _cell(a.allocated_amount),
        )
        for a in applications.iterator(chunk_size=2000)
    )
    return write_workbook(title=_("申报记录"), headers=headers, rows=rows)


def cash_flows_to_excel(project) -> bytes:
    """The same columns the import reads, so an export can be filled in and imported back."""
    sources = project.income_sources
    # The headers are the import's column names, untranslated, so any user's export re-imports.
    headers = ["年度", *sources, "经营成本", "税费"]
    rows = (
        (r.year, *[_cell(r.income_amounts().get(s)) for s in sources], _cell(r.operating_cost), _cell(r.tax))
        for r in project.cash_flows.all()
    )
    return write_workbook(title=_("收支预算"), headers=headers, rows=rows)


def balance_to_excel(project, outcome) -> bytes:
    """The balance sheet (资金平衡表) with the results and the sensitivity table below it."""
    headers = [
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
    rows: list[list] = []
    result = outcome.result
    if result is None:
        rows.append([outcome.error])
    else:
        for y in result.years:
            rows.append(
                [
                    y.year,
                    _cell(y.revenue),
                    _cell(y.operating_cost),
                    _cell(y.tax),
                    _cell(y.net),
                    _cell(y.bond_principal + y.market_principal),
                    _cell(y.bond_interest + y.market_interest),
                    _cell(y.debt_service),
                    None if y.ratio is None else float(round_ratio(y.ratio)),
                    _cell(y.cumulative_balance),
                ]
            )
        rows.append([])
        rows.append([_("全部债务本息覆盖倍数"), float(round_ratio(result.coverage_ratio))])
        rows.append([_("专项债券本息覆盖倍数"), float(round_ratio(result.bond_coverage_ratio))])
        rows.append(
            [_("最低累计结余"), _cell(result.min_cumulative_balance), result.min_cumulative_balance_year]
        )
        rows.append([_("覆盖倍数下限"), _cell(result.min_coverage)])
        rows.append([_("结论"), _("通过") if result.passes else _("未通过")])
        rows.append([])
        labels = {
            "revenue": _("营业收入"),
            "operating_cost": _("经营成本"),
            "rate": _("利率"),
            "principal": _("专项债本金"),
        }
        if outcome.sensitivity:
            rows.append([_("敏感性分析"), *[f"{c.change * 100:+.0f}%" for c in outcome.sensitivity[0].cells]])
            for row in outcome.sensitivity:
                rows.append(
                    [
                        labels[row.factor.value],
                        *[float(round_ratio(c.bond_coverage_ratio)) for c in row.cells],
                    ]
                )
    return write_workbook(title=_("资金平衡表"), headers=headers, rows=rows)


def success_rates_to_excel(rows) -> bytes:
    headers = [
        _("分组"),
        _("申报"),
        _("通过"),
        _("退回"),
        _("成功率（个数）"),
        _("申请金额"),
        _("通过金额"),
        _("成功率（金额）"),
        _("分配额度"),
    ]
    body = (
        (
            r["label"],
            r["submitted"],
            r["approved"],
            r["returned"],
            _pct(r["count_rate"]),
            _cell(r["applied"]),
            _cell(r["approved_amount"]),
            _pct(r["amount_rate"]),
            _cell(r["allocated"]),
        )
        for r in rows
    )
    return write_workbook(title=_("申报成功率"), headers=headers, rows=body)
