"""The demo's cockpit charts: the trend shows twelve weeks of snapshots, and for the office and each demo
leader every chart element counts exactly the list it opens (his portfolio's, the office's all)."""

from importlib import import_module

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.cockpit import charts
from duban.core.management.commands.demo import demo_modules

from .test_charts import elements


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo, loaded once for the module in a transaction rolled back at its end."""
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for name in demo_modules():
                import_module(name).load_demo()
            users = list(
                User.objects.filter(role__in=[Role.OFFICE, Role.LEADER], is_active=True).order_by("pk")
            )
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield users
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


def test_the_demo_trend_shows_twelve_weeks(db, demo):
    office = next(u for u in demo if u.role == Role.OFFICE)
    client = Client()
    client.force_login(office)
    trend = client.get(reverse("cockpit:chart", args=["trend"])).json()
    assert len(trend["categories"]) == 12
    red = [p["value"] for p in trend["series"][0]["data"]]
    assert max(red) > 0 and len(set(red)) > 1  # it moves: not today's lights copied back


def test_every_demo_chart_element_counts_its_list_for_the_office_and_each_leader(db, demo):
    leaders = [u for u in demo if u.role == Role.LEADER]
    assert leaders
    for user in demo:
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        for name in charts.CHARTS:
            chart = page.get(reverse("cockpit:chart", args=[name])).json()
            for element in elements(chart):
                assert api.get(element["api_url"]).json()["count"] == element["count"], (user, name, element)
