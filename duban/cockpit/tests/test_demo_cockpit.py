"""The cockpit on the demo: each demo leader's (and the office's) cards count exactly their lists, page
and API; every red or yellow directive the cockpit counts has its reasons."""

from importlib import import_module

import pytest
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.cockpit import selectors
from duban.core.management.commands.demo import demo_modules

from .test_cards import api_count, page_count


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo, loaded once for the module and rolled back at its end."""
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for name in demo_modules():
                import_module(name).load_demo()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


def cockpit_users():
    return list(User.objects.filter(role__in=[Role.LEADER, Role.OFFICE], is_active=True).order_by("username"))


def test_every_demo_leaders_cards_count_their_lists(db, demo):
    leaders = [u for u in cockpit_users() if u.role == Role.LEADER]
    assert leaders
    for user in cockpit_users():
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        cards = selectors.cockpit_cards(user=user)
        assert any(card.count for card in cards), user.username
        for card in cards:
            assert card.count == page_count(page, card.page_url) == api_count(api, card.api_url), (
                user.username,
                card.key,
            )


def test_a_demo_leader_sees_his_portfolio_not_the_city(db, demo):
    office = User.objects.get(username="office")
    leader = User.objects.get(username="leader")
    city = {card.key: card.count for card in selectors.cockpit_cards(user=office)}
    mine = {card.key: card.count for card in selectors.cockpit_cards(user=leader)}
    shared = set(mine) & set(city)
    assert all(mine[key] <= city[key] for key in shared)
    assert sum(mine[key] for key in shared) < sum(city[key] for key in shared)


def test_every_red_or_yellow_demo_directive_has_a_reason_in_the_api_and_on_the_cockpit(db, demo):
    for user in cockpit_users():
        api = APIClient()
        api.force_authenticate(user)
        for light in ("red", "yellow"):
            rows = api.get("/api/directives/", {"light": light, "page_size": 500}).json()["results"]
            assert all(row["light_reasons"] for row in rows), (user.username, light)
        page = Client()
        page.force_login(user)
        shown = page.get("/cockpit/").context["red_list"]
        assert all(d.light_reasons for d in shown), user.username
