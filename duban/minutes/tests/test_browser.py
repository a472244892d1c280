"""The draft page in a real browser (Debian's Chromium): the version of the draft travels with htmx,
so one person's successive changes never conflict with each other, and another person's older page
is refused."""

import pytest
from playwright.sync_api import expect

from duban.tests.browser import BROWSER, sign_in

from .. import services

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
