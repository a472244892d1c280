"""The README names the demo users the demo prints, no more and no fewer."""

import re
from pathlib import Path

from duban.accounts.demo import DEMO_PASSWORD, DEMO_USERS

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_lists_every_demo_user_the_demo_prints():
    text = README.read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if "demo users" in p)
    named = re.findall(r"`([a-z0-9]+)`", paragraph)
    assert [n for n in named if n != DEMO_PASSWORD] == [username for username, *_rest in DEMO_USERS]
    assert DEMO_PASSWORD in paragraph
