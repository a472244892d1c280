"""Demo assessment of 云泽市: a public monthly scheme (明争) and an internal quarterly one (暗赛) over the
demo city's units, twelve months and four quarters computed from the demo's directives, weekly reports,
bond applications, issuance and spending, PPP tasks and reviews, and survey responses (with the leaders' monthly evaluation entered and approved), two appeals
on the last month (one upheld: a new version, the old one kept) and three typical experiences.
Idempotent: when the monthly scheme is there, nothing is done.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Leader, Unit, UnitKind

from . import services
from .models import Formula, PeriodType, Scheme, Source, Visibility
from .periods import label_for

MONTHLY = "云泽市月度工作落实考核"
QUARTERLY = "重点项目攻坚季度考核"
D = Decimal


def _months_back(day: date, count: int) -> list[date]:
    """The first days of the `count` months before `day`'s month, oldest first."""
    first = day.replace(day=1)
    found = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        found.append(first)
    return list(reversed(found))


def _units():
    active = Unit.objects.filter(is_active=True).order_by("sort_order", "pk")
    return (
        list(active.filter(kind=UnitKind.COUNTY)),
        list(active.filter(kind=UnitKind.CITY_DEPARTMENT)),
        list(active.filter(kind=UnitKind.DEVELOPMENT_ZONE)),
        list(active.filter(kind=UnitKind.STATE_OWNED)),
    )


def _monthly(office) -> Scheme:
    scheme = services.scheme_create(
        by=office,
        name=MONTHLY,
        period_type=PeriodType.MONTH,
        visibility=Visibility.PUBLIC,
        description="按月通报各县区、市直部门和开发区的工作落实情况，各单位可逐项查看得分依据。",
    )
    counties, departments, zones, companies = _units()
    services.group_create(scheme=scheme, by=office, name="县区", units=counties, sort_order=1)
    city = services.group_create(
        scheme=scheme, by=office, name="市直部门", units=departments, separate=companies, sort_order=2
    )
    if zones:
        services.group_create(scheme=scheme, by=office, name="开发区", units=zones, sort_order=3)
    add = lambda **f: services.indicator_create(scheme=scheme, by=office, valid_from=date(2020, 1, 1), **f)  # noqa: E731
    work = add(key="work", name="工作落实", weight=D(70), scored=False, sort_order=1)
    closure = add(parent=work, key="closure", name="督办事项按期办结率", formula=Formula.TARGET,
                  params={"target": 0.9, "cap": 1}, weight=D(30), source=Source.CLOSURE_RATE, sort_order=1)  # fmt: skip
    add(parent=work, key="overdue", name="督办事项平均逾期工作日", formula=Formula.BANDS,
        params={"better": "lower", "bands": [[0, 1], [2, 0.8], [5, 0.5], [10, 0.2]]}, weight=D(15),
        source=Source.OVERDUE_DAYS, sort_order=2)  # fmt: skip
    add(parent=work, key="milestones", name="节点按期完成率", formula=Formula.TARGET, params={"target": 1, "cap": 1},
        weight=D(10), source=Source.MILESTONE_RATE, sort_order=3)  # fmt: skip
    add(parent=work, key="weekly", name="周报按时报送率", formula=Formula.RANK, params={"better": "higher", "step": 1},
        weight=D(10), source=Source.WEEKLY_RATE, sort_order=4)  # fmt: skip
    add(parent=work, key="replies", name="催办和督办通知回复率", formula=Formula.BANDS,
        params={"bands": [[1, 1], [0.8, 0.6]]}, weight=D(3), source=Source.REPLY_RATE, sort_order=5)  # fmt: skip
    add(parent=work, key="surveys", name="统计调查按时填报率", formula=Formula.TARGET, params={"target": 1, "cap": 1},
        weight=D(2), source=Source.SURVEY_RATE, sort_order=6)  # fmt: skip
    review = add(key="review", name="综合评价", weight=D(30), scored=False, sort_order=2)
    add(parent=review, key="evaluation", name="分管市领导评价", formula=Formula.TARGET, params={"target": 100, "cap": 1},
        weight=D(25), source=Source.MANUAL, sort_order=1)  # fmt: skip
    add(parent=review, key="experience", name="典型经验", formula=Formula.TARGET, params={"target": 1, "cap": 1},
        weight=D(5), source=Source.TYPICAL_EXPERIENCE, sort_order=2)  # fmt: skip
    extra = add(key="extra", name="加减分", weight=D(0), scored=False, sort_order=3)
    add(parent=extra, key="criticised", name="通报批评", formula=Formula.DEDUCTION, params={"per": 2, "max": 6},
        source=Source.MANUAL, sort_order=1)  # fmt: skip
    # 市直部门 closes fewer directives of its own than a county: its closure rate weighs less, its
    # leaders' evaluation more (a group's own weights).
    services.group_weight_set(indicator=closure, group=city, weight=D(25), by=office)
    return scheme


