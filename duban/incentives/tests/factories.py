"""Incentive test data: a list with measures, and campaigns opened the way the office opens them."""

from __future__ import annotations

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.documents.official import document_bytes, official_document

from .. import services
from ..models import Measure, MeasureList


class MeasureListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureList

    code = factory.Sequence(lambda n: f"国办发〔2018〕{100 + n}号")
    title = "国务院办公厅关于对真抓实干成效明显地方进一步加大激励支持力度的通知"
    issued_on = date(2018, 12, 10)
    measure_count = 30


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    measure_list = factory.SubFactory(MeasureListFactory)
    number = factory.Sequence(lambda n: n + 1)
    area = factory.Sequence(lambda n: f"政策领域{n}")
    title = "深化改革成效明显"
    levels = factory.LazyFunction(lambda: ["city", "county"])
    ministry = "财政部"
    reward = "给予资金奖励"
    source_url = "http://zz.sh.cn/zixun/guona/20181210/7317.html"
    verified = True


def docx_upload(name: str = "工作情况报告.docx") -> SimpleUploadedFile:
    content = document_bytes(official_document(issuer="测试市", title="工作情况报告", sections=["正文。"]))
    return SimpleUploadedFile(name, content)


def open_campaign(city, *, unit=None, measure=None, year: int = 2026, county=None, leader=None):
    """A campaign opened by the office (with the directive carrying it)."""
    return services.campaign_open(
        by=city.office,
        measure=measure or MeasureFactory(),
        year=year,
        lead_unit=unit or city.finance,
        leader=leader,
        county=county,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        submission_due=date(year + 1, 1, 29),
    )
