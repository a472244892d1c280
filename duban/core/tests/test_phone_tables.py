"""No page scrolls sideways on a phone: every table with a header row in a template is either a list shown as
cards below the md breakpoint (`table-cards`, core/static/core/duban.css) or a wide table that is not a list
(a year table, a matrix) scrolling in its own box (`<div class="table-responsive">` right around it). A
table without a header (a few label–value rows) fits as it is. The browser test
(duban/tests/browser/test_phone_widths.py) opens the pages; this one keeps a new table from forgetting."""

import re
from pathlib import Path

from django.conf import settings

TABLE = re.compile(r"<table\b[^>]*>", re.S)
RESPONSIVE_BEFORE = re.compile(r"<div class=\"table-responsive[^\"]*\">\s*$")


def templates() -> list[Path]:
    root = Path(settings.PROJECT_DIR) / "duban"
    return sorted(p for p in root.rglob("templates/**/*.html") if "node_modules" not in p.parts)


def tables_that_would_overflow() -> list[str]:
    found = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for match in TABLE.finditer(text):
            end = text.find("</table>", match.end())
            has_header = "<thead" in text[match.end() : end if end >= 0 else None]
            classes = re.search(r'class="([^"]*)"', match.group(0))
            is_cards = classes is not None and "table-cards" in classes.group(1).split()
            scrolls_alone = RESPONSIVE_BEFORE.search(text[: match.start()]) is not None
            if has_header and not (is_cards or scrolls_alone):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.PROJECT_DIR)}:{line}")
    return found


def test_the_check_finds_the_templates_and_their_tables():
    paths = templates()
    assert any(p.name == "_table.html" and p.parent.name == "directives" for p in paths)
    assert sum(len(TABLE.findall(p.read_text(encoding="utf-8"))) for p in paths) >= 40


def test_every_table_with_a_header_is_cards_on_a_phone_or_scrolls_in_its_own_box():
    assert tables_that_would_overflow() == [], (
        "A list table: add the class table-cards (its cells are labelled from the header); "
        'a wide table that is not a list: put it in <div class="table-responsive">.'
    )
