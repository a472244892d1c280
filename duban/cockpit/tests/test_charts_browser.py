"""The cockpit's charts in Debian's Chromium: drawn (a canvas per chart) at 1440 px and at 390 px, resized
with the window, and no page scrolls sideways on a phone. Screenshots are kept as artefacts."""

import pytest
from django.urls import reverse

from duban.tests.browser import BROWSER, screenshot, scrolls_sideways, sign_in

from .chart_data import build_figures

pytestmark = BROWSER

# trend, themes, bonds, PPP, and one closure chart per class of unit: the office's 县区 and 市直部门, the
# leader's portfolio (the finance bureau) 市直部门 only.
CHARTS_DRAWN = {"office": 6, "leader_user": 5}


def _drawn(page, count: int) -> list[dict]:
    # (Not wait_for_function: the pages' CSP refuses the eval it needs.)
    page.locator("#cockpit-charts .cockpit-chart canvas").nth(count - 1).wait_for(timeout=15000)
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#cockpit-charts .cockpit-chart')).map(el => {
            const canvas = el.querySelector('canvas');
            return {width: canvas ? canvas.getBoundingClientRect().width : 0, box: el.getBoundingClientRect().width};
        })"""
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["browser_page", "phone_page"])
@pytest.mark.parametrize("role", ["office", "leader_user"])
def test_the_cockpit_draws_every_chart_at_desktop_and_phone_widths(request, live_server, city, width, role):
    build_figures(city)
    page = request.getfixturevalue(width)
    sign_in(page, live_server, getattr(city, role))
    page.goto(f"{live_server.url}{reverse('cockpit:cockpit')}")
    charts = _drawn(page, CHARTS_DRAWN[role])
    assert len(charts) == CHARTS_DRAWN[role]
    viewport = page.viewport_size["width"]
    assert all(0 < c["width"] <= viewport for c in charts), charts
    assert not scrolls_sideways(page)
    screenshot(page, f"cockpit-charts-{role}-{width}")


@pytest.mark.django_db(transaction=True)
def test_the_charts_follow_the_window_down_to_a_phones_width(live_server, city, browser_page):
    build_figures(city)
    sign_in(browser_page, live_server, city.leader_user)
    browser_page.goto(f"{live_server.url}{reverse('cockpit:cockpit')}")
    wide = max(c["width"] for c in _drawn(browser_page, CHARTS_DRAWN["leader_user"]))
    browser_page.set_viewport_size({"width": 390, "height": 844})
    for _attempt in range(50):  # the charts resize 100 ms after the window does
        narrow = max(c["width"] for c in _drawn(browser_page, CHARTS_DRAWN["leader_user"]))
        if narrow <= 390:
            break
        browser_page.wait_for_timeout(100)
    assert narrow < wide and narrow <= 390
    assert not scrolls_sideways(browser_page)
    screenshot(browser_page, "cockpit-charts-resized-to-390")
