"""In the browser (Debian's Chromium, 1440 px and 390 px): a finance reviewer approves a bond project whose
balance test fails. The confirmation states the failure (which test, the figures), the browser will not
send it without a reason, and once approved the reason is shown on the project (issue 11, item 5)."""

from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from duban.bonds import seed
from duban.bonds.models import BondProject, ProjectState
from duban.tests.browser import BROWSER, screenshot, scrolls_sideways, sign_in

from .factories import BatchFactory, BondProjectFactory, worked_example
from .test_services_transitions import advance

pytestmark = BROWSER
REASON = "市政府常务会议已研究，差额由区级财政资金兜底。"


def failing_project(city) -> BondProject:
    """The worked example's cash flows against a bond of 15,700 万元: coverage 1.08 against 1.10."""
    # A transactional test starts from empty tables: the code tables the migrations seed come back first.
    seed.load(django_apps)
    project = BondProjectFactory(
        applying_unit=city.finance, county=city.county, created_by=city.liaison, name="城区智慧停车场项目"
    )
    worked_example(project)
    project = advance(project, city, BatchFactory(name="2026年第四批"), to=ProjectState.FINANCE_REVIEW)
    BondProject.objects.filter(pk=project.pk).update(bond_demand=Decimal(15700))
    return project


def approve_with_reason(page, live_server, project, *, name: str) -> None:
    page.goto(live_server.url + reverse("bonds:project_detail", args=[project.pk]))
    page.get_by_role("button", name="财政审核通过并上报省级").click()
    form = page.locator("#do-finance_approve form")
    warning = form.locator(".balance-failure")
    warning.wait_for()
    assert "全部债务本息覆盖倍数 1.08，低于下限 1.10 倍" in warning.inner_text()
    assert "累计结余最低 -" in warning.inner_text()
    confirm = form.get_by_role("button", name="确认：测算未通过，仍审核通过")
    screenshot(page, f"{name}-confirmation")
    # Without a reason the browser does not send the form (the field is required) …
    confirm.click()
    assert page.url.endswith(reverse("bonds:project_detail", args=[project.pk]))
    assert form.locator("textarea[name='finance_approve-override_reason']").evaluate("e => !e.validity.valid")
    project.refresh_from_db()
    assert project.state == ProjectState.FINANCE_REVIEW
    # … with one it does, and the project shows the failure and the reason.
    form.locator("textarea[name='finance_approve-override_reason']").fill(REASON)
    confirm.click()
    override = page.locator("#balance-override")
    override.wait_for()
    assert REASON in override.inner_text() and "覆盖倍数 1.08" in override.inner_text()
    project.refresh_from_db()
    assert project.state == ProjectState.PROVINCE_REVIEW
    screenshot(page, f"{name}-approved")


@pytest.mark.django_db(transaction=True)
def test_a_finance_reviewer_approves_a_failing_project_only_with_a_reason_on_the_desktop(
    live_server, browser_page, city
):
    project = failing_project(city)
    sign_in(browser_page, live_server, city.finance_user)
    approve_with_reason(browser_page, live_server, project, name="bonds-failing-approval-desktop")


@pytest.mark.django_db(transaction=True)
def test_a_finance_reviewer_approves_a_failing_project_only_with_a_reason_on_a_phone(
    live_server, phone_page, city
):
    project = failing_project(city)
    sign_in(phone_page, live_server, city.finance_user)
    approve_with_reason(phone_page, live_server, project, name="bonds-failing-approval-phone")
    assert not scrolls_sideways(phone_page)


@pytest.mark.django_db(transaction=True)
def test_the_balance_chart_is_drawn(live_server, browser_page, city):
    project = failing_project(city)
    sign_in(browser_page, live_server, city.liaison)
    browser_page.goto(live_server.url + reverse("bonds:project_detail", args=[project.pk]))
    browser_page.locator("#balance-chart canvas").first.wait_for()
    screenshot(browser_page, "bonds-balance-chart")
