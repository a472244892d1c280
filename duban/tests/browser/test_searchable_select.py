"""A long unit list is a searchable box: the office types part of a name instead of scrolling through
every unit of the city, on a desktop and on a phone."""

import pytest

from duban.accounts.demo import load_demo as load_demo_users
from duban.accounts.models import User
from duban.organisation.demo import load_demo as load_demo_city
from duban.tests.browser import BROWSER, screenshot, scrolls_sideways, sign_in

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["browser_page", "phone_page"])
def test_the_office_finds_a_lead_unit_by_typing_part_of_its_name(live_server, request, width):
    load_demo_city()
    load_demo_users()
    page = request.getfixturevalue(width)
    sign_in(page, live_server, User.objects.get(username="office"))
    page.goto(f"{live_server.url}/directives/new/")
    box = page.locator("#id_lead_unit + .ts-wrapper, #id_lead_unit-ts-control").first
    box.click()
    page.keyboard.type("财政")
    option = page.locator(".ts-dropdown .option", has_text="市财政局").first
    option.click()
    assert page.locator("#id_lead_unit").input_value()
    assert not scrolls_sideways(page)
    screenshot(page, f"searchable-unit-{width}")
