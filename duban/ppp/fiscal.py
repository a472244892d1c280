"""Fiscal affordability and value for money of the registered projects: turns the database rows into the
inputs of the pure maths (`affordability`, `value_for_money`) and calls it, per project and for the
whole programme, and runs the "what if we add this project" check.
"""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.errors import Invalid

from . import selectors
from .affordability import (
    AffordabilityInputError,
    AffordabilityReport,
    BudgetProjection,
    NewProjectCheck,
    PaymentMechanism,
    Programme,
    Project,
    ProjectExpenditure,
    Thresholds,
    assess,
    check_new_project,
    project_expenditure,
)
from .models import ExpenditurePlan, PPPProject
from .value_for_money import QuantitativeResult, ppp_value, quantitative_vfm

DEFAULT_THRESHOLDS = Thresholds(cap=Decimal("0.10"), warning=Decimal("0.07"), gov_pay_gate=Decimal("0.05"))
# How many recent actual years the growth rate of budget expenditure is averaged over (21号 practice).
GROWTH_YEARS = 5


class NoBudget(Invalid):
    """No general public budget expenditure is recorded, so no ratio can be computed."""

    code = "no_budget"

    def __init__(self):
        message = _("尚未录入一般公共预算支出，无法测算占比。")
        super().__init__(message, fields={"budget": [message]})


# --- bad inputs, in the user's words --------------------------------------------------------------


def _expected(kind: str) -> str:
    return {
        "number": _("数值"),
        "integer": _("整数"),
        "object": _("对象"),
        "array": _("数组"),
        "string": _("字符串"),
        "number_or_yearly": _("数值或按年度的对象"),
    }.get(kind, kind)


def _bounds(params: dict[str, Any]) -> str:
    parts = []
    if "minimum" in params:
        parts.append(_("不小于 %(bound)s") % {"bound": params["minimum"]})
    if "exclusive_minimum" in params:
        parts.append(_("大于 %(bound)s") % {"bound": params["exclusive_minimum"]})
    if "maximum" in params:
        parts.append(_("不大于 %(bound)s") % {"bound": params["maximum"]})
    if "exclusive_maximum" in params:
        parts.append(_("小于 %(bound)s") % {"bound": params["exclusive_maximum"]})
    return _(" 且").join(parts)


def describe_input_error(error: AffordabilityInputError) -> str:
    """The error in Chinese, naming the field; shared with any page that reads the same JSON."""
    field = error.field or _("文件顶层")
    params = error.params
    if error.code == "required":
        return _("缺少字段 %(field)s。") % {"field": field}
    if error.code == "invalid_type":
        return _("字段 %(field)s 应为%(expected)s。") % {
            "field": field,
            "expected": _expected(params.get("expected", "")),
        }
    if error.code == "invalid_choice":
        return _("字段 %(field)s 的取值 %(value)s 无效，应为 %(choices)s 之一。") % {
            "field": field,
            "value": json.dumps(params.get("value"), ensure_ascii=False, default=str),
            "choices": "、".join(params.get("choices", ())),
        }
    if error.code == "invalid_year":
        return _("字段 %(field)s 的年份无效，应为 1900 至 2200 之间的公历年份。") % {"field": field}
    if error.code == "out_of_range":
        message = _("字段 %(field)s 的值 %(value)s 超出范围，应%(bounds)s。") % {
            "field": field,
            "value": params.get("value"),
            "bounds": _bounds(params),
        }
        # Rates are bounded below 1; a value past that is usually a percentage typed as 3.5.
        if params.get("exclusive_maximum") == 1:
            message += _("比率以小数表示，如 3.5% 写作 0.035。")
        return message
    if error.code == "unknown_field":
        return _("未知字段 %(field)s，请检查拼写。") % {"field": field}
    if error.code == "duplicate":
        return _("字段 %(field)s 与前面的项目重名：%(value)s。") % {
            "field": field,
            "value": params.get("value"),
        }
    if error.code == "missing_year":
        return _(
            "字段 %(field)s 缺少 %(year)s 年的一般公共预算支出，且未给出推算所需的 base_year、base_expenditure、growth。"
        ) % {"field": field, "year": params.get("year")}
    if error.code == "not_applicable":
        return _(
            "字段 %(field)s 不适用：政府付费项目没有使用者付费，有使用者付费的应为可行性缺口补助项目。"
        ) % {"field": field}
    if error.code == "exceeds_cap":
        return _("字段 %(field)s 的值 %(value)s 不应高于 cap（%(cap)s）。") % {
            "field": field,
            "value": params.get("value"),
            "cap": params.get("cap"),
        }
    return _("字段 %(field)s 无效：%(message)s") % {"field": field, "message": error.message}


