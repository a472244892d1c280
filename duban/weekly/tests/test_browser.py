"""The weekly cycle in Debian's Chromium, at desktop and phone widths: a liaison files the unit's report
asking a leader for coordination and the office reads it; the office decides a weekly meeting."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from duban.tests.browser import BROWSER, screenshot, scrolls_sideways, sign_in
from duban.weekly import services
from duban.weekly.models import AgendaKind, ReportState

from .conftest import fill

pytestmark = BROWSER

WIDTHS = ["browser_page", "phone_page"]


def _switch(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_liaison_asks_a_leader_for_coordination_and_the_office_reads_it(
    request, live_server, city, work, finance_report, width
):
    page = request.getfixturevalue(width)
    sign_in(page, live_server, city.liaison)
    page.goto(f"{live_server.url}{reverse('weekly:my_report')}")
    assert page.url.endswith(reverse("weekly:report_detail", args=[finance_report.pk]))
    for item in finance_report.items.order_by("id"):
        card = page.locator(f"#item-{item.pk}")
        card.get_by_label("本周完成情况").fill("完成项目申报材料")
        card.get_by_label("进度%").fill("75")
        if item.object_id == work.red.pk:
            card.get_by_label("需协调解决事项").fill("请协调落实项目用地指标")
            card.get_by_label("提请协调领导").select_option(label=str(city.leader))
        card.get_by_label("下周工作计划").fill("报送省财政厅")
        card.get_by_label("下周工作计划").blur()
        page.locator(f"#item-status-{item.pk}").get_by_text("已保存").wait_for()
    # A percent over 100 is not saved, and the card says so on the field.
    first = finance_report.items.order_by("id").first()
    card = page.locator(f"#item-{first.pk}")
    card.get_by_label("进度%").fill("150")
    card.get_by_label("进度%").blur()
    page.locator(f"#item-{first.pk} .invalid-feedback").wait_for()
    assert "未保存" in page.locator(f"#item-{first.pk}").inner_text()
    assert "已保存" not in page.locator(f"#item-status-{first.pk}").inner_text()
    screenshot(page, f"weekly-report-refused-percent-{width}")
    page.locator(f"#item-{first.pk}").get_by_label("进度%").fill("75")
    page.locator(f"#item-{first.pk}").get_by_label("进度%").blur()
    page.locator(f"#item-status-{first.pk}").get_by_text("已保存").wait_for()
    # Saved: the field is no longer outlined in red.
    expect(page.locator(f"#item-{first.pk} .is-invalid, #item-{first.pk} .invalid-feedback")).to_have_count(0)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交周报").click()
    page.get_by_text("周报已提交。").wait_for()
    finance_report.refresh_from_db()
    assert finance_report.state == ReportState.SUBMITTED
    assert f"请协调落实项目用地指标（{city.leader.name}）" in page.content()
    assert not scrolls_sideways(page)
    screenshot(page, f"weekly-report-submitted-{width}")

    # The office opens the report from the cycle page and reads the request.
    _switch(page, live_server, city.office)
    page.goto(f"{live_server.url}{reverse('weekly:cycle_detail', args=[finance_report.cycle_id])}")
    page.get_by_role("link", name=city.finance.name).first.click()
    page.wait_for_url(f"**{reverse('weekly:report_detail', args=[finance_report.pk])}")
    assert f"请协调落实项目用地指标（{city.leader.name}）" in page.content()
    assert not scrolls_sideways(page)
    screenshot(page, f"weekly-report-office-{width}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_office_decides_a_weekly_meeting(request, live_server, city, work, finance_report, width):
    from duban.directives.models import Directive

    page = request.getfixturevalue(width)
    fill(finance_report, city.liaison)
    services.report_submit(report=finance_report, by=city.liaison)
    sign_in(page, live_server, city.office)
    page.goto(f"{live_server.url}{reverse('weekly:cycle_detail', args=[finance_report.cycle_id])}")
    page.get_by_label("会议日期").fill("2026-11-30")
    page.get_by_label("主持人").select_option(label=str(city.leader))
    page.get_by_role("button", name="创建周例会并生成议程").click()
    page.wait_for_url("**/weekly/meetings/*/")
    agenda = finance_report.cycle.weekly_meeting.agenda.get(kind=AgendaKind.RED, object_id=work.red.pk)
    card = page.locator(f"#agenda-{agenda.pk}")
    card.get_by_label("会议决定", exact=True).fill("延至年底，由财政局加快推进")
    card.get_by_label("决定事项").select_option(label="调整办理时限")
    card.get_by_label("办理时限").fill("2026-12-31")
    screenshot(page, f"weekly-meeting-deciding-{width}")
    card.get_by_role("button", name="记录决定").click()
    page.get_by_text("已记录会议决定。").wait_for()
    assert "延至年底，由财政局加快推进" in page.locator(f"#agenda-{agenda.pk}").inner_text()
    assert Directive.objects.get(pk=work.red.pk).deadline == date(2026, 12, 31)
    assert not scrolls_sideways(page)
    screenshot(page, f"weekly-meeting-decided-{width}")
