"""Every card of the cockpit counts exactly the list it opens: the card's count, the page's list and the
API's list agree, for every card and every role that has a cockpit."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from duban.cockpit import selectors
from duban.tests.lists import assert_page_and_api_agree

ROLES = ("office", "leader_user")


def test_coordination_requests_addressed_to_a_unit_are_its_liaisons(busy_city, page_and_api_agree):
    from duban.weekly.models import ReportItem

    query = {"addressed_to": "me"}
    assert page_and_api_agree(busy_city.liaison, "/weekly/coordination/", "/api/weekly/items/", query) == []
    asked = ReportItem.objects.get(coordination_leader=busy_city.leader).pk
    assert page_and_api_agree(
        busy_city.leader_user, "/weekly/coordination/", "/api/weekly/items/", query
    ) == [asked]
    assert page_and_api_agree(busy_city.office, "/weekly/coordination/", "/api/weekly/items/", query) == []


def split(url: str) -> tuple[str, dict]:
    parts = urlsplit(url)
    return parts.path, dict(parse_qsl(parts.query))


def page_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


def api_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()["count"]


@pytest.mark.parametrize("role", ROLES)
def test_every_card_counts_the_list_it_opens_page_and_api(busy_city, role, client_for, api_client_for):
    user = getattr(busy_city, role)
    cards = selectors.cockpit_cards(user=user)
    assert cards, role
    for card in cards:
        page = page_count(client_for(user), card.page_url)
        api = api_count(api_client_for(user), card.api_url)
        assert card.count == page == api, (role, card.key, card.count, page, api)
        page_path, query = split(card.page_url)
        api_path, api_query = split(card.api_url)
        assert query == api_query, card.key
        rows = assert_page_and_api_agree(client_for(user), page_path, api_client_for(user), api_path, query)
        assert len(rows) == card.count, card.key


def test_the_office_cockpit_counts_the_whole_city(busy_city):
    counts = {card.key: card.count for card in selectors.cockpit_cards(user=busy_city.office)}
    assert counts["directives_red"] == 3
    assert counts["directives_yellow"] == 2
    assert counts["directives_overdue"] == 2
    assert counts["directives_due_soon"] == 3  # the two yellow ones and the red one due today
    assert counts["directives_stale"] == 1  # finance's weekly report brought its stale one news
    assert counts["directives_awaiting"] == 4  # two requests to close, two to extend
    assert counts["bonds_behind_plan"] == 2
    assert counts["ppp_rectify"] == 3
    assert counts["weekly_missing"] >= 1  # the housing bureau's report (finance's is submitted)
    assert "weekly_coordination" not in counts  # nothing is addressed to the office


def test_a_leader_cockpit_counts_his_portfolio_only(busy_city):
    counts = {card.key: card.count for card in selectors.cockpit_cards(user=busy_city.leader_user)}
    assert counts["directives_red"] == 1
    assert counts["directives_yellow"] == 1
    assert counts["directives_overdue"] == 1
    assert counts["directives_due_soon"] == 1
    assert counts["directives_stale"] == 0  # finance's weekly report brought its stale one news
    assert counts["bonds_behind_plan"] == 1
    assert counts["ppp_rectify"] == 1
    assert counts["weekly_coordination"] == 1  # addressed to him; the one to the housing bureau is not
    # The office decides extensions and closures, and reads the reports not yet submitted.
    assert "directives_awaiting" not in counts
    assert "weekly_missing" not in counts


def test_the_cockpit_page_shows_each_card_linked_to_its_list(busy_city, client_for):
    page = client_for(busy_city.leader_user).get(reverse("cockpit:cockpit"))
    assert page.status_code == 200
    body = page.content.decode()
    for card in page.context["cards"]:
        assert f'href="{card.page_url.replace("&", "&amp;")}"' in body, card.key
    assert "领导驾驶舱" in body


def test_the_cockpit_api_answers_the_cards_with_their_lists(busy_city, api_client_for):
    body = api_client_for(busy_city.office).get("/api/cockpit/").json()
    assert [card["key"] for card in body["cards"]][:2] == ["directives_red", "directives_yellow"]
    for card in body["cards"]:
        assert set(card) >= {"key", "title", "count", "api_url", "page_url"}
        assert card["api_url"].startswith("/api/")
    assert len(body["red_list"]) == 3
    assert all(row["light_reasons"] for row in body["red_list"])
