"""The dossier opens with python-docx and holds the criteria (with the city's figures) and the evidence
list; the yearly summary counts incentives won per year, unit and county, in Excel too."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import docx
import openpyxl
from django.urls import reverse

from duban.bonds.tests.factories import BondProjectFactory

from .. import selectors, services
from .factories import MeasureFactory, docx_upload, open_campaign


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_dossier_opens_with_python_docx_and_holds_the_criteria_and_the_evidence_list(city, client_for):
    BondProjectFactory(applying_unit=city.finance, quota_allocated=Decimal(1000), issued_amount=Decimal(500))
    campaign = open_campaign(city, measure=MeasureFactory(area="财政管理"))
    services.criterion_add(
        campaign=campaign, by=city.liaison, text="预算执行进度", source="财政部实施办法", standing="已完成95%"
    )
    services.criterion_add(
        campaign=campaign,
        by=city.liaison,
        text="专项债券发行进度",
        source="财政部实施办法",
        live_source="bond_issuance",
    )
    services.evidence_upload(
        campaign=campaign, by=city.liaison, title="财政管理工作报告", upload=docx_upload()
    )
    response = client_for(city.liaison).get(reverse("incentives:campaign_dossier", args=[campaign.pk]))
    assert response.status_code == 200
    text = _text(docx.Document(io.BytesIO(response.content)))
    assert "预算执行进度" in text and "已完成95%" in text
    assert "专项债券发行进度" in text and "50.00%" in text
    assert "财政管理工作报告" in text and "第1版" in text
    assert "财政管理" in text and "测试市财政局" in text


def _won(city, *, unit, county=None, year=2025, amount="100"):
    campaign = open_campaign(city, unit=unit, county=county, year=year)
    services.evidence_upload(campaign=campaign, by=city.office, title="报告", upload=docx_upload())
    services.campaign_submit(campaign=campaign, by=city.office)
    return services.campaign_decide(
        campaign=campaign, by=city.office, commended=True, announced_on=date(year + 1, 5, 8),
        reward="奖励", reward_amount=Decimal(amount), province_amount=Decimal(50),
    )  # fmt: skip


def test_the_yearly_summary_counts_incentives_won_per_year_unit_and_county(city, client_for):
    _won(city, unit=city.finance)
    _won(city, unit=city.finance, county=city.county)
    _won(city, unit=city.housing, year=2024)
    lost = open_campaign(city, unit=city.housing)
    services.evidence_upload(campaign=lost, by=city.office, title="报告", upload=docx_upload())
    services.campaign_submit(campaign=lost, by=city.office)
    services.campaign_decide(campaign=lost, by=city.office, commended=False, announced_on=date(2027, 5, 8))
    summary = selectors.yearly_summary(user=city.office)
    assert [(r["year"], r["decided"], r["won"], r["amount"]) for r in summary["years"]] == [
        (2024, 1, 1, Decimal(150)), (2025, 2, 2, Decimal(300)), (2026, 1, 0, Decimal(0)),
    ]  # fmt: skip
    assert {(r["year"], r["name"], r["count"]) for r in summary["per_county"]} == {
        (2024, "市本级", 1), (2025, "市本级", 1), (2025, "南屏县", 1),
    }  # fmt: skip
    assert summary["chart"] == {"years": ["2024", "2025", "2026"], "won": [1, 2, 0], "not_won": [0, 0, 1]}
    page = client_for(city.leader_user).get(reverse("incentives:summary"))
    assert page.status_code == 200 and "incentive-chart" in page.content.decode()
    sheet = client_for(city.office).get(reverse("incentives:summary_export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "评价年度"


def test_the_exports_of_the_board_and_the_catalogue_open(city, client_for):
    open_campaign(city)
    services.catalogue_load(by=city.office)
    client = client_for(city.office)
    for name in ("campaign_export", "measure_export"):
        response = client.get(reverse(f"incentives:{name}"))
        assert response.status_code == 200
        assert openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row > 1
