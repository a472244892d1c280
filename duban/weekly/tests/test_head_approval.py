"""单位领导审核: where a unit asks for it, its weekly report goes to its head before the office. The head
approves it (it reaches the office) or sends it back with his reason; its timeliness counts from the
liaison's submission when he approves within the cycle, else from its arrival."""

from unittest import mock

import pytest
from django.urls import reverse

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.notifications.models import Notification
from duban.tests.factories import UserFactory
from duban.weekly import services
from duban.weekly.models import ReportState, Timeliness, WeeklyReport

from .conftest import at, fill


@pytest.fixture
def head(city):
    """Finance asks for its head's approval; its head is a liaison flagged as the unit's head."""
    city.finance.requires_head_approval = True
    city.finance.save()
    return UserFactory(username="finance_head", full_name="王局长", unit=city.finance, is_unit_head=True)


@pytest.fixture
def report(city, cycle, head):
    report = WeeklyReport.objects.get(cycle=cycle, unit=city.finance)
    fill(report, city.liaison)
    return report


FRIDAY_AFTERNOON = at(2026, 11, 27, 16)  # before the due time (Friday 17:00)


def asked(report, city, moment=FRIDAY_AFTERNOON):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return services.report_submit_for_approval(report=report, by=city.liaison)


def test_the_liaison_cannot_bypass_the_head_and_the_head_is_told(city, report, head):
    with pytest.raises(TransitionRefused, match="提交单位领导审核"):
        services.report_submit(report=report, by=city.liaison)
    report = asked(report, city)
    assert report.state == ReportState.HEAD_REVIEW and report.head_requested_by == city.liaison
    note = Notification.objects.get(recipient=head, kind="approval")
    assert reverse("weekly:report_detail", args=[report.pk]) == note.url
    # With the head, nothing is changed nor gathered into it.
    with pytest.raises(TransitionRefused):
        services.item_save(item=report.items.first(), by=city.liaison, done_this_week="再改一下")


def test_approved_within_the_cycle_it_counts_from_the_liaisons_submission(city, report, head):
    report = asked(report, city, at(2026, 11, 27, 16))  # before the due time (Friday 17:00)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 30, 9)):  # before the close
        report = services.report_approve(report=report, by=head)
    assert report.state == ReportState.SUBMITTED
    assert report.timeliness == Timeliness.ON_TIME
    assert report.submitted_by == city.liaison
    assert report.first_submitted_at == at(2026, 11, 27, 16)


def test_approved_after_the_close_it_counts_from_its_arrival(city, report, head):
    report = asked(report, city, at(2026, 11, 27, 16))
    services.run_cycle(now=at(2026, 11, 30, 12, 1))  # the cycle closes with the report at the head
    report.refresh_from_db()
    assert report.timeliness == Timeliness.MISSING
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 30, 15)):
        report = services.report_approve(report=report, by=head)
    assert (report.state, report.timeliness) == (ReportState.SUBMITTED, Timeliness.LATE)


def test_submitted_late_it_is_late_however_soon_the_head_approves(city, report, head):
    report = asked(report, city, at(2026, 11, 27, 18))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 27, 18, 5)):
        report = services.report_approve(report=report, by=head)
    assert report.timeliness == Timeliness.LATE


def test_the_head_sends_it_back_with_his_reason(city, report, head):
    report = asked(report, city)
    with pytest.raises(Invalid):
        services.report_send_back(report=report, by=head, reason="")
    report = services.report_send_back(report=report, by=head, reason="进度数据请与台账核对")
    assert report.state == ReportState.DRAFT and report.head_note == "进度数据请与台账核对"
    assert Notification.objects.filter(recipient=city.liaison, kind="returned").exists()
    services.item_save(item=report.items.first(), by=city.liaison, percent=60)  # a draft again


def test_the_head_files_his_own_units_report_directly(city, report, head):
    with pytest.raises(TransitionRefused, match="可直接提交"):
        services.report_submit_for_approval(report=report, by=head)
    assert services.report_submit(report=report, by=head).state == ReportState.SUBMITTED


@pytest.mark.parametrize("who", ["liaison", "office", "leader_user", "county_liaison", "other_head"])
def test_only_the_units_head_approves_or_sends_back(city, report, head, who):
    other_head = UserFactory(username="county_head", unit=city.county, is_unit_head=True)
    city.county.requires_head_approval = True
    city.county.save()
    user = other_head if who == "other_head" else getattr(city, who)
    report = asked(report, city)
    with pytest.raises(NotPermitted):
        services.report_approve(report=report, by=user)
    with pytest.raises(NotPermitted):
        services.report_send_back(report=report, by=user, reason="不是我的")


def test_a_unit_that_does_not_ask_for_it_submits_directly(city, cycle):
    from duban.weekly.workflow import HEAD, REPORT_WORKFLOW

    flagged = UserFactory(username="finance_head", unit=city.finance, is_unit_head=True)
    report = WeeklyReport.objects.get(cycle=cycle, unit=city.finance)
    fill(report, city.liaison)
    assert HEAD not in REPORT_WORKFLOW.actors_of(flagged, report)  # the flag alone gives no say
    with pytest.raises(TransitionRefused, match="未开启"):
        services.report_submit_for_approval(report=report, by=city.liaison)
    assert services.report_submit(report=report, by=city.liaison).state == ReportState.SUBMITTED


def test_the_pages_take_the_steps_and_refuse_the_wrong_user(city, report, head, client_for):
    detail = reverse("weekly:report_detail", args=[report.pk])
    page = client_for(city.liaison).get(detail).content.decode()
    assert reverse("weekly:report_submit_for_approval", args=[report.pk]) in page
    assert reverse("weekly:report_submit", args=[report.pk]) not in page
    client_for(city.liaison).post(reverse("weekly:report_submit_for_approval", args=[report.pk]))
    # The liaison's click on the head's button changes nothing; another unit does not find it.
    client_for(city.liaison).post(reverse("weekly:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == ReportState.HEAD_REVIEW
    other = client_for(city.housing_liaison).post(reverse("weekly:report_approve", args=[report.pk]))
    assert other.status_code == 404
    # The head finds it on his home page, and sends it back from the report's page.
    home = client_for(head).get(reverse("cockpit:home")).content.decode()
    assert "待我审核的周报" in home and detail in home
    page = client_for(head).get(detail).content.decode()
    assert reverse("weekly:report_approve", args=[report.pk]) in page
    client_for(head).post(reverse("weekly:report_send_back", args=[report.pk]), {"reason": "请补充问题"})
    report.refresh_from_db()
    assert (report.state, report.head_note) == (ReportState.DRAFT, "请补充问题")


def test_the_api_takes_the_same_steps(city, report, head, api_client_for):
    liaison, boss = api_client_for(city.liaison), api_client_for(head)
    url = f"/api/weekly/reports/{report.pk}/"
    assert liaison.post(url + "submit-for-approval/", {}, format="json").status_code == 200
    assert liaison.post(url + "approve/", {}, format="json").status_code == 403
    assert boss.post(url + "send-back/", {}, format="json").status_code == 400  # the reason is required
    answer = boss.post(url + "approve/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "submitted"
