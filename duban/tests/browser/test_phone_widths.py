"""Liaisons and leaders read on phones. With the whole demo city loaded, each demo role opens every page
the URL configuration serves without an argument (the lists, the dashboards, the forms) and the object
pages those link to (one of each kind: a directive, a report, a project, a review…), at 390 px: no page
is wider than the screen, and a list table (`table.table-cards`) shows its rows as labelled cards. The
same pages at 1440 px keep their tables. A screenshot of each list and object page at 390 px is kept as an
artefact (test-results/screenshots/phone-<user>-<path>.png).

The pages come from the URL configuration, not from a hand-kept list, so a new page is checked without
touching this test. A signed-in Django test client finds which of them answer the role with a whole
HTML page (not a download, a fragment or a refusal); the browser then opens only those.
"""

import io
import re
from collections import defaultdict

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver, resolve
from django.urls.exceptions import Resolver404

from duban.accounts.demo import load_demo as load_demo_users
from duban.accounts.models import User
from duban.bonds.seed import load as seed_bond_rules
from duban.core.tests.test_every_page import _walk
from duban.minutes.demo import load_demo as load_demo_minutes
from duban.organisation.demo import load_demo as load_demo_city
from duban.tests.browser import BROWSER, DESKTOP, PHONE, screenshot, scrolls_sideways, sign_in

pytestmark = BROWSER

# Not pages a person reads: the API and its documentation, Django's admin, sign-in and language switch.
NOT_PAGES = ("api/", "admin/", "accounts/login/", "accounts/logout/", "i18n/", "jsi18n/")
# An object's own page: the route's name says so (`directives:detail`, `bonds:project_detail`, …).
OBJECT_PAGE = re.compile(r"(^|_)detail$|^object_history$|^bulletin$")
HREF = re.compile(r'href="(/[^"#?]*)')

# Read in the page: how each list table is shown (its first row, its header, its cells' labels).
TABLES = """() => [...document.querySelectorAll("main table.table-cards")].map(table => {
  const row = table.tBodies[0] && table.tBodies[0].rows[0];
  const heads = [...(table.tHead ? table.tHead.querySelectorAll("th") : [])].map(th => th.textContent.trim());
  return {
    rowDisplay: row ? getComputedStyle(row).display : null,
    headVisible: table.tHead ? table.tHead.getBoundingClientRect().height > 1 : null,
    named: heads.some(Boolean),
    labelled: row ? [...row.cells].some(cell => cell.dataset.label) : false,
    single: row ? row.cells.length === 1 : true,
  };
})"""


def plain_routes() -> list[str]:
    """Every route of the URL configuration that takes no argument: the lists, dashboards and forms."""
    routes = {r for r in _walk(get_resolver().url_patterns) if "<" not in r and "(" not in r and "^" not in r}
    return sorted("/" + r for r in routes if not r.startswith(NOT_PAGES))


def _whole_page(response) -> bool:
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and b"<html" in response.content[:400]
    )


def pages_for(user) -> list[str]:
    """The paths `user` can open as whole pages: every argument-free route that answers them, then one
    object page of each kind those pages link to (up to three links tried, should one not open)."""
    client = Client()
    client.force_login(user)
    queue = plain_routes()
    seen, pages, opened_kinds, tries = set(queue), [], set(), defaultdict(int)
    while queue:
        path = queue.pop(0)
        match = resolve(path)
        kind = f"{match.namespace}:{match.url_name}"
        if kind in opened_kinds:
            continue
        response = client.get(path)
        if not _whole_page(response):
            continue
        pages.append(path)
        if match.kwargs:
            opened_kinds.add(kind)
        for href in HREF.findall(response.content.decode()):
            if href in seen:
                continue
            try:
                link = resolve(href)
            except Resolver404:
                continue
            link_kind = f"{link.namespace}:{link.url_name}"
            if (
                not OBJECT_PAGE.search(link.url_name or "")
                or link_kind in opened_kinds
                or tries[link_kind] >= 3
            ):
                continue
            tries[link_kind] += 1
            seen.add(href)
            queue.append(href)
    return pages


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def check_phone(page, username: str, path: str) -> list[str]:
    problems = []
    if scrolls_sideways(page):
        width = page.evaluate("document.documentElement.scrollWidth")
        problems.append(f"{username} {path}: the page is {width} px wide at {PHONE['width']} px")
    for i, table in enumerate(page.evaluate(TABLES)):
        if table["rowDisplay"] not in (None, "block"):
            problems.append(f"{username} {path}: list table {i + 1} keeps its columns on a phone")
        if table["named"] and not table["single"] and not table["labelled"]:
            problems.append(f"{username} {path}: list table {i + 1}'s cards do not name their fields")
    return problems


def check_desktop(page, username: str, path: str) -> list[str]:
    problems = []
    if scrolls_sideways(page):
        problems.append(f"{username} {path}: the page scrolls sideways at {DESKTOP['width']} px")
    for i, table in enumerate(page.evaluate(TABLES)):
        if table["rowDisplay"] not in (None, "table-row") or table["headVisible"] is False:
            problems.append(f"{username} {path}: list table {i + 1} is not a table at {DESKTOP['width']} px")
    return problems


