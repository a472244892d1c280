"""The home page: each role sees the red directives of its own scope, and nothing else."""

from datetime import date

import pytest
from django.urls import reverse

from duban.directives.models import Light, State
from duban.directives.tests.factories import DirectiveFactory


def red_directive(title, lead_unit, deadline):
    return DirectiveFactory(
        title=title, lead_unit=lead_unit, state=State.IN_PROGRESS, light=Light.RED, deadline=deadline
    )


@pytest.fixture
def red_directives(city):
    return (
        red_directive("财政局红灯事项", city.finance, date(2026, 1, 5)),
        red_directive("住建局红灯事项", city.housing, date(2026, 1, 6)),
    )


def test_the_office_home_shows_every_red_directive(city, client_for, red_directives):
    page = client_for(city.office).get(reverse("cockpit:home"))
    assert page.status_code == 200
    assert page.context["counts"]["red"] == 2
    body = page.content.decode()
    assert "财政局红灯事项" in body and "住建局红灯事项" in body


def test_a_liaison_home_shows_only_their_units_red_directives(city, client_for, red_directives):
    page = client_for(city.liaison).get(reverse("cockpit:home"))
    assert page.context["counts"]["red"] == 1
    body = page.content.decode()
    assert "财政局红灯事项" in body
    assert "住建局红灯事项" not in body


def test_a_leader_home_shows_their_portfolio(city, client_for, red_directives):
    page = client_for(city.leader_user).get(reverse("cockpit:home"))
    assert [d.title for d in page.context["red_list"]] == ["财政局红灯事项"]


def test_the_home_page_needs_a_login(db, client):
    assert client.get(reverse("cockpit:home")).status_code == 302


def test_home_queries_do_not_grow_with_the_number_of_directives(
    city, client_for, django_assert_max_num_queries
):
    client = client_for(city.office)
    DirectiveFactory.create_batch(2, lead_unit=city.finance, state=State.IN_PROGRESS, light=Light.RED)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("cockpit:home"))
    DirectiveFactory.create_batch(30, lead_unit=city.housing, state=State.IN_PROGRESS, light=Light.RED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cockpit:home"))
