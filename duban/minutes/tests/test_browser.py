"""The draft page in a real browser (Debian's Chromium): the version of the draft travels with htmx,
so one person's successive changes never conflict with each other, and another person's older page
is refused."""

import re

import pytest
from playwright.sync_api import expect

from duban.directives.models import Directive
from duban.tests.browser import BROWSER, screenshot, sign_in

from .. import services
from ..models import MinutesDraft
from .helpers import seed_path

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
def test_successive_htmx_changes_carry_the_new_version_and_an_older_page_is_refused(
    live_server,
    browser_page,
    city,
    draft,
):
    page = browser_page
    sign_in(page, live_server, city.office)
    page.goto(f"{live_server.url}/minutes/{draft.pk}/")
    first, second, third = (row["key"] for row in draft.rows)

    # Edit the first row through htmx, then merge the second: the merge carries the edit's version.
    page.click(f"#row-{first} a:has-text('编辑')")
    page.fill(f"input[name=r{first}-title]", "强化项目储备")
    page.click(f"#row-{first} button:has-text('保存')")
    page.wait_for_selector(f"#row-{first}:has-text('强化项目储备')")
    assert page.locator(".draft-version").evaluate_all("inputs => inputs.map(i => i.value)") == ["2"] * 6
    page.click(f"#row-{second} button:has-text('合并下一项')")
    page.wait_for_selector(f"#row-{third}", state="detached")
    draft.refresh_from_db()
    assert ([row["key"] for row in draft.rows], draft.version) == ([first, second], 3)

    # Someone else changes the draft; this page's next change is refused and says why.
    services.draft_row_drop(draft=draft, by=city.admin, key=second)
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"#row-{first} button:has-text('删除')")
    expect(page.locator("#page-messages")).to_contain_text("其他人已修改")
    draft.refresh_from_db()
    assert [row["key"] for row in draft.rows] == [first]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["browser_page", "phone_page"])
def test_the_seed_imported_through_the_minutes_page_becomes_directives_named_by_their_tasks(
    live_server, request, city, themes, width
):
    page = request.getfixturevalue(width)
    sign_in(page, live_server, city.office)
    page.goto(f"{live_server.url}/minutes/")
    fonts = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Microsoft YaHei" in fonts and "WenQuanYi Micro Hei" in fonts
    page.set_input_files("input[name=file]", str(seed_path()))  # traditional, with pinyin
    page.click("button:has-text('提取督办事项')")
    page.wait_for_url(re.compile(r"/minutes/\d+/$"))
    draft = MinutesDraft.objects.latest("pk")
    assert draft.row_count == 11
    expect(page.locator("#workspace")).to_contain_text("加大政府专项债券申报力度")
    expect(page.locator("#workspace")).not_to_contain_text("免責")
    screenshot(page, f"minutes-seed-draft-{width}")

    # The office names a lead unit for each requirement (the seed's units are another city's).
    for key in [row["key"] for row in draft.rows]:
        page.click(f"#row-{key} a:has-text('编辑')")
        page.select_option(f"select[name=r{key}-lead_unit]", str(city.finance.pk))
        theme = page.locator(f"select[name=r{key}-theme]")
        if not theme.input_value():
            theme.select_option("general")
        page.click(f"#row-{key} button:has-text('保存')")
        # Saved: the row is shown again (with the draft's new version for the next form).
        expect(page.locator(f"#row-{key} a:has-text('编辑')")).to_be_visible()
        expect(page.locator(f"#row-{key}")).to_contain_text(str(city.finance))
    page.fill("input[name=default_deadline]", "2027-03-31")
    with page.expect_navigation():
        page.click("button:has-text('确认创建会议和督办事项')")
    assert re.search(r"/directives/meetings/\d+/$", page.url), page.locator(".alert").all_inner_texts()
    screenshot(page, f"minutes-seed-meeting-{width}")

    draft.refresh_from_db()
    directives = list(Directive.objects.filter(meeting=draft.meeting).order_by("pk"))
    assert len(directives) == 11
    titles = [d.title for d in directives]
    assert "加大政府专项债券申报力度" in titles and "转变观念、抢抓机遇" not in titles
    assert not any("(" in d.content or "會" in d.content for d in directives)
    assert "會(huì)議" in draft.meeting.minutes
