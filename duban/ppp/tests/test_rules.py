"""Who may do what: the predicates the PPP pages show their buttons with and the services refuse with,
and the life-cycle tables behind the steps."""

import pytest
import rules as django_rules
from django.urls import reverse

from duban.ppp import rules, services
from duban.ppp.models import RectificationTask
from duban.ppp.tests.conftest import create_task
from duban.ppp.workflow import OBLIGATIONS, TASKS

pytestmark = pytest.mark.django_db
ROLES = ["office", "finance_user", "leader_user", "liaison", "county_liaison", "housing_liaison"]


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        (rules.is_manager, {"office", "finance_user"}),
        (rules.sees_programme, {"office", "finance_user", "leader_user"}),
        (rules.is_office_user, {"office"}),
        (rules.may_override_class, {"office"}),
    ],
    ids=["is_manager", "sees_programme", "is_office_user", "may_override_class"],
)
def test_who_manages_sees_and_overrides(city, rule, allowed):
    assert {role for role in ROLES if rule.test(getattr(city, role))} == allowed


def test_the_implementing_agency_and_the_managers_report_progress(city, project):
    allowed = {role for role in ROLES if rules.may_report_progress.test(getattr(city, role), project)}
    assert allowed == {"office", "finance_user", "liaison"}


def test_the_templates_ask_the_same_predicates(city, project):
    assert django_rules.test_rule("ppp.may_report_progress", city.liaison, project)
    assert not django_rules.test_rule("ppp.may_report_progress", city.county_liaison, project)
    assert django_rules.test_rule("ppp.may_override_class", city.office, project)


def test_a_project_in_the_library_may_be_withdrawn_once(city, project):
    assert rules.may_withdraw_project.test(city.finance_user, project)
    assert not rules.may_withdraw_project.test(city.liaison, project)
    services.project_withdraw(project=project, by=city.office, reason="退库")
    assert not rules.may_withdraw_project.test(city.office, project)


def test_an_obligations_steps_follow_the_role(city, project):
    import datetime

    obligation = services.obligation_create(
        project=project,
        by=city.office,
        side="social",
        kind="capital",
        title="x",
        due_on=datetime.date.today(),
    )

    def steps(user):
        return [transition.name for transition in OBLIGATIONS.available(user, obligation)]

    assert steps(city.liaison) == ["fulfil"]
    assert steps(city.finance_user) == ["fulfil", "breach", "waive"]
    assert steps(city.county_liaison) == []


def test_a_reviews_steps_open_and_close_with_the_campaign(city, review):
    assert rules.may_review.test(city.finance_user, review)
    assert rules.may_rate_review.test(city.finance_user, review)
    assert not rules.may_review.test(city.liaison, review)
    assert not rules.may_close_review.test(city.office, review)
    review.campaign.state = "closed"
    assert not rules.may_review.test(city.office, review)
    assert not rules.may_rate_review.test(city.office, review)


def test_a_campaign_is_started_and_closed_by_the_managers(city):
    from duban.ppp.models import ReviewCampaign

    campaign = ReviewCampaign(name="x", year=2026, due_on="2026-12-31")
    assert rules.may_start_campaign.test(city.finance_user, campaign)
    assert not rules.may_start_campaign.test(city.leader_user, campaign)
    assert not rules.may_close_campaign.test(city.office, campaign)


def test_the_owner_unit_reports_and_the_managers_decide_on_a_task_of_their_own(city, review):
    task = create_task(review, by=city.finance_user, unit=city.finance)
    assert rules.may_submit_task.test(city.liaison, task)
    assert not rules.may_submit_task.test(city.housing_liaison, task)
    assert not rules.may_decide_task.test(city.finance_user, task)  # nothing reported yet
    assert rules.may_reschedule_task.test(city.finance_user, task)
    assert rules.may_link_task.test(city.office, task) and not rules.may_link_task.test(
        city.finance_user, task
    )
    task = services.task_submit(task=task, by=city.liaison, response="已整改", expected_version=task.version)
    assert rules.may_decide_task.test(city.finance_user, task)


def test_once_a_task_is_a_directive_only_the_office_decides_on_it(city, task):
    task = services.task_submit(task=task, by=city.liaison, response="已整改", expected_version=task.version)
    assert rules.may_decide_task.test(city.office, task)
    assert not rules.may_decide_task.test(city.finance_user, task)
    assert not rules.may_reschedule_task.test(city.finance_user, task)
    assert not rules.may_link_task.test(city.office, task)  # it is one already
    assert [t.name for t in TASKS.available(city.finance_user, task)] == []


def test_a_finished_task_offers_no_step(city, task):
    services.task_cancel(task=task, by=city.office, reason="撤销")
    task.refresh_from_db()
    assert task.state == RectificationTask.State.CANCELLED
    assert TASKS.available(city.office, task) == []


def test_the_task_page_shows_each_button_to_whom_the_rule_allows_it(city, client_for, task):
    url = reverse("ppp:task_detail", args=[task.pk])
    link, reschedule = (
        reverse("ppp:task_link", args=[task.pk]),
        reverse("ppp:task_reschedule", args=[task.pk]),
    )
    office = client_for(city.office).get(url).content.decode()
    finance = client_for(city.finance_user).get(url).content.decode()
    assert reschedule in office and reschedule not in finance
    assert link not in office  # already a directive
    assert 'name="response"' in client_for(city.liaison).get(url).content.decode()
    assert 'name="response"' not in client_for(city.county_liaison).get(url).content.decode()
