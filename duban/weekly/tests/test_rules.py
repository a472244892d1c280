"""Who may do what: the predicates the weekly pages show their buttons with and the services refuse with."""

import pytest
from django.urls import reverse

from duban.core.errors import NotPermitted
from duban.weekly import rules, services
from duban.weekly.models import AgendaKind, CycleState, DecisionAction, ReportState, WeeklyReport

from .conftest import at, fill


@pytest.fixture
def report(city, cycle):
    return WeeklyReport.objects.select_related("cycle").get(cycle=cycle, unit=city.finance)


@pytest.mark.parametrize(
    ("who", "state", "cycle_state", "reopened", "fills", "reopens"),
    [
        ("liaison", ReportState.PENDING, CycleState.OPEN, False, True, False),
        ("liaison", ReportState.DRAFT, CycleState.OPEN, False, True, False),
        ("liaison", ReportState.SUBMITTED, CycleState.OPEN, False, False, False),
        ("liaison", ReportState.DRAFT, CycleState.CLOSED, False, False, False),
        ("liaison", ReportState.DRAFT, CycleState.CLOSED, True, True, False),
        ("housing_liaison", ReportState.DRAFT, CycleState.OPEN, False, False, False),
        ("leader_user", ReportState.SUBMITTED, CycleState.OPEN, False, False, False),
        ("office", ReportState.PENDING, CycleState.OPEN, False, False, False),
        ("office", ReportState.SUBMITTED, CycleState.OPEN, False, False, True),
        ("office", ReportState.PENDING, CycleState.CLOSED, False, False, True),
    ],
)
def test_the_unit_files_while_the_cycle_allows_and_the_office_reopens(
    city, report, who, state, cycle_state, reopened, fills, reopens
):
    report.state, report.cycle.state = state, cycle_state
    report.reopened_at = at(2026, 11, 30) if reopened else None
    user = getattr(city, who)
    assert rules.may_fill_report(user, report) is fills
    assert rules.may_submit_report(user, report) is fills
    assert rules.may_reopen_report(user, report) is reopens


def test_the_cycle_is_reminded_and_closed_by_the_office_while_open(city, cycle):
    assert rules.may_remind(city.office, cycle) and rules.may_close_cycle(city.office, cycle)
    assert not rules.may_remind(city.liaison, cycle) and not rules.may_close_cycle(city.leader_user, cycle)
    services.cycle_close(cycle=cycle, by=city.office)
    cycle.refresh_from_db()
    assert not rules.may_remind(city.office, cycle) and not rules.may_close_cycle(city.office, cycle)


def test_the_services_refuse_the_cycle_to_anyone_but_the_office(city, cycle):
    for service in (services.cycle_remind, services.cycle_close):
        with pytest.raises(NotPermitted):
            service(cycle=cycle, by=city.liaison)


@pytest.mark.parametrize(
    ("who", "readable"),
    [("office", True), ("admin", True), ("leader_user", True), ("liaison", False), ("finance_user", False)],
)
def test_the_office_and_the_leaders_read_the_bulletin(city, who, readable):
    assert rules.may_read_bulletin(getattr(city, who)) is readable


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("liaison", ["提交周报", 'hx-post="/weekly/items/'], ["退回修改", "允许补报"]),
        ("office", [], ["提交周报", "hx-post", "退回修改"]),
    ],
)
def test_the_report_page_shows_each_user_the_buttons_the_rules_allow(
    city, report, client_for, who, shown, hidden
):
    page = (
        client_for(getattr(city, who)).get(reverse("weekly:report_detail", args=[report.pk])).content.decode()
    )
    assert all(text in page for text in shown), shown
    assert not any(text in page for text in hidden), hidden


def test_the_office_sees_reopen_on_a_submitted_report_and_late_filing_after_the_close(
    city, cycle, report, client_for
):
    url = reverse("weekly:report_detail", args=[report.pk])
    fill(report, city.liaison)
    services.report_submit(report=report, by=city.liaison)
    assert "退回修改" in client_for(city.office).get(url).content.decode()
    county = WeeklyReport.objects.get(cycle=cycle, unit=city.county)
    services.cycle_close(cycle=cycle, by=city.office)
    page = client_for(city.office).get(reverse("weekly:report_detail", args=[county.pk])).content.decode()
    assert "允许补报" in page


def test_the_cycle_page_offers_reminders_only_while_open(city, cycle, client_for):
    url = reverse("weekly:cycle_detail", args=[cycle.pk])
    assert "一键催报未报送单位" in client_for(city.office).get(url).content.decode()
    services.cycle_close(cycle=cycle, by=city.office)
    page = client_for(city.office).get(url).content.decode()
    assert "一键催报未报送单位" not in page and "截止本期" not in page


def test_a_decision_carried_out_offers_no_further_decision(city, weekly, client_for):
    item = weekly.agenda.get(kind=AgendaKind.RED)
    url = reverse("weekly:meeting_detail", args=[weekly.pk])
    assert client_for(city.office).get(url).content.decode().count("记录决定") == 2
    assert "记录决定" not in client_for(city.leader_user).get(url).content.decode()
    services.agenda_decide(
        item=item, by=city.office, decision="决定办结", action=DecisionAction.CLOSE, confirm_close=True
    )
    assert not rules.may_decide(city.office, weekly.agenda.get(pk=item.pk))
    assert client_for(city.office).get(url).content.decode().count("记录决定") == 1