# The four kinds of user the platform serves (the demo's system administrator sees the office's pages).
ROLES = {
    "office": {
        "cockpit:cockpit",
        "cockpit:screen",
        "directives:board",
        "directives:my_work",
        "directives:notice_list",
        "directives:meeting_list",
        "directives:detail",
        "weekly:cycle_list",
        "weekly:cycle_detail",
        "weekly:report_detail",
        "weekly:bulletin",
        "bonds:project_list",
        "bonds:batch_list",
        "bonds:overview",
        "bonds:project_detail",
        "bonds:batch_detail",
        "ppp:project_list",
        "ppp:task_list",
        "ppp:campaign_list",
        "ppp:project_detail",
        "ppp:review_detail",
        "minutes:draft_list",
        "minutes:draft_detail",
        "organisation:unit_list",
        "organisation:leader_list",
        "organisation:unit_detail",
        "accounts:user_list",
        "audit:entry_list",
        "audit:object_history",
        "workcalendar:override_list",
        "notifications:inbox",
    },
    "leader": {
        "cockpit:cockpit",
        "cockpit:screen",
        "directives:board",
        "directives:detail",
        "weekly:cycle_list",
        "bonds:overview",
        "ppp:project_list",
    },
    "liaison": {"directives:my_work", "directives:detail", "weekly:cycle_list", "notifications:inbox"},
    "finance": {"bonds:project_list", "bonds:project_detail", "ppp:project_list", "ppp:task_list"},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", list(ROLES))
def test_no_page_scrolls_sideways_on_a_phone_and_lists_become_cards(live_server, phone_page, username):
    # A transactional test may start after another one's flush, which empties what the migrations seeded:
    # the bonds' investment areas and rules, which the demo's bond projects need, go back as the migration
    # puts them (idempotent).
    seed_bond_rules(django_apps)
    call_command("demo", stdout=io.StringIO())
    user = User.objects.get(username=username)
    paths = pages_for(user)
    # The walk reached the role's lists and the objects behind them, not only the home page.
    kinds = {f"{resolve(p).namespace}:{resolve(p).url_name}" for p in paths}
    assert ROLES[username] <= kinds, sorted(ROLES[username] - kinds)

    page, problems, with_lists = phone_page, [], []
    sign_in(page, live_server, user)
    for path in paths:
        page.goto(live_server.url + path)
        problems += check_phone(page, username, path)
        holds_list = page.locator("main table.table-cards").count() > 0
        if holds_list:
            with_lists.append(path)
        if holds_list or resolve(path).kwargs or path == "/":  # home, the lists and the objects
            screenshot(page, f"phone-{username}-{_name(path)}")
    page.set_viewport_size(DESKTOP)
    for path in with_lists:
        page.goto(live_server.url + path)
        problems += check_desktop(page, username, path)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_menu_folds_behind_a_button_and_opens_every_section(live_server, phone_page):
    load_demo_city()
    load_demo_users()
    page = phone_page
    sign_in(page, live_server, User.objects.get(username="office"))
    page.goto(live_server.url + "/")
    nav = page.locator("nav.navbar")
    board_link = nav.get_by_role("link", name="督办事项", exact=True)
    assert not board_link.is_visible()
    nav.locator(".navbar-toggler").click()
    board_link.wait_for(state="visible")
    assert not scrolls_sideways(page)
    screenshot(page, "phone-office-menu")
    board_link.click()
    page.wait_for_url(live_server.url + "/directives/")
    assert page.locator("main table.table-cards").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_edited_in_place_on_a_phone_comes_back_as_a_labelled_card(live_server, phone_page):
    # The minutes workspace swaps one row at a time (htmx): the row put back is labelled as the others.
    load_demo_city()
    load_demo_users()
    load_demo_minutes()
    page = phone_page
    sign_in(page, live_server, User.objects.get(username="office"))
    page.goto(live_server.url + "/minutes/")
    page.locator("main table a[href^='/minutes/']").first.click()
    first_row = page.locator("#draft-rows tbody tr").first
    assert first_row.evaluate("row => getComputedStyle(row).display") == "block"
    first_row.get_by_role("link", name="编辑").click()
    form = page.locator("#draft-rows tbody tr.table-info form")
    form.wait_for()
    assert not scrolls_sideways(page)
    screenshot(page, "phone-office-minutes-row-edit")
    form.get_by_role("link", name="取消").click()
    page.locator("#draft-rows tbody tr.table-info").wait_for(state="detached")
    labels = page.locator("#draft-rows tbody tr").first.evaluate(
        "row => [...row.cells].map(c => c.dataset.label || '')"
    )
    assert labels[1:6] == ["事项", "置信度", "工作主题", "责任领导", "牵头单位"], labels
    assert not scrolls_sideways(page)