@contextmanager
def checked_inputs():
    """Run the pure maths; a bad input is refused as `Invalid` naming its field, in the user's words."""
    try:
        yield
    except AffordabilityInputError as error:
        message = describe_input_error(error)
        raise Invalid(message, fields={error.field or "__all__": [message]}) from error


@dataclass(frozen=True)
class Settings:
    thresholds: Thresholds
    concession_only_from: date | None
    budget: BudgetProjection


def thresholds_on(day: date) -> tuple[Thresholds, date | None, Decimal | None]:
    row = selectors.thresholds_on(day)
    if row is None:
        return DEFAULT_THRESHOLDS, None, None
    return (
        Thresholds(cap=row.cap, warning=row.warning, gov_pay_gate=row.gov_pay_gate),
        row.concession_only_from,
        row.budget_growth,
    )


def budget_projection(*, growth: Decimal | None = None) -> BudgetProjection:
    """Recorded years as they are; later years grown from the last recorded year at `growth`, or at the
    average growth of the last five actual years when no rate is configured."""
    rows = selectors.budget_years()
    if not rows:
        raise NoBudget
    actual = [row for row in rows if row.is_actual][-(GROWTH_YEARS + 1) :]
    if growth is None:
        rates = [
            later.expenditure / earlier.expenditure - 1
            for earlier, later in zip(actual, actual[1:], strict=False)
            if later.year == earlier.year + 1
        ]
        growth = sum(rates, Decimal(0)) / len(rates) if rates else Decimal(0)
    last = rows[-1]
    return BudgetProjection(
        base_year=last.year,
        base_expenditure=last.expenditure,
        growth=growth,
        expenditure={row.year: row.expenditure for row in rows},
    )


def settings_on(day: date) -> Settings:
    thresholds, concession_only_from, growth = thresholds_on(day)
    return Settings(
        thresholds=thresholds,
        concession_only_from=concession_only_from,
        budget=budget_projection(growth=growth),
    )


def missing_terms(project: PPPProject) -> list[str]:
    """The subsidy terms a government-pay or viability-gap project still lacks, as field labels."""
    if not project.pays_subsidy:
        return []
    needed = ["construction_cost", "profit_rate", "discount_rate", "subsidy_years", "operation_start_year"]
    return [
        str(PPPProject._meta.get_field(name).verbose_name)
        for name in needed
        if getattr(project, name) in (None, 0)
    ]


def as_affordability_project(
    project: PPPProject, plans: list[ExpenditurePlan] | None = None
) -> Project | None:
    """The pure-maths view of a project, or None while its subsidy terms are incomplete."""
    if missing_terms(project):
        return None
    if plans is None:
        plans = list(project.expenditure_plans.all())
    yearly: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for plan in plans:
        yearly[plan.kind][plan.year] = plan.amount
    terms = {}
    if project.pays_subsidy:
        terms = {
            "construction_cost": project.construction_cost,
            "profit_rate": project.profit_rate,
            "discount_rate": project.discount_rate,
            "subsidy_years": project.subsidy_years,
            "operation_start_year": project.operation_start_year,
            "operating_cost": project.annual_operating_cost,
            "user_fees": project.annual_user_fees
            if project.mechanism == PaymentMechanism.VIABILITY_GAP
            else Decimal(0),
        }
    return Project(
        name=f"{project.code} {project.name}",
        payment_mechanism=PaymentMechanism(project.mechanism),
        equity=yearly.get(ExpenditurePlan.Kind.EQUITY, {}),
        risk=yearly.get(ExpenditurePlan.Kind.RISK, {}),
        supporting=yearly.get(ExpenditurePlan.Kind.SUPPORTING, {}),
        **terms,
    )


