"""In the browser (Debian's Chromium, 1440 px and 390 px): a city leader opens the PPP register of his
portfolio. He signs in as the leader whose portfolio holds the implementing agency (the finance bureau),
so the test does not depend on how far a leader's reach extends by his themes. The register shows the
project with its amount in 万元 with thousands separators (issue 11, items 18, 21)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from duban.tests.browser import BROWSER, screenshot, scrolls_sideways, sign_in

from .factories import make_project

pytestmark = BROWSER


def open_register(page, live_server, city, *, name: str):
    make_project(
        implementing_agency=city.finance,
        county=city.county,
        by=city.office,
        name="城东污水处理厂PPP项目",
        total_investment=Decimal("277984.15"),
    )
    make_project(implementing_agency=city.housing, by=city.office, name="住建局的PPP项目")
    sign_in(page, live_server, city.leader_user)
    page.goto(live_server.url + reverse("ppp:project_list"))
    table = page.locator("table").first
    table.wait_for()
    text = page.locator("main").inner_text()
    assert "城东污水处理厂PPP项目" in text and "277,984.15" in text
    assert "住建局的PPP项目" not in text
    screenshot(page, name)
    return page


@pytest.mark.django_db(transaction=True)
def test_a_leader_opens_the_ppp_register_of_his_portfolio_on_the_desktop(live_server, browser_page, city):
    open_register(browser_page, live_server, city, name="ppp-leader-register-desktop")


@pytest.mark.django_db(transaction=True)
def test_a_leader_opens_the_ppp_register_of_his_portfolio_on_a_phone(live_server, phone_page, city):
    page = open_register(phone_page, live_server, city, name="ppp-leader-register-phone")
    assert not scrolls_sideways(page)
