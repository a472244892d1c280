"""The directive flows of issue 11 in a real browser (Debian's Chromium), at desktop and phone widths,
with screenshots kept: a progress report with a refused file keeps what was typed and names the file;
a selection of drafts picked on the board is assigned at once after a confirmation."""

import pytest
from playwright.sync_api import expect

from duban.directives.models import Directive, State
from duban.tests.browser import BROWSER, screenshot, sign_in
from duban.tests.factories import ThemeFactory

from .factories import DirectiveFactory

pytestmark = BROWSER

TYPED = "已完成可研批复，正在开展初步设计，预计下月完成招标。"


@pytest.fixture(params=["browser_page", "phone_page"], ids=["1440", "390"])
def page(request):
    return request.getfixturevalue(request.param), request.param


@pytest.mark.django_db(transaction=True)
def test_a_progress_report_with_a_refused_file_keeps_the_text_and_names_the_file(
    live_server, page, city, tmp_path
):
    page, width = page
    directive = DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS, percent=30)
    fake = tmp_path / "现场照片.jpg"
    fake.write_bytes(b"this is no jpeg")
    sign_in(page, live_server, city.liaison)
    page.goto(f"{live_server.url}/directives/{directive.pk}/")
    expect(page.locator("input[name=percent]")).to_have_value("30")
    page.fill("textarea[name=text]", TYPED)
    page.fill("input[name=percent]", "45")
    page.set_input_files("input[name=files]", str(fake))
    page.click("button:has-text('报送')")
    expect(page.locator(".alert-danger")).to_contain_text("文件“现场照片.jpg”未能接收")
    expect(page.locator("textarea[name=text]")).to_have_value(TYPED)
    expect(page.locator("input[name=percent]")).to_have_value("45")
    screenshot(page, f"directives-progress-refused-file-{page_width(width)}")
    assert directive.progress_reports.count() == 0

    # The same report without the bad file is sent.
    page.set_input_files("input[name=files]", [])
    page.click("button:has-text('报送')")
    expect(page.locator(".alert-success")).to_contain_text("进展已报送")
    assert directive.progress_reports.get().text == TYPED


@pytest.mark.django_db(transaction=True)
def test_the_office_assigns_a_selection_of_drafts_from_the_board_at_once(live_server, page, city):
    page, width = page
    bond = ThemeFactory(code="bond", name="专项债券")
    city.leader.themes.add(bond)
    drafts = [
        DirectiveFactory(lead_unit=city.housing, theme=bond, state=State.DRAFT, title=f"导入草稿{i}")
        for i in range(1, 5)
    ]
    sign_in(page, live_server, city.office)
    page.goto(f"{live_server.url}/directives/?state=draft")
    for draft in drafts[:3]:
        page.check(f"input[name=directives][value='{draft.pk}']")
    screenshot(page, f"directives-board-selection-{page_width(width)}")
    page.click("button:has-text('交办所选草稿')")
    expect(page.locator(".alert-info")).to_contain_text("已从总览选中 3 项草稿")
    screenshot(page, f"directives-bulk-assign-confirm-{page_width(width)}")
    page.click("form.col-lg-8 button:has-text('交办')")
    expect(page.locator(".alert-success")).to_contain_text("已交办 3 项督办事项")
    assigned = Directive.objects.filter(pk__in=[d.pk for d in drafts[:3]])
    assert {d.state for d in assigned} == {State.ASSIGNED}
    assert {d.responsible_leader_id for d in assigned} == {city.leader.pk}
    assert Directive.objects.get(pk=drafts[3].pk).state == State.DRAFT


def page_width(fixture_name: str) -> str:
    return "1440" if fixture_name == "browser_page" else "390"
