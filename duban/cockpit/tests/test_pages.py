"""The cockpit's pages and API: the office and the leaders only; the screen has no navigation and
refreshes itself; the queries do not grow with the rows."""

import pytest
from django.urls import reverse

from duban.bonds.tests.factories import BondProjectFactory
from duban.directives.models import Light, State
from duban.directives.tests.factories import DirectiveFactory
from duban.tests.factories import UserFactory

PAGES = ("cockpit:cockpit", "cockpit:screen", "cockpit:screen_panel")
REFUSED = ("liaison", "housing_liaison", "county_liaison", "finance_user")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", REFUSED)
def test_a_liaison_or_finance_reviewer_is_refused_the_cockpit(city, client_for, name, role):
    assert client_for(getattr(city, role)).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role", REFUSED)
def test_the_cockpit_api_refuses_a_liaison_or_finance_reviewer(city, api_client_for, role):
    assert api_client_for(getattr(city, role)).get("/api/cockpit/").status_code == 403


def test_a_unit_head_is_refused_the_cockpit(city, client_for, api_client_for):
    head = UserFactory(username="head", role="liaison", unit=city.finance, is_unit_head=True)
    assert client_for(head).get(reverse("cockpit:cockpit")).status_code == 403
    assert api_client_for(head).get("/api/cockpit/").status_code == 403


def test_the_security_administrator_is_refused_the_cockpit(city, client_for):
    security = UserFactory(username="security", role="security", unit=None)
    assert client_for(security).get(reverse("cockpit:cockpit")).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_the_cockpit_needs_a_login(db, client, name):
    assert client.get(reverse(name)).status_code == 302


def test_the_cockpit_api_needs_a_login(db, client):
    assert client.get("/api/cockpit/").status_code in (401, 403)


@pytest.mark.parametrize("role", ("office", "leader_user", "admin"))
def test_the_office_and_a_leader_open_the_cockpit_and_its_screen(city, client_for, role):
    client = client_for(getattr(city, role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_the_nav_and_the_home_page_lead_a_leader_to_the_cockpit(city, client_for):
    body = client_for(city.leader_user).get(reverse("cockpit:home")).content.decode()
    assert body.count(f'href="{reverse("cockpit:cockpit")}"') == 2


def test_a_liaison_sees_no_way_to_the_cockpit(city, client_for):
    body = client_for(city.liaison).get(reverse("cockpit:home")).content.decode()
    assert reverse("cockpit:cockpit") not in body


def test_the_screen_has_no_navigation_and_polls_its_panel(city, client_for):
    body = client_for(city.office).get(reverse("cockpit:screen")).content.decode()
    assert "<nav" not in body
    assert f'hx-get="{reverse("cockpit:screen_panel")}"' in body
    assert 'hx-trigger="every 60s"' in body


def test_the_screen_scrolls_a_long_red_list_and_names_each_reason(city, client_for):
    DirectiveFactory.create_batch(8, lead_unit=city.finance, state=State.IN_PROGRESS, light=Light.RED)
    body = client_for(city.leader_user).get(reverse("cockpit:screen_panel")).content.decode()
    assert "screen-red-list scrolling" in body
    assert "<html" not in body


def test_the_screen_shows_only_the_leaders_portfolio(city, client_for):
    DirectiveFactory(title="财政局红灯", lead_unit=city.finance, state=State.IN_PROGRESS, light=Light.RED)
    DirectiveFactory(title="住建局红灯", lead_unit=city.housing, state=State.IN_PROGRESS, light=Light.RED)
    body = client_for(city.leader_user).get(reverse("cockpit:screen")).content.decode()
    assert "财政局红灯" in body and "住建局红灯" not in body


def add_rows(city):
    DirectiveFactory.create_batch(20, lead_unit=city.finance, state=State.IN_PROGRESS, light=Light.RED)
    DirectiveFactory.create_batch(20, lead_unit=city.housing, state=State.ASSIGNED, light=Light.YELLOW)
    for _ in range(5):
        BondProjectFactory(applying_unit=city.finance, created_by=city.office)


@pytest.mark.parametrize("role", ("office", "leader_user"))
@pytest.mark.parametrize(
    "url", [reverse("cockpit:cockpit"), reverse("cockpit:screen_panel"), "/api/cockpit/"]
)
def test_the_cockpit_queries_do_not_grow_with_the_rows(
    busy_city, client_for, django_assert_max_num_queries, role, url
):
    client = client_for(getattr(busy_city, role))
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    add_rows(busy_city)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
