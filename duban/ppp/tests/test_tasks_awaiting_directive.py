"""A finance reviewer's rectification task cannot wait unnoticed for its directive (issue 11, item 6).

The office decides what becomes a directive (督办事项 are issued by the supervision office), so the task
lands in the office's queue: the office is notified at once, the owner unit learns of its task at once,
the task's page, the task list and the office's home page say that it waits and for how long, and one
click (for one task or the whole queue) issues the directive assigned by rule."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.notifications.models import Notification
from duban.ppp import selectors
from duban.ppp.models import RectificationTask
from duban.ppp.tests.conftest import create_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(city, review):
    """The finance reviewer's task for the finance bureau: no directive yet."""
    return create_task(review, by=city.finance_user, unit=city.finance)


def test_a_finance_reviewers_task_is_in_the_offices_queue(city, waiting):
    assert waiting.directive_id is None and waiting.awaits_directive
    assert list(selectors.tasks_awaiting_directive(user=city.office)) == [waiting]


def test_the_office_is_notified_at_once_with_a_link_to_the_task(city, waiting):
    note = Notification.objects.get(recipient=city.office)
    assert note.kind == "assigned"
    assert note.title.startswith("待转督办：") and waiting.title in note.title
    assert note.url == reverse("ppp:task_detail", args=[waiting.pk])
    assert "请转为督办事项" in note.body


def test_the_owner_unit_learns_of_its_task_at_once(city, waiting):
    note = Notification.objects.get(recipient=city.liaison)
    assert note.title == f"PPP整改任务：{waiting.title}"
    assert not Notification.objects.filter(recipient=city.housing_liaison).exists()


def test_the_finance_reviewer_is_not_told_of_their_own_task(city, waiting):
    assert not Notification.objects.filter(recipient=city.finance_user).exists()


def test_the_offices_own_task_is_a_directive_and_asks_nobody_to_link_it(city, task):
    assert task.directive_id is not None
    assert not selectors.tasks_awaiting_directive(user=city.office).exists()
    assert not Notification.objects.filter(recipient=city.office, title__startswith="待转督办").exists()


def test_the_task_page_says_how_long_it_has_waited(city, client_for, waiting):
    RectificationTask.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=3))
    for user in (city.finance_user, city.liaison, city.office):
        text = client_for(user).get(reverse("ppp:task_detail", args=[waiting.pk])).text
        assert 'id="awaiting-directive"' in text and "已等待 3 天" in text


def test_only_the_office_gets_the_button_on_the_task_page(city, client_for, waiting):
    link = reverse("ppp:task_link", args=[waiting.pk])
    assert link in client_for(city.office).get(reverse("ppp:task_detail", args=[waiting.pk])).text
    assert link not in client_for(city.finance_user).get(reverse("ppp:task_detail", args=[waiting.pk])).text


def test_the_task_list_marks_and_filters_the_waiting_tasks(city, client_for, waiting, task):
    client = client_for(city.office)
    text = client.get(reverse("ppp:task_list")).text
    assert "待转督办 · 已等 0 天" in text
    page = client.get(reverse("ppp:task_list"), {"awaiting_directive": "true"})
    assert list(page.context["page_obj"]) == [waiting]
    page = client.get(reverse("ppp:task_list"), {"awaiting_directive": "false"})
    assert list(page.context["page_obj"]) == [task]


def test_the_api_filters_the_waiting_tasks_as_the_page_does(city, api_client_for, waiting, task):
    data = api_client_for(city.office).get("/api/ppp/rectification-tasks/", {"awaiting_directive": "true"})
    assert [row["id"] for row in data.json()["results"]] == [waiting.pk]


def test_the_offices_home_shows_the_queue(city, client_for, waiting):
    page = client_for(city.office).get(reverse("cockpit:home"))
    assert page.context["awaiting_directive"] == [waiting]
    assert 'id="home-awaiting-directive"' in page.text
    assert reverse("ppp:tasks_link") in page.text


def test_the_owner_units_home_shows_its_task_without_the_offices_button(city, client_for, waiting):
    page = client_for(city.liaison).get(reverse("cockpit:home"))
    assert page.context["awaiting_directive"] == [waiting]
    assert reverse("ppp:tasks_link") not in page.text
    page = client_for(city.housing_liaison).get(reverse("cockpit:home"))
    assert page.context["awaiting_directive"] == []
    assert 'id="home-awaiting-directive"' not in page.text


def test_the_office_links_the_whole_queue_in_one_click(city, client_for, review, waiting):
    other = create_task(review, by=city.finance_user, unit=city.housing, title="补充绩效考核记录")
    response = client_for(city.office).post(reverse("ppp:tasks_link"), follow=True)
    assert "已将 2 项整改任务转为督办事项并交办" in response.text
    for task in (waiting, other):
        task.refresh_from_db()
        assert task.directive is not None and task.directive.lead_unit == task.owner_unit
    assert not selectors.tasks_awaiting_directive(user=city.office).exists()


@pytest.mark.parametrize("who", ["finance_user", "liaison", "leader_user"])
def test_nobody_but_the_office_links_the_queue(city, client_for, waiting, who):
    assert client_for(getattr(city, who)).post(reverse("ppp:tasks_link")).status_code == 403
    waiting.refresh_from_db()
    assert waiting.directive_id is None


def test_linking_the_queue_needs_a_post(city, client_for, waiting):
    assert client_for(city.office).get(reverse("ppp:tasks_link")).status_code == 405


def test_a_finished_task_no_longer_waits(city, waiting):
    from duban.ppp import services

    services.task_cancel(task=waiting, by=city.finance_user, reason="已在审查中整改到位")
    assert not selectors.tasks_awaiting_directive(user=city.office).exists()
