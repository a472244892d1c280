"""The security controls as a person meets them in a real browser: the content security policy breaks
none of the platform's own scripts, and the office enrols an authenticator by scanning a QR code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

from duban.accounts.demo import DEMO_PASSWORD
from duban.accounts.demo import load_demo as load_demo_users
from duban.organisation.demo import load_demo as load_demo_city
from duban.tests.browser import BROWSER, screenshot, sign_in

pytestmark = BROWSER


def _watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return violations


@pytest.mark.django_db(transaction=True)
def test_the_pages_with_charts_and_the_language_switch_run_under_the_content_security_policy(
    live_server, browser_page
):
    # Units and users only: the bond overview draws its (empty) charts all the same, and the bonds'
    # reference data (a data migration) is gone after earlier transactional tests flushed the tables.
    load_demo_city()
    load_demo_users()
    from duban.accounts.models import User

    page = browser_page
    violations = _watch_csp(page)
    sign_in(page, live_server, User.objects.get(username="office"))
    page.goto(f"{live_server.url}/bonds/overview/")
    page.wait_for_selector("#chart-batches canvas")  # ECharts drew: the nonce'd inline script ran
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")  # data-autosubmit (core/static/core/duban.js)
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_the_office_enrols_an_authenticator_by_scanning_the_qr_code(live_server, browser_page, settings):
    settings.DUBAN_REQUIRE_2FA = True
    load_demo_city()
    load_demo_users()
    page = browser_page
    violations = _watch_csp(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.btn-danger")
    page.wait_for_url(re.compile(r".*/accounts/2fa/setup/.*"))
    assert page.locator(".qr-code svg").is_visible()
    screenshot(page, "second-factor-setup")
    secret = page.locator("code").first.inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=code]", f"{totp(key, step=30, t0=0, digits=6):06d}")
    page.click("form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/")
    assert "督办事项" in page.locator("nav").inner_text()
    assert violations == []
