"""Browser tests: Debian's Chromium driven by Playwright (`make browser-deps` installs it).

Use the fixtures of `duban/conftest.py`: `browser_page` (1440 px desktop) or `phone_page` (390 px), both
signed-out pages; `sign_in(page, live_server, user)` signs a page in without typing; `screenshot(page,
name)` keeps a PNG under `test-results/screenshots/` (an artefact of the run, git-ignored). Mark the
module with `pytestmark = BROWSER` and the tests `@pytest.mark.django_db(transaction=True)`.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(settings.PROJECT_DIR) / "test-results" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make browser-deps)"
    ),
]


def sign_in(page, live_server, user) -> None:
    """The page's browser carries a signed-in session of `user` (the login form has its own test)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def scrolls_sideways(page) -> bool:
    """Whether the page is wider than the screen (a phone user would have to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