def _quarterly(office) -> Scheme:
    scheme = services.scheme_create(
        by=office,
        name=QUARTERLY,
        period_type=PeriodType.QUARTER,
        visibility=Visibility.INTERNAL,
        description="专项债券申报、PPP整改和督办落实的季度比拼，只向督查室和市领导展示。",
    )
    counties, departments, _zones, _companies = _units()
    services.group_create(scheme=scheme, by=office, name="县区", units=counties, sort_order=1)
    services.group_create(scheme=scheme, by=office, name="市直部门", units=departments, sort_order=2)
    add = lambda **f: services.indicator_create(scheme=scheme, by=office, valid_from=date(2020, 1, 1), **f)  # noqa: E731
    projects = add(key="projects", name="重点项目", weight=D(100), scored=False)
    add(parent=projects, key="bond_count", name="专项债券申报成功率（个数）", formula=Formula.TARGET,
        params={"target": 0.8, "cap": 1.2}, weight=D(15), source=Source.BOND_COUNT_RATE, sort_order=1)  # fmt: skip
    add(parent=projects, key="bond_amount", name="专项债券申报成功率（金额）", formula=Formula.TARGET,
        params={"target": 0.8, "cap": 1.2}, weight=D(15), source=Source.BOND_AMOUNT_RATE, sort_order=2)  # fmt: skip
    # Issuance against the quota won, and spending against the month's target (1 = on plan).
    add(parent=projects, key="bond_issuance", name="专项债券发行进度", formula=Formula.TARGET,
        params={"target": 1, "cap": 1}, weight=D(15), source=Source.BOND_ISSUANCE_RATE, sort_order=3)  # fmt: skip
    add(parent=projects, key="bond_spending", name="专项债券支出进度", formula=Formula.BANDS,
        params={"bands": [[1, 1], [0.8, 0.6], [0.5, 0.3]]}, weight=D(15), source=Source.BOND_SPENDING_RATE,
        sort_order=4)  # fmt: skip
    add(parent=projects, key="ppp", name="PPP整改按期完成率", formula=Formula.TARGET, params={"target": 1, "cap": 1},
        weight=D(10), source=Source.PPP_RECTIFICATION_RATE, sort_order=5)  # fmt: skip
    add(parent=projects, key="ppp_review", name="PPP合同履约审查合格率", formula=Formula.TARGET,
        params={"target": 1, "cap": 1}, weight=D(10), source=Source.PPP_REVIEW_RATE, sort_order=6)  # fmt: skip
    add(parent=projects, key="surveys", name="统计调查按时填报率", formula=Formula.TARGET, params={"target": 1, "cap": 1},
        weight=D(5), source=Source.SURVEY_RATE, sort_order=7)  # fmt: skip
    add(parent=projects, key="closure", name="督办事项按期办结率", formula=Formula.RANK,
        params={"better": "higher", "step": 4}, weight=D(15), source=Source.CLOSURE_RATE, sort_order=8)  # fmt: skip
    return scheme


