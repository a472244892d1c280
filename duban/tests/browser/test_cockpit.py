"""The cockpit in the browser, on the demo city: a leader's at 1440 px and on a phone (390 px: the cards
stack, nothing scrolls sideways), and the meeting-room screen at 1920×1080 (no navigation, large type,
the panel refreshed in place). Screenshots are kept as artefacts (test-results/screenshots/cockpit-*.png)."""

import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from duban.accounts.models import User
from duban.bonds.seed import load as seed_bond_rules
from duban.cockpit import selectors
from duban.tests.browser import BROWSER, screenshot, scrolls_sideways, sign_in

pytestmark = BROWSER

SCREEN = {"width": 1920, "height": 1080}
CARD_BOXES = """() => [...document.querySelectorAll("[data-card]")].map(card => {
  const box = card.getBoundingClientRect();
  return {key: card.dataset.card, x: box.x, width: box.width, count: card.querySelector("[data-count]").textContent.trim(),
          countSize: parseFloat(getComputedStyle(card.querySelector("[data-count]")).fontSize)};
})"""


def demo_user(username):
    seed_bond_rules(django_apps)
    call_command("demo", stdout=io.StringIO())
    return User.objects.get(username=username)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["leader", "office"])
def test_the_cockpit_at_1440_px_shows_every_card_and_opens_the_list_it_counts(
    live_server, browser_page, username
):
    user = demo_user(username)
    cards = selectors.cockpit_cards(user=user)
    page = browser_page
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/cockpit/")
    shown = page.evaluate(CARD_BOXES)
    assert [c["key"] for c in shown] == [c.key for c in cards]
    assert [int(c["count"]) for c in shown] == [c.count for c in cards]
    assert len({round(c["x"]) for c in shown}) > 1  # side by side
    assert not scrolls_sideways(page)
    screenshot(page, f"cockpit-{username}-1440")
    red = next(c for c in cards if c.key == "directives_red")
    page.locator('[data-card="directives_red"]').click()
    page.wait_for_url(live_server.url + red.page_url)
    assert page.locator("main table.table-cards tbody tr").count() == min(red.count, 20) or red.count == 0


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_cockpit_stacks_its_cards(live_server, phone_page):
    user = demo_user("leader")
    page = phone_page
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/cockpit/")
    shown = page.evaluate(CARD_BOXES)
    assert shown
    assert len({round(c["x"]) for c in shown}) == 1  # one column
    assert all(c["width"] > 300 for c in shown)
    assert not scrolls_sideways(page)
    screenshot(page, "cockpit-leader-390")
    page.goto(live_server.url + "/cockpit/screen/")
    assert not scrolls_sideways(page)
    screenshot(page, "cockpit-screen-leader-390")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["leader", "office"])
def test_the_meeting_room_screen_at_1920_by_1080(live_server, browser_page, username):
    user = demo_user(username)
    page = browser_page
    page.set_viewport_size(SCREEN)
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/cockpit/screen/")
    assert page.locator("nav").count() == 0
    shown = page.evaluate(CARD_BOXES)
    assert [c["key"] for c in shown] == [c.key for c in selectors.cockpit_cards(user=user)]
    assert min(c["countSize"] for c in shown) >= 60  # read from across the room
    assert not scrolls_sideways(page)
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")  # one screen
    screenshot(page, f"cockpit-screen-{username}-1920")
    # The panel is replaced in place by what its polling fetches.
    page.evaluate("document.querySelector('.screen-time').textContent = 'stale'")
    with page.expect_response(lambda r: r.url.endswith("/cockpit/screen/panel/") and r.status == 200):
        page.evaluate(
            "htmx.ajax('GET', '/cockpit/screen/panel/', {target: '#screen-panel', swap: 'innerHTML'})"
        )
    page.wait_for_function("document.querySelector('.screen-time').textContent !== 'stale'")
    scrolling = page.locator(".screen-red-list.scrolling")
    if scrolling.count():
        assert scrolling.evaluate("el => getComputedStyle(el).animationName") == "screen-red-scroll"
