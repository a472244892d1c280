"""Demo PPP programme of 云泽市: stock projects in every phase and class, the dated lines and budget figures,
and one contract-performance review under way. Idempotent: a project already there is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from duban.accounts.models import User
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Unit

from . import services
from .models import (
    BudgetYear,
    ClassificationRules,
    ContractReview,
    ExpenditurePlan,
    PaymentRule,
    PPPProject,
    ReviewCampaign,
    ThresholdSet,
)

D = Decimal

# 市本级 general public budget expenditure, 万元; 2026 is the budget, not yet the final account.
BUDGET = [(2021, 380000, True), (2022, 395000, True), (2023, 405000, True), (2024, 418000, True),
          (2025, 430000, True), (2026, 442000, False)]  # fmt: skip

# code, name, sector, agency, line department, county, mode, mechanism, investment, construction cost,
# term, first operating year, annual O&M, annual user fees, SPV, path, steps done (by code), days since the
# last step, scenario
PROJECTS = [
    (
        "YZPPP-2016-01",
        "云泽市城区污水处理厂提标改造及运营PPP项目",
        "environment",
        "YZ-ZJJ",
        "YZ-STHJ",
        None,
        "ROT",
        "viability_gap",
        68000,
        56000,
        25,
        2019,
        3200,
        2600,
        "云泽碧水环境有限公司",
        "guide_113",
        "113-13",
        "normal",
    ),
    (
        "YZPPP-2017-02",
        "云泽市中心城区地下综合管廊PPP项目",
        "municipal",
        "YZ-ZJJ",
        "YZ-ZJJ",
        None,
        "BOT",
        "government_pay",
        126000,
        108000,
        28,
        2020,
        2100,
        0,
        "云泽城市管廊运营有限公司",
        "guide_113",
        "113-13",
        "arrears",
    ),
    (
        "NPPPP-2018-01",
        "南屏县城乡供水一体化PPP项目",
        "water",
        "YZ-NPX-FGW",
        "YZ-SLJ",
        "YZ-NPX",
        "BOT",
        "viability_gap",
        42000,
        36000,
        20,
        2021,
        1500,
        1100,
        "南屏清源水务有限公司",
        "guide_113",
        "113-13",
        "slow",
    ),
    (
        "QSPPP-2018-02",
        "青石县人民医院新院区PPP项目",
        "health",
        "YZ-QSX",
        "YZ-WJW",
        "YZ-QSX",
        "BOT",
        "government_pay",
        58000,
        52000,
        20,
        2022,
        1800,
        0,
        "青石康华医疗投资有限公司",
        "guide_113",
        "113-12",
        "stalled",
    ),
    (
        "YZPPP-2019-05",
        "云泽市职业教育园区PPP项目",
        "education",
        "YZ-JYJ",
        "YZ-JYJ",
        None,
        "BOO",
        "viability_gap",
        45000,
        39000,
        20,
        2029,
        1600,
        900,
        "",
        "guide_113",
        "113-08",
        "procurement",
    ),
    (
        "DHPPP-2021-01",
        "东湖区老旧小区改造及物业运营PPP项目",
        "housing",
        "YZ-DHQ",
        "YZ-ZJJ",
        "YZ-DHQ",
        "ROT",
        "viability_gap",
        23000,
        21000,
        15,
        2027,
        600,
        400,
        "",
        "guide_113",
        "113-06",
        "idle",
    ),
    (
        "YZTX-2024-01",
        "云泽市城区智慧停车特许经营项目",
        "municipal",
        "YZ-CGJ",
        "YZ-CGJ",
        None,
        "BOT",
        "user_pay",
        18000,
        16500,
        25,
        2027,
        900,
        2400,
        "",
        "concession_2023",
        "C-01",
        "concession",
    ),
    (
        "YZPPP-2011-03",
        "云泽市社会福利中心养老服务PPP项目",
        "elderly",
        "YZ-MZJ",
        "YZ-MZJ",
        None,
        "BOT",
        "viability_gap",
        16000,
        14000,
        15,
        2013,
        700,
        500,
        "云泽康养服务有限公司",
        "guide_113",
        "113-16",
        "handover",
    ),
    (
        "YZPPP-2018-07",
        "云泽市奥体中心运营维护PPP项目",
        "sports",
        "YZ-WGL",
        "YZ-WGL",
        None,
        "O&M",
        "government_pay",
        21000,
        18000,
        15,
        2020,
        1300,
        0,
        "云泽奥体运营管理有限公司",
        "guide_113",
        "113-14",
        "fixed",
    ),
    (
        "YZPPP-2026-09",
        "云泽市国道G345改线工程PPP项目（拟新增）",
        "transport",
        "YZ-JTYS",
        "YZ-JTYS",
        None,
        "BOT",
        "government_pay",
        96000,
        90000,
        20,
        2029,
        1900,
        0,
        "",
        "guide_113",
        "",
        "candidate",
    ),
]


# The obligations of a signed contract and of each scenario: (side, kind, title, due in so many days
# from today; None: the end of this year).
OBLIGATIONS = {
    "signed": [
        ("government", "payment", "{year}年度可用性及运维绩效付费", None),
        ("social", "insurance", "续保运营期财产一切险", 45),
    ],
    "slow": [("social", "milestone", "二期管网工程完工验收", -60)],
    "stalled": [
        ("social", "financing", "项目贷款剩余2.1亿元到位", -220),
        ("social", "milestone", "门诊医技楼主体封顶", -200),
    ],
    "handover": [("social", "handover", "期满移交资产清查及性能测试", 120)],
    "normal": [("government", "mid_term", "第二次中期评估", 200)],
}
# The step whose planned date a scenario moves into the future: (step, in so many days).
PLANNED = {"handover": ("113-17", 100), "procurement": ("113-09", 30)}


# The problems the review of the project in arrears finds (checklist item, severity, description) and
# the task each calls for (owner unit, title, requirement, due in so many days).
ARREARS_FINDINGS = [
    ("P2", "major", "{last_year}年度政府付费仅支付60%，形成欠付。",
     ("YZ-CZJ", "补足上年度欠付的可用性付费", "纳入年度预算调整并于期限内支付到位。", 30)),
    ("D2", "minor", "项目绩效考核结果未按规定公开。", ("YZ-ZJJ", "公开近三年绩效考核结果", "", -5)),
]  # fmt: skip


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _progress(project: PPPProject, *, by, upto: str, last_done: datetime.date, spacing: int = 60) -> None:
    steps = list(project.steps.order_by("order"))
    codes = [step.code for step in steps]
    if not upto:
        return
    done = steps[: codes.index(upto) + 1]
    for offset, step in enumerate(reversed(done)):
        when = last_done - datetime.timedelta(days=spacing * offset)
        services.step_update(
            step=step,
            by=by,
            planned_on=when,
            done_on=when,
            document_title=str(step.documents[0]) if step.documents else "",
        )


def _parameters() -> None:
    for year, amount, actual in BUDGET:
        BudgetYear.objects.get_or_create(
            year=year,
            defaults={"expenditure": D(amount), "is_actual": actual, "note": "市本级一般公共预算支出"},
        )
    ThresholdSet.objects.get_or_create(
        valid_from=datetime.date(2019, 3, 7),
        defaults={"basis": "财金〔2015〕21号、财金〔2019〕10号", "budget_growth": None},
    )
    ThresholdSet.objects.get_or_create(
        valid_from=datetime.date(2023, 11, 3),
        defaults={"basis": "国办函〔2023〕115号", "concession_only_from": datetime.date(2023, 11, 3)},
    )
    ClassificationRules.objects.get_or_create(valid_from=datetime.date(2025, 1, 1))


def _project(row, *, office, finance) -> PPPProject | None:
    (code, name, sector, agency, line, county, mode, mechanism, investment, cost, term, start, om, fees, spv,
     path, upto, scenario) = row  # fmt: skip
    if PPPProject.objects.filter(code=code).exists():
        return None
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[agency, line, county or agency])}
    project = services.project_create(
        by=office,
        code=code,
        name=name,
        sector=sector,
        implementing_agency=units[agency],
        line_department=units[line],
        county=units[county] if county else None,
        operation_mode=mode,
        mechanism=mechanism,
        path=path,
        total_investment=D(investment),
        construction_cost=D(cost),
        project_capital=(D(investment) * D("0.2")).quantize(D(1)),
        cooperation_years=term,
        construction_years=2,
        spv_name=spv,
        profit_rate=D("0.065"),
        discount_rate=D("0.035"),
        subsidy_years=term - 2,
        operation_start_year=start,
        annual_operating_cost=D(om),
        annual_user_fees=D(fees) if mechanism == "viability_gap" else D(0),
        psc=(D(cost) * D("1.45")).quantize(D(1)),
        counted_in_affordability=scenario != "candidate",
    )
    if spv:
        for holder, side, share in (("云泽市城市建设投资集团有限公司", "government", D("0.10")),
                                    (f"{spv[:4]}投资控股有限公司", "social", D("0.90"))):  # fmt: skip
            capital = (project.project_capital * share).quantize(D(1))
            services.shareholder_add(
                project=project, by=office, name=holder, side=side, share=share, capital=capital
            )
        ExpenditurePlan.objects.get_or_create(
            project=project,
            year=start - 2,
            kind="equity",
            defaults={"amount": project.project_capital * D("0.10")},
        )
    for year in range(start, start + 3):
        ExpenditurePlan.objects.get_or_create(
            project=project,
            year=year,
            kind="risk",
            defaults={"amount": (D(cost) * D("0.002")).quantize(D(1))},
        )
    last_done = {"idle": _days_ago(900), "procurement": _days_ago(20), "concession": _days_ago(40)}.get(
        scenario, _days_ago(120)
    )
    _progress(
        project, by=office, upto=upto, last_done=last_done, spacing=45 if scenario == "procurement" else 90
    )
    _scenario(project, scenario, office=office, finance=finance, start=start)
    return project


def _scenario(project: PPPProject, scenario: str, *, office, finance, start: int) -> None:
    today = timezone.localdate()
    signing = project.steps.filter(code__in=["113-11", "C-06"], done_on__isnull=False).first()
    if signing is not None:
        services.contract_add(
            project=project,
            by=office,
            kind="main",
            number=f"{project.code}-HT",
            title=f"{project.name}合同",
            signed_on=signing.done_on,
            parties=f"{project.implementing_agency}；{project.spv_name}",
            term_years=project.cooperation_years,
            amount=project.total_investment,
        )
        rule = services.payment_rule_set(
            project=project,
            by=finance,
            full_payment_score=D(80),
            bands=[
                {"min_score": 70, "coefficient": "0.9"},
                {"min_score": 60, "coefficient": "0.8"},
                {"min_score": 0, "coefficient": "0.6"},
            ],
            formula=PaymentRule.Formula.LINKED_70_30,
            linked_share=D("0.20") if scenario == "fixed" else D("0.30"),
            annual_construction_payment=(
                project.construction_cost / (project.cooperation_years - 2)
            ).quantize(D(1)),
            annual_operating_payment=project.annual_operating_cost,
        )
        scores = [D(93), D(94), D(95), D("93.5"), D(76)]
        for offset, year in enumerate(range(max(start, today.year - 5), today.year)):
            score = scores[offset % len(scores)]
            _coefficient, due = services.amount_due(rule=rule, score=score)
            paid = (
                (due * D("0.6")).quantize(D("0.01"))
                if scenario == "arrears" and year == today.year - 1
                else due
            )
            services.payment_year_record(
                project=project, by=finance, year=year, score=score, budgeted=due, paid=paid
            )
        _obligations(project, "signed", by=finance)
    _obligations(project, scenario, by=finance)
    if scenario in PLANNED:
        code, days = PLANNED[scenario]
        services.step_update(
            step=project.steps.get(code=code), by=office, planned_on=today + datetime.timedelta(days=days)
        )


def _obligations(project: PPPProject, scenario: str, *, by) -> None:
    today = timezone.localdate()
    for side, kind, title, days in OBLIGATIONS.get(scenario, ()):
        due_on = datetime.date(today.year, 12, 31) if days is None else today + datetime.timedelta(days=days)
        services.obligation_create(
            project=project, by=by, side=side, kind=kind, title=title.format(year=today.year), due_on=due_on
        )


def _campaign(*, finance) -> None:
    if ReviewCampaign.objects.exists():
        return
    today = timezone.localdate()
    campaign = services.campaign_create(
        by=finance,
        name=f"{today.year}年度PPP项目合同履约全面审查",
        year=today.year,
        due_on=today + datetime.timedelta(days=60),
    )
    services.campaign_start(campaign=campaign, by=finance)
    reviews = {review.project.code: review for review in campaign.reviews.select_related("project")}
    good = reviews.get("YZPPP-2016-01")
    if good:
        services.review_check(
            review=good, by=finance, results={item.pk: ("ok", "") for item in good.items.all()}
        )
        services.review_rate(
            review=good,
            by=finance,
            rating=ContractReview.Rating.GOOD,
            conclusion="合同履约良好，付费与绩效挂钩，按期足额支付。",
        )
    arrears = reviews.get("YZPPP-2017-02")
    if arrears:
        results = {
            item.pk: ("issue" if item.code in ("P2", "D2") else "ok", "") for item in arrears.items.all()
        }
        services.review_check(review=arrears, by=finance, results=results)
        found = [
            (
                services.finding_add(
                    review=arrears,
                    by=finance,
                    severity=severity,
                    item=arrears.items.get(code=code),
                    description=text.format(last_year=today.year - 1),
                ),
                task,
            )
            for code, severity, text, task in ARREARS_FINDINGS
        ]
        services.review_rate(
            review=arrears,
            by=finance,
            rating=ContractReview.Rating.BASIC,
            conclusion="基本履约，存在政府付费欠付和信息公开不到位问题。",
        )
        for finding, (unit, title, requirement, days) in found:
            services.task_create(
                review=arrears,
                by=finance,
                finding=finding,
                owner_unit=Unit.objects.get(code=unit),
                title=title,
                requirement=requirement,
                deadline=today + datetime.timedelta(days=days),
            )
    stalled = reviews.get("QSPPP-2018-02")
    if stalled:
        items = list(stalled.items.all())[:8]
        services.review_check(review=stalled, by=finance, results={item.pk: ("ok", "") for item in items})


def load_demo(*, stdout=None) -> None:
    office = User.objects.filter(username="office").first()
    finance = User.objects.filter(username="finance").first()
    if office is None or finance is None:
        return
    created = 0
    with audit_context(channel=Channel.COMMAND, actor=office):
        _parameters()
        for row in PROJECTS:
            created += _project(row, office=office, finance=finance) is not None
        _campaign(finance=finance)
        # The finance reviewers wrote the tasks; the office makes them directives (督办事项).
        services.tasks_link(by=office)
        services.programme_reclassify()
    if stdout:
        stdout.write(f"PPP项目：新增 {created} 个，共 {PPPProject.objects.count()} 个；履约审查进行中。")
