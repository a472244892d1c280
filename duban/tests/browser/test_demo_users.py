"""Each demo user logs in through a real browser (Debian's Chromium driven by Playwright) and sees
the navigation their role allows."""

import pytest

from duban.accounts.demo import DEMO_PASSWORD
from duban.accounts.demo import load_demo as load_demo_users
from duban.organisation.demo import load_demo as load_demo_city
from duban.tests.browser import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("username", "sees_audit", "sees_users"),
    [("office", True, True), ("leader", False, True), ("liaison", False, False), ("finance", False, False)],
)
def test_demo_user_logs_in_and_sees_their_role_navigation(
    live_server, browser_page, username, sees_audit, sees_users
):
    load_demo_city()
    load_demo_users()
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.btn-danger")
    page.wait_for_url(f"{live_server.url}/")
    nav = page.locator("nav")
    assert "督办事项" in nav.inner_text()
    # The administrative pages sit in the 基础信息 menu: open it, then read what it offers.
    nav.get_by_role("button", name="基础信息").or_(nav.get_by_text("基础信息")).first.click()
    menu = nav.locator(".dropdown-menu").inner_text()
    assert "单位" in menu
    assert ("审计日志" in menu) is sees_audit
    assert ("用户" in menu) is sees_users


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_shows_a_message_in_the_browser(live_server, browser_page):
    load_demo_city()
    load_demo_users()
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "wrong-password")
    page.click("button.btn-danger")
    assert "正确的用户名和密码" in page.locator(".alert-danger").inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_security_administrator_lands_on_the_accounts_and_is_shown_no_business_menu(
    live_server, browser_page
):
    load_demo_city()
    load_demo_users()
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "security")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.btn-danger")
    page.wait_for_url(f"{live_server.url}/accounts/users/security/")
    nav = page.locator("nav").inner_text()
    assert "账号安全管理" in nav and "安全日志" in nav
    assert "督办事项" not in nav and "专项债券" not in nav
    assert "admin" in page.locator("table").inner_text()
