"""The English and Traditional Chinese catalogues: pages switch language, and the catalogues are complete.

The .mo files are not kept in git; `make setup` compiles them (compilemessages). After changing
user-facing text, refresh the catalogues as described in scripts/fill_translations.py.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SCRIPT = Path(settings.PROJECT_DIR) / "scripts" / "fill_translations.py"


@pytest.fixture(autouse=True)
def _compiled_catalogues():
    missing = [
        str(path)
        for path in (LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo" for lang in ("en", "zh_Hant"))
        if not path.exists()
    ]
    assert not missing, f"compile the catalogues first (make setup, or compilemessages): {missing}"


def test_switching_to_english_translates_the_navigation(city, client_for):
    client = client_for(city.office)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("cockpit:home")}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    for text in ("Home", "Units", "Users", "Working-day calendar", "Audit log", "Sign out"):
        assert f">{text}<" in page, text
    assert ">单位</a>" not in page
    assert "Hello, " in page  # a {% blocktranslate %} with a placeholder


def test_the_language_cookie_gives_traditional_chinese(city, client_for):
    # Only the explicit choice counts (the set_language view writes this cookie); the browser's
    # Accept-Language is ignored on purpose, see duban/core/middleware.py.
    client = client_for(city.liaison)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    page = client.get(reverse("cockpit:home")).content.decode()
    assert '<html lang="zh-hant">' in page
    for text in ("首頁", "單位", "領導分工", "退出"):
        assert f">{text}<" in page, text


def test_simplified_chinese_stays_the_default(city, client_for):
    page = client_for(city.office).get(reverse("cockpit:home")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert ">单位</a>" in page


def test_the_catalogues_are_complete_and_match_the_glossary():
    # Fails when makemessages was run without scripts/fill_translations.py, or when a msgid has no
    # English in scripts/en_glossary.json.
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--dry-run", "--missing"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    reports = [line for line in result.stdout.splitlines() if "would fill" in line]
    assert len(reports) >= 2, result.stdout
    assert all("would fill 0" in line for line in reports), result.stdout
