"""The inbox's one FilterSet: the page and the API answer the same query with the same notifications."""

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import NotificationFactory

PAGE, API = reverse("notifications:inbox"), "/api/notifications/"


@pytest.fixture
def inbox(city):
    return {
        "unread comment": NotificationFactory(recipient=city.liaison, kind="comment"),
        "read comment": NotificationFactory(recipient=city.liaison, kind="comment", read_at=timezone.now()),
        "unread reminder": NotificationFactory(recipient=city.liaison, kind="reminder"),
        "someone else's": NotificationFactory(recipient=city.housing_liaison, kind="comment"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"unread comment", "unread reminder", "read comment"}),
        ({"unread": "true"}, {"unread comment", "unread reminder"}),
        ({"unread": "false"}, {"read comment"}),
        ({"kind": "comment"}, {"unread comment", "read comment"}),
        ({"kind": "comment", "unread": "true"}, {"unread comment"}),
    ],
)
def test_the_inbox_page_and_the_api_filter_alike(city, inbox, query, expected, page_and_api_agree):
    rows = page_and_api_agree(city.liaison, PAGE, API, query)
    assert set(rows) == {inbox[name].pk for name in expected}


def test_a_link_from_the_old_unread_checkbox_still_shows_the_unread(city, inbox, client_for):
    page = client_for(city.liaison).get(PAGE, {"unread": "on"})
    assert {n.pk for n in page.context["page_obj"]} == {
        inbox["unread comment"].pk,
        inbox["unread reminder"].pk,
    }


def test_a_bad_kind_is_a_400_through_the_api_and_left_out_on_the_page(
    city, inbox, client_for, api_client_for
):
    assert api_client_for(city.liaison).get(API, {"kind": "gossip"}).status_code == 400
    assert client_for(city.liaison).get(PAGE, {"kind": "gossip"}).context["page_obj"].paginator.count == 3