def _evaluations(period, *, leader, office) -> None:
    """The leader's monthly evaluation of every unit (a demo figure from 78 to 99), approved by the office."""
    indicator = period.scheme.indicators.get(key="evaluation")
    members = Unit.objects.filter(pk__in=period.scheme.groups.values("members__unit")).order_by("pk")
    for unit in members:
        score = 78 + zlib.crc32(f"{unit.code}{period.label}".encode()) % 22
        entry = services.entry_create(
            period=period,
            indicator=indicator,
            unit=unit,
            value=D(score),
            note="分管市领导月度评价",
            by=leader,
        )
        services.entry_decide(entry=entry, by=office, approve=True, note="同意")


def _experiences(office, liaisons, *, on: date) -> None:
    texts = [
        ("“清单+闭环”推动督办事项按期办结", "建立任务清单、责任清单、时限清单，逐项销号。", "publish"),
        ("专项债券项目“前期一张图”管理", "将项目前期手续绘制成流程图，按节点调度。", "publish"),
        ("周例会问题“当周交办、次周反馈”", "例会协调事项当周交办，次周例会通报办理结果。", None),
    ]
    for (title, summary, step), liaison in zip(texts, liaisons * 3, strict=False):
        experience = services.experience_submit(by=liaison, title=title, summary=summary)
        if step:
            services.experience_decide(
                experience=experience, by=office, step=step, decision="经验可复制可推广", on=on
            )


def _appeals(period, liaisons, office) -> None:
    closure = period.scheme.indicators.get(key="closure")
    evaluation = period.scheme.indicators.get(key="evaluation")
    upheld = services.appeal_create(
        period=period, indicator=closure, by=liaisons[0], claimed_value=D(1),
        reason="本月到期的督办事项均已按期办结，系统中一项因办结审核流转延迟显示逾期，附办结审批单。",
    )  # fmt: skip
    services.appeal_decide(
        appeal=upheld, by=office, upheld=True, decision="经核实办结审批单，情况属实，予以更正。"
    )
    if len(liaisons) > 1:
        rejected = services.appeal_create(
            period=period, indicator=evaluation, by=liaisons[1], reason="认为评价分偏低。"
        )
        services.appeal_decide(
            appeal=rejected, by=office, upheld=False, decision="领导评价按规定程序作出，不予调整。"
        )


def load_demo(*, stdout=None) -> None:
    if Scheme.objects.filter(name=MONTHLY).exists():
        return
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    leader = Leader.objects.filter(user__isnull=False, user__is_active=True).select_related("user").first()
    if office is None or leader is None:
        return
    today = timezone.localdate()
    with audit_context(channel=Channel.COMMAND, actor=office):
        monthly, quarterly = _monthly(office), _quarterly(office)
        members = set(monthly.groups.values_list("members__unit", flat=True))
        liaisons = list(
            User.objects.filter(
                role=Role.LIAISON, is_active=True, unit__in=members, is_unit_head=False
            ).order_by("pk")
        )
        months = _months_back(today, 12)
        _experiences(office, liaisons, on=months[-1] + timedelta(days=10))
        for number, first in enumerate(months):
            period = services.period_open(scheme=monthly, label=label_for(PeriodType.MONTH, first), by=office)
            _evaluations(period, leader=leader.user, office=office)
            services.period_compute(period=period, by=office, note="月度计算")
            services.period_publish(period=period, by=office)
            if number < len(months) - 1:
                services.period_finalise(period=period, by=office)
        if liaisons:
            _appeals(period, liaisons, office)
        # The last three quarters and the current one (so far: the demo's bond decisions are recent).
        quarters = sorted({label_for(PeriodType.QUARTER, first) for first in [*months[-9:], today]})
        for label in quarters[-4:]:
            period = services.period_open(scheme=quarterly, label=label, by=office)
            services.period_compute(period=period, by=office, note="季度计算")
            services.period_publish(period=period, by=office)
    if stdout is not None:
        stdout.write("考核排名：1 个公开月度方案（12 期）、1 个内部季度方案、2 件申诉、3 篇典型经验。")
