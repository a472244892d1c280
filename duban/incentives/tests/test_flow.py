"""A campaign runs from assignment to outcome on the pages: the office opens it (a directive of theme
督查激励 is assigned to the lead unit), the lead unit enters criteria and evidence and files it, the
office records the commendation and the directive is closed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.directives import selectors as directive_selectors
from duban.workcalendar.selectors import add_working_days

from .. import selectors, services
from ..models import Campaign, CampaignState, EvidenceFile
from .factories import MeasureFactory, docx_upload, open_campaign


def test_a_campaign_runs_from_assignment_to_outcome_on_the_pages(city, client_for):
    measure = MeasureFactory(area="财政管理")
    office = client_for(city.office)
    response = office.post(
        reverse("incentives:campaign_open"),
        {
            "measure": measure.pk, "year": 2026, "lead_unit": city.finance.pk, "leader": city.leader.pk,
            "period_start": "2026-01-01", "period_end": "2026-12-31", "submission_due": "2027-01-29",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content[:800]
    campaign = Campaign.objects.get(measure=measure)
    directive = directive_selectors.linked_directive(campaign.directive_id)
    assert directive.theme.code == "incentive" and directive.lead_unit == city.finance
    assert directive.state == "assigned"
    assert directive.deadline == add_working_days(date(2027, 1, 29), -3)

    liaison = client_for(city.liaison)
    response = liaison.post(
        reverse("incentives:criterion_add", args=[campaign.pk]),
        {"text": "预算执行进度", "source": "财政部实施办法", "source_url": "", "target": "不低于序时进度",
         "target_ratio": "", "standing": "已完成95%", "live_source": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:800]
    url = reverse("incentives:evidence_upload", args=[campaign.pk])
    assert liaison.post(url, {"title": "工作报告", "file": docx_upload()}).status_code == 302
    assert liaison.post(url, {"title": "工作报告", "file": docx_upload("第二稿.docx")}).status_code == 302
    assert list(EvidenceFile.objects.values_list("version", flat=True).order_by("version")) == [1, 2]

    page = liaison.get(reverse("incentives:campaign_detail", args=[campaign.pk]))
    assert "预算执行进度" in page.content.decode() and "第2版" in page.content.decode()
    assert (
        liaison.post(
            reverse("incentives:campaign_submit", args=[campaign.pk]), {"submitted_on": "2027-01-20"}
        ).status_code
        == 302
    )
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SUBMITTED and campaign.submitted_on == date(2027, 1, 20)

    decide = reverse("incentives:campaign_decide", args=[campaign.pk])
    assert liaison.post(decide, {"commended": "1", "announced_on": "2027-05-08"}).status_code == 403
    response = client_for(city.office).post(
        decide,
        {"commended": "1", "announced_on": "2027-05-08", "reward": "资金奖励", "reward_amount": "500",
         "province_reward": "省配套", "province_amount": "200", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.COMMENDED and campaign.total_amount == 700
    assert directive_selectors.linked_directive(campaign.directive_id).state == "closed"
    kinds = list(campaign.events.values_list("kind", flat=True))
    assert {"opened", "criterion", "evidence", "submit", "commend"} <= set(kinds)


def test_a_campaign_without_evidence_cannot_be_filed(city):
    campaign = open_campaign(city)
    with pytest.raises(Invalid):
        services.campaign_submit(campaign=campaign, by=city.liaison)


def test_another_units_liaison_may_not_file_or_add_criteria(city):
    campaign = open_campaign(city)
    with pytest.raises(NotPermitted):
        services.criterion_add(campaign=campaign, by=city.housing_liaison, text="x", source="y")
    services.evidence_upload(campaign=campaign, by=city.liaison, title="报告", upload=docx_upload())
    with pytest.raises(NotPermitted):
        services.campaign_submit(campaign=campaign, by=city.housing_liaison)


def test_only_the_office_opens_a_campaign_and_only_once_a_year(city):
    measure = MeasureFactory()
    with pytest.raises(NotPermitted):
        services.campaign_open(
            by=city.liaison, measure=measure, year=2026, lead_unit=city.finance,
            period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), submission_due=date(2027, 1, 29),
        )  # fmt: skip
    open_campaign(city, measure=measure)
    with pytest.raises(Invalid):
        open_campaign(city, measure=measure)


def test_a_decided_campaign_takes_no_more_evidence_and_no_second_decision(city):
    campaign = open_campaign(city)
    services.evidence_upload(campaign=campaign, by=city.liaison, title="报告", upload=docx_upload())
    services.campaign_submit(campaign=campaign, by=city.liaison)
    services.campaign_decide(
        campaign=campaign, by=city.office, commended=False, announced_on=date(2027, 5, 8)
    )
    with pytest.raises(NotPermitted):
        services.evidence_upload(campaign=campaign, by=city.liaison, title="补充", upload=docx_upload())
    with pytest.raises(TransitionRefused):
        services.campaign_decide(
            campaign=campaign, by=city.office, commended=True, announced_on=date(2027, 5, 8)
        )


def test_the_office_withdraws_a_filing_with_a_reason(city):
    campaign = open_campaign(city)
    services.evidence_upload(campaign=campaign, by=city.liaison, title="报告", upload=docx_upload())
    services.campaign_submit(campaign=campaign, by=city.liaison)
    with pytest.raises(Invalid):
        services.campaign_withdraw(campaign=campaign, by=city.office, note="")
    withdrawn = services.campaign_withdraw(campaign=campaign, by=city.office, note="材料需补充")
    assert withdrawn.state == CampaignState.PREPARING and withdrawn.submitted_on is None


def test_the_timeline_counts_the_internal_deadlines_back_on_the_working_calendar(city):
    campaign = open_campaign(city)
    rows = selectors.timeline(campaign)
    internal = [row.due_on for row in rows if row.kind == "internal"]
    due = date(2027, 1, 29)
    assert internal == sorted(add_working_days(due, -days) for _label, days in selectors.INTERNAL_STEPS)
    assert [row.due_on for row in rows] == sorted(row.due_on for row in rows)


def test_a_rejected_upload_is_refused(city):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = open_campaign(city)
    with pytest.raises(ValidationError):
        services.evidence_upload(
            campaign=campaign,
            by=city.liaison,
            title="程序",
            upload=SimpleUploadedFile("a.exe", b"MZ\x90\x00"),
        )
