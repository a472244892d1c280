"""The incentive documents: a campaign's application dossier (申报材料) in the official layout
(documents/official.py), and the yearly summary of incentives won as a workbook (core/excel.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.excel import write_workbook
from duban.documents.dates import chinese_date, local_moment_text
from duban.documents.official import DocumentTable, Section, document_bytes, issuer_name, official_document

from . import selectors
from .models import Campaign


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _criterion_figure(criterion, live) -> str:
    """The city's figure for a criterion: the live value read now (with the moment), else the value
    recorded, else the standing entered by the lead unit."""
    if live is not None:
        return _("%(v)s（%(d)s，%(at)s读取）") % {
            "v": _percent(live.value),
            "d": live.detail,
            "at": local_moment_text(live.read_at),
        }
    if criterion.recorded_value is not None:
        return _("%(v)s（%(at)s记录）") % {
            "v": _percent(criterion.recorded_value),
            "at": local_moment_text(criterion.recorded_at),
        }
    return criterion.standing or "—"


def dossier_docx(campaign: Campaign, *, user) -> bytes:
    """Cover (the measure, the applicant, the lead unit and leader, the dates), the criteria with the
    city's figures, and the evidence list with each piece's latest version."""
    measure = campaign.measure
    city = settings.DUBAN_CITY_NAME
    applicant = campaign.county.name if campaign.county_id else city
    criteria = list(campaign.criteria.all())
    live = selectors.live_values(criteria, user=user)
    evidence = selectors.campaign_evidence(campaign)
    cover = Section(
        heading=_("基本情况"),
        paragraphs=[
            _("申报事项：%(list)s第%(n)s项 %(title)s。")
            % {"list": measure.measure_list.code, "n": measure.number, "title": measure.title},
            _("负责部委：%(m)s。激励措施：%(r)s。") % {"m": measure.ministry, "r": measure.reward or "—"},
            _("申报地方：%(a)s。评价年度：%(y)s年（评价期 %(s)s 至 %(e)s）。")
            % {
                "a": applicant,
                "y": campaign.year,
                "s": chinese_date(campaign.period_start),
                "e": chinese_date(campaign.period_end),
            },
            _("牵头单位：%(u)s。责任领导：%(l)s。")
            % {"u": campaign.lead_unit.name, "l": campaign.leader.name if campaign.leader_id else "—"},
        ],
    )
    criteria_table = DocumentTable(
        headers=[_("序号"), _("评价指标"), _("目标要求"), _("本地情况"), _("依据")],
        rows=[
            [c.order, c.text, c.target or "—", _criterion_figure(c, live.get(c.pk)), c.source]
            for c in criteria
        ],
        widths_mm=[12, 44, 26, 44, 30],
    )
    evidence_rows = []
    for number, item in enumerate(evidence, start=1):
        latest = item.versions[0] if item.versions else None
        evidence_rows.append(
            [
                number,
                item.title,
                item.criterion.text if item.criterion_id else "—",
                _("第%(v)s版") % {"v": latest.version} if latest else "—",
                local_moment_text(latest.uploaded_at) if latest else "—",
            ]
        )
    evidence_table = DocumentTable(
        headers=[_("序号"), _("材料名称"), _("对应指标"), _("版本"), _("上传时间")],
        rows=evidence_rows,
        widths_mm=[12, 52, 46, 18, 28],
    )
    document = official_document(
        issuer=issuer_name(city, settings.DUBAN_OFFICE_NAME),
        title=_("%(applicant)s关于申报%(year)s年度国务院督查激励（%(area)s）的材料")
        % {"applicant": applicant, "year": campaign.year, "area": measure.area},
        sections=[
            cover,
            Section(heading=_("评价指标与本地情况"), tables=[criteria_table]),
            Section(heading=_("申报材料清单"), tables=[evidence_table]),
        ],
        signature=campaign.lead_unit.name,
        signed_on=timezone.localdate(),
    )
    return document_bytes(document)


def summary_headers() -> list[str]:
    return [
        _("评价年度"),
        _("清单"),
        _("激励事项"),
        _("负责部门"),
        _("牵头单位"),
        _("争创县区"),
        _("获得奖励"),
        _("奖励金额（万元）"),
        _("省配套激励"),
        _("省配套金额（万元）"),
        _("通报日期"),
    ]


def summary_workbook(summary: dict) -> bytes:
    rows = [
        [
            c.year,
            c.measure.measure_list.code,
            c.measure.area,
            c.measure.ministry,
            c.lead_unit.name,
            c.county.name if c.county_id else _("市本级"),
            c.reward,
            c.reward_amount,
            c.province_reward,
            c.province_amount,
            c.announced_on,
        ]
        for c in summary["won"]
    ]
    return write_workbook(title=_("督查激励获得情况"), headers=summary_headers(), rows=rows)
