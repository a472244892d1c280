"""Demo supervision incentives of 云泽市: the published lists (the 2018 list of 30 measures with its
ministries and sources), and the city's campaigns — one commended last year, two under way this year,
one of them judged in part on the special-bond figures read live. Idempotent: a campaign already there
is left alone. The criteria's sources are marked as demo text: a lead unit enters the ministry's rules.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.documents.official import document_bytes, official_document
from duban.organisation.models import Leader, Unit

from . import services
from .models import Campaign, LiveSource, Measure

LIST_2018 = "国办发〔2018〕117号"
DEMO_SOURCE = "演示数据：请牵头单位按负责部委当年的实施办法录入"

# number of the 2018 list, lead unit, leader, county, (year offset, state), criteria
CAMPAIGNS = [
    (
        1,
        "YZ-SCJG",
        "赵志强",
        None,
        -1,
        "commended",
        [
            ("企业开办全程网办、压缩开办时间", "1个工作日内办结", "", None, "已实现企业开办1个工作日办结"),
            ("“双随机、一公开”监管覆盖率", "100%", "", Decimal("1"), "覆盖率100%"),
        ],
    ),
    (
        5,
        "YZ-CZJ",
        "孙立华",
        None,
        0,
        "preparing",
        [
            ("新增专项债券发行进度", "按期完成发行", LiveSource.BOND_ISSUANCE, Decimal("0.9"), ""),
            ("专项债券资金支出进度", "不低于序时进度", LiveSource.BOND_SPENDING, Decimal("0.75"), ""),
            ("盘活财政存量资金", "按规定收回统筹使用", "", None, "已清理收回存量资金并统筹使用"),
        ],
    ),
    (
        3,
        "YZ-FGW",
        "孙立华",
        None,
        0,
        "submitted",
        [
            ("企业债券发行与风险防范", "无违约、无风险事件", "", None, "全年无违约事件"),
            ("重点工作督办事项办结率", "不低于90%", LiveSource.DIRECTIVE_CLOSURE, Decimal("0.9"), ""),
        ],
    ),
]


def _evidence_file(title: str) -> SimpleUploadedFile:
    content = document_bytes(
        official_document(issuer="云泽市", title=title, sections=[f"{title}（演示材料）。"])
    )
    return SimpleUploadedFile(f"{title}.docx", content)


def _open(office, row, *, today: datetime.date):
    number, unit_code, leader_name, county_code, offset, state, criteria = row
    measure = Measure.objects.filter(measure_list__code=LIST_2018, number=number).first()
    unit = Unit.objects.filter(code=unit_code).first()
    if measure is None or unit is None:
        return None
    year = today.year + offset
    if Campaign.objects.filter(measure=measure, year=year, county__isnull=True).exists():
        return None
    campaign = services.campaign_open(
        by=office,
        measure=measure,
        year=year,
        lead_unit=unit,
        leader=Leader.objects.filter(name=leader_name).first(),
        county=Unit.objects.filter(code=county_code).first() if county_code else None,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        submission_due=datetime.date(year + 1, 1, 29),
    )
    for text, target, live, ratio, standing in criteria:
        services.criterion_add(
            campaign=campaign, by=office, text=text, source=DEMO_SOURCE, target=target,
            live_source=live, target_ratio=ratio, standing=standing,
        )  # fmt: skip
    services.evidence_upload(
        campaign=campaign,
        by=office,
        title=f"{measure.area}工作情况报告",
        upload=_evidence_file(f"{measure.area}工作情况报告"),
    )
    if state in ("submitted", "commended"):
        submitted = min(today, datetime.date(year + 1, 1, 20))
        campaign = services.campaign_submit(campaign=campaign, by=office, submitted_on=submitted)
    if state == "commended":
        services.campaign_decide(
            campaign=campaign,
            by=office,
            commended=True,
            announced_on=min(today, datetime.date(year + 1, 5, 8)),
            reward=measure.reward,
            province_reward="省政府配套奖励资金（演示）",
            province_amount=Decimal("200"),
        )
    return campaign


def load_demo(*, stdout=None) -> None:
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    if office is None:
        return
    today = timezone.localdate()
    with audit_context(channel=Channel.COMMAND, actor=office):
        counts = services.catalogue_load(by=office)
        opened = [c for c in (_open(office, row, today=today) for row in CAMPAIGNS) if c is not None]
    if stdout is not None:
        stdout.write(
            f"督查激励：清单 {counts['lists']} 份，措施新增 {counts['created']} 项；新交办争创 {len(opened)} 项"
        )