def project_spending(project: PPPProject) -> ProjectExpenditure | None:
    candidate = as_affordability_project(project)
    return project_expenditure(project=candidate) if candidate else None


def project_vfm(project: PPPProject, spending: ProjectExpenditure | None) -> QuantitativeResult | None:
    """Value for money of 财金〔2015〕167号: the PSC against the present value of the government's spending."""
    if spending is None or not project.psc or project.discount_rate is None or not spending.by_year:
        return None
    value = ppp_value(
        expenditure=spending, discount_rate=project.discount_rate, present_year=min(spending.by_year)
    )
    return quantitative_vfm(psc=project.psc, ppp=value)


@dataclass(frozen=True)
class ProgrammeView:
    report: AffordabilityReport
    thresholds: Thresholds
    incomplete: list[PPPProject]
    counted: list[PPPProject]


def _programme(
    settings: Settings, projects: list[PPPProject]
) -> tuple[Programme, list[PPPProject], list[PPPProject]]:
    inputs, counted, incomplete = [], [], []
    for project in projects:
        candidate = as_affordability_project(project, list(project.expenditure_plans.all()))
        if candidate is None:
            incomplete.append(project)
        else:
            inputs.append(candidate)
            counted.append(project)
    return (
        Programme(thresholds=settings.thresholds, budget=settings.budget, projects=inputs),
        counted,
        incomplete,
    )


def programme_view(*, today: date | None = None) -> ProgrammeView:
    """The whole programme against the lines in force today. Raises NoBudget, or Invalid for a bad input."""
    with checked_inputs():
        settings = settings_on(today or timezone.localdate())
        programme, counted, incomplete = _programme(settings, selectors.counted_projects())
        report = assess(programme=programme)
    return ProgrammeView(
        report=report, thresholds=settings.thresholds, incomplete=incomplete, counted=counted
    )


def what_if(*, project: PPPProject, today: date | None = None) -> NewProjectCheck:
    """Could the region add this project? Tested against every other counted project."""
    today = today or timezone.localdate()
    if project.counted_in_affordability:
        message = _("该项目已纳入财政承受能力测算，不能再作为新增项目测算。")
        raise Invalid(message, fields={"project": [message]})
    missing = missing_terms(project)
    if missing:
        message = _("该项目的补贴测算参数不全：%(fields)s") % {"fields": "、".join(missing)}
        raise Invalid(message, fields={"project": [message]})
    with checked_inputs():
        settings = settings_on(today)
        programme, _counted, _incomplete = _programme(settings, selectors.counted_projects(exclude=project))
        return check_new_project(
            programme=programme,
            candidate=as_affordability_project(project),
            decided_on=today,
            concession_only_from=settings.concession_only_from,
        )


def describe_refusal(code: str, years: tuple[int, ...]) -> str:
    listed = "、".join(str(year) for year in years)
    if code == "above_cap":
        return _("加入该项目后，%(years)s 年度支出占比超过红线，不得新上PPP项目。") % {"years": listed}
    if code == "above_gov_pay_gate":
        return _("%(years)s 年度支出占比超过政府付费项目门槛，不得新上政府付费项目（财金〔2019〕10号）。") % {
            "years": listed
        }
    if code == "concession_only":
        return _(
            "国办函〔2023〕115号施行后，新项目只能采用特许经营（使用者付费），不得由政府付费或缺口补助。"
        )
    return code
