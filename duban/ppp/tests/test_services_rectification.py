"""Rectification tasks: their life cycle (`workflow.TASKS`), and the directives that carry them. Each task
is carried by a directive assigned to its owner unit, which gets the lights, reminders and weekly
reporting, and the two move together."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from duban.core.concurrency import EditConflict
from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.directives import selectors as directive_selectors
from duban.directives.models import Source
from duban.directives.models import State as DirectiveState
from duban.ppp import services
from duban.ppp.models import RectificationTask
from duban.ppp.tests.conftest import DEADLINE, create_task
from duban.weekly import selectors as weekly_selectors
from duban.weekly import services as weekly_services

pytestmark = pytest.mark.django_db
# An ordinary working week (Monday 23 November 2026), as in duban/weekly/tests.
MONDAY = datetime.date(2026, 11, 23)


def test_creating_a_task_creates_a_directive_assigned_to_the_owner_unit(city, task):
    directive = task.directive
    assert directive is not None
    assert directive.state == DirectiveState.ASSIGNED
    assert directive.lead_unit == city.finance
    assert directive.deadline == DEADLINE
    assert directive.theme.code == "ppp"
    assert directive.source == Source.KEY_WORK
    assert directive.title == f"PPP项目整改：{task.project.name} — 补足欠付的可用性付费"


def test_the_directive_names_the_campaign_and_links_back_to_the_task(task):
    note = task.directive.source_note
    assert "2026年度PPP合同履约审查" in note
    assert reverse("ppp:task_detail", args=[task.pk]) in note


def test_the_responsible_leader_is_the_one_whose_portfolio_holds_the_owner_unit(city, task):
    assert task.directive.responsible_leader == city.leader


def test_a_unit_outside_every_portfolio_gets_no_responsible_leader(city, review):
    task = create_task(review, by=city.office, unit=city.housing)
    assert task.directive.responsible_leader is None


def test_among_several_leaders_the_one_in_charge_of_ppp_is_responsible(city, review):
    from duban.tests.factories import LeaderFactory

    other = LeaderFactory(name="周明")
    other.units.set([city.finance])
    city.leader.themes.add(services.ppp_theme())
    task = create_task(review, by=city.office, unit=city.finance)
    assert task.directive.responsible_leader == city.leader


def test_the_directive_is_an_open_item_of_the_owner_units_weekly_report(city, task):
    cycle, _created = weekly_services.cycle_open(day=MONDAY)
    weekly_services.cycle_sync(cycle=cycle)
    report = weekly_selectors.my_report(user=city.liaison, cycle=cycle)
    items = weekly_selectors.report_items(user=city.liaison, report=report)
    assert [(item.source, item.object_id, item.deadline) for item in items] == [
        ("directive", task.directive_id, DEADLINE)
    ]
    housing = weekly_selectors.my_report(user=city.housing_liaison, cycle=cycle)
    assert housing is None


def test_the_owner_units_liaison_sees_the_directive_and_another_units_does_not(city, task):
    assert directive_selectors.directive_list(user=city.liaison).filter(pk=task.directive_id).exists()
    assert not (
        directive_selectors.directive_list(user=city.housing_liaison).filter(pk=task.directive_id).exists()
    )


def test_reporting_on_the_task_asks_for_the_directives_completion(city, task):
    task = services.task_submit(
        task=task, by=city.liaison, response="已于9月支付", expected_version=task.version
    )
    task.directive.refresh_from_db()
    assert task.directive.state == DirectiveState.COMPLETION_REQUESTED


def test_accepting_the_task_closes_the_directive(city, task):
    task = services.task_submit(
        task=task, by=city.liaison, response="已于9月支付", expected_version=task.version
    )
    services.task_accept(task=task, by=city.office)
    task.refresh_from_db()
    task.directive.refresh_from_db()
    assert task.state == RectificationTask.State.DONE
    assert task.directive.state == DirectiveState.CLOSED and task.directive.percent == 100


def test_accepting_a_task_the_unit_did_not_report_on_the_directive_closes_it_by_decision(city, task):
    # The office files the report on the unit's behalf: the directive is still being worked on.
    task = services.task_submit(task=task, by=city.office, response="已支付", expected_version=task.version)
    services.task_accept(task=task, by=city.office, note="审查组现场核实已支付")
    task.directive.refresh_from_db()
    assert task.directive.state == DirectiveState.CLOSED
    assert task.directive.events.filter(kind="closed", note="审查组现场核实已支付").exists()


def test_returning_the_task_returns_the_directive(city, task):
    task = services.task_submit(task=task, by=city.liaison, response="已支付", expected_version=task.version)
    services.task_return(task=task, by=city.office, reason="缺少支付凭证")
    task.directive.refresh_from_db()
    assert task.directive.state == DirectiveState.IN_PROGRESS


def test_withdrawing_the_task_cancels_the_directive(city, task):
    services.task_cancel(task=task, by=city.office, reason="项目已退库")
    task.refresh_from_db()
    task.directive.refresh_from_db()
    assert task.state == RectificationTask.State.CANCELLED
    assert task.directive.state == DirectiveState.CANCELLED


def test_a_new_deadline_for_the_task_is_the_directives_deadline(city, task):
    later = DEADLINE + datetime.timedelta(days=30)
    services.task_reschedule(task=task, by=city.office, deadline=later, expected_version=task.version)
    task.refresh_from_db()
    task.directive.refresh_from_db()
    assert task.deadline == later and task.directive.deadline == later


def test_the_finance_reviewers_cannot_decide_on_a_task_that_is_a_directive(city, task):
    task = services.task_submit(task=task, by=city.liaison, response="已支付", expected_version=task.version)
    with pytest.raises(NotPermitted):
        services.task_accept(task=task, by=city.finance_user)
    task.refresh_from_db()
    assert task.state == RectificationTask.State.SUBMITTED


def test_the_finance_reviewers_are_refused_accepting_a_directive_task_on_the_page(city, client_for, task):
    task = services.task_submit(task=task, by=city.liaison, response="已支付", expected_version=task.version)
    page = client_for(city.finance_user).get(reverse("ppp:task_detail", args=[task.pk])).content.decode()
    assert reverse("ppp:task_accept", args=[task.pk]) not in page
    response = client_for(city.finance_user).post(reverse("ppp:task_accept", args=[task.pk]))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.state == RectificationTask.State.SUBMITTED


def test_the_office_reschedules_a_task_on_its_page(city, client_for, task):
    later = DEADLINE + datetime.timedelta(days=10)
    response = client_for(city.office).post(
        reverse("ppp:task_reschedule", args=[task.pk]),
        {"expected_version": task.version, "deadline": later.isoformat(), "reason": "需履行预算调整程序"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    task.directive.refresh_from_db()
    assert task.deadline == later and task.directive.deadline == later


def test_a_task_the_finance_reviewers_create_waits_for_the_office_to_link_it(city, review):
    task = create_task(review, by=city.finance_user, unit=city.finance)
    assert task.directive is None
    task = services.task_link(task=task, by=city.office)
    assert task.directive.lead_unit == city.finance
    with pytest.raises(NotPermitted):
        services.task_link(task=task, by=city.finance_user)


def link(*args):
    out = StringIO()
    call_command("ppp", "link-rectification", *args, stdout=out)
    return out.getvalue()


def test_the_link_command_creates_directives_once(city, review):
    first = create_task(review, by=city.finance_user, unit=city.finance)
    second = create_task(review, by=city.finance_user, unit=city.housing, title="公开绩效考核结果")
    assert "2" in link()
    assert "0" in link("--as", "office")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.directive.lead_unit == city.finance and second.directive.lead_unit == city.housing
    assert RectificationTask.objects.filter(directive__isnull=False).count() == 2
    from duban.directives.models import Directive

    assert Directive.objects.count() == 2


def test_the_link_command_leaves_finished_tasks_alone(city, review):
    task = create_task(review, by=city.finance_user, unit=city.finance)
    services.task_cancel(task=task, by=city.finance_user, reason="重复下达")
    link()
    task.refresh_from_db()
    assert task.directive is None


def test_the_link_command_refuses_a_user_who_is_not_the_office(city, review):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        link("--as", "finance")


def test_the_task_page_links_to_the_directive_for_the_owner_unit(city, client_for, task):
    page = client_for(city.liaison).get(reverse("ppp:task_detail", args=[task.pk])).content.decode()
    assert reverse("directives:detail", args=[task.directive_id]) in page


def test_the_directive_page_links_back_to_the_task(city, client_for, task):
    page = (
        client_for(city.liaison).get(reverse("directives:detail", args=[task.directive_id])).content.decode()
    )
    assert reverse("ppp:task_detail", args=[task.pk]) in page


def test_the_office_links_a_task_from_its_page(city, client_for, review):
    task = create_task(review, by=city.finance_user, unit=city.finance)
    url = reverse("ppp:task_link", args=[task.pk])
    assert client_for(city.finance_user).post(url).status_code == 403
    assert client_for(city.office).post(url).status_code == 302
    task.refresh_from_db()
    assert task.directive is not None


def test_the_office_withdraws_a_task_through_the_api(city, api_client_for, task):
    url = f"/api/ppp/rectification-tasks/{task.pk}/cancel/"
    assert api_client_for(city.liaison).post(url, {"reason": "x"}).status_code == 403
    data = api_client_for(city.office).post(url, {"reason": "项目已退库"}).json()
    assert data["state"] == "cancelled" and data["directive"] == task.directive_id
    task.directive.refresh_from_db()
    assert task.directive.state == DirectiveState.CANCELLED


# --- the life cycle -----------------------------------------------------------------------------


def test_a_report_without_a_word_is_refused_beside_its_field(city, task):
    with pytest.raises(Invalid) as refused:
        services.task_submit(task=task, by=city.liaison, response=" ", expected_version=task.version)
    assert "response" in refused.value.fields


def test_a_report_from_an_old_version_is_refused(city, task):
    stale = task.version
    services.task_reschedule(
        task=task, by=city.office, deadline=DEADLINE + datetime.timedelta(days=1), expected_version=stale
    )
    with pytest.raises(EditConflict):
        services.task_submit(task=task, by=city.liaison, response="已支付", expected_version=stale)


def test_only_the_owner_unit_and_the_managers_report(city, task):
    for who in (city.housing_liaison, city.county_liaison, city.leader_user):
        with pytest.raises(NotPermitted):
            services.task_submit(task=task, by=who, response="x", expected_version=task.version)


def test_a_task_not_reported_cannot_be_accepted_or_returned(city, task):
    with pytest.raises(TransitionRefused):
        services.task_accept(task=task, by=city.office)
    with pytest.raises(TransitionRefused):
        services.task_return(task=task, by=city.office, reason="x")


def test_returning_needs_a_reason(city, task):
    task = services.task_submit(task=task, by=city.liaison, response="已支付", expected_version=task.version)
    with pytest.raises(Invalid) as refused:
        services.task_return(task=task, by=city.office, reason="")
    assert "reason" in refused.value.fields


def test_rescheduling_keeps_the_state_and_writes_the_old_and_new_deadline(city, task):
    task = services.task_submit(task=task, by=city.liaison, response="已支付", expected_version=task.version)
    later = DEADLINE + datetime.timedelta(days=30)
    task = services.task_reschedule(
        task=task, by=city.office, deadline=later, expected_version=task.version, reason="预算调整"
    )
    assert task.state == RectificationTask.State.SUBMITTED
    event = task.project.events.filter(kind="task").first()
    assert event.text == f"整改期限调整：{task.title}（{DEADLINE} → {later}） 预算调整"


def test_a_finished_task_cannot_be_rescheduled_or_withdrawn(city, task):
    services.task_cancel(task=task, by=city.office, reason="项目已退库")
    with pytest.raises(TransitionRefused):
        services.task_reschedule(task=task, by=city.office, deadline=DEADLINE, expected_version=task.version)
    with pytest.raises(TransitionRefused):
        services.task_cancel(task=task, by=city.office, reason="again")


def test_accepting_the_last_task_of_a_finding_resolves_it_and_the_review_is_rated_again(city, review):
    task = create_task(review, by=city.finance_user, unit=city.finance)
    services.review_check(
        review=review, by=city.office, results={item.pk: ("ok", "") for item in review.items.all()}
    )
    services.review_rate(review=review, by=city.office, rating="basic")
    task = services.task_submit(task=task, by=city.liaison, response="已支付", expected_version=task.version)
    services.task_accept(task=task, by=city.finance_user)
    review.refresh_from_db()
    task.finding.refresh_from_db()
    assert (review.state, task.finding.resolved) == ("rated", True)


def test_a_task_names_a_finding_of_its_own_review_only(city, review, housing_project):
    from duban.ppp.tests.factories import sign

    other = services.finding_add(review=review, by=city.office, severity="minor", description="x")
    sign(housing_project, by=city.office)
    campaign = services.campaign_create(by=city.office, name="另一轮", year=2027, due_on=DEADLINE)
    services.campaign_start(campaign=campaign, by=city.office)
    elsewhere = campaign.reviews.get(project=housing_project)
    with pytest.raises(Invalid) as refused:
        services.task_create(
            review=elsewhere,
            by=city.office,
            owner_unit=city.housing,
            title="x",
            deadline=DEADLINE,
            finding=other,
        )
    assert "finding" in refused.value.fields
