"""Every rule a template asks for exists: django-rules answers False for an unknown name, so a renamed
rule would hide its button silently instead of failing."""

import re
from pathlib import Path

import rules
from django.conf import settings

ASKED = re.compile(r"""\{%\s*test_rule\s+["']([\w.]+)["']""")


def test_every_rule_a_template_asks_for_is_registered():
    asked = {
        (path.relative_to(settings.PACKAGE_DIR), name)
        for path in Path(settings.PACKAGE_DIR).rglob("*.html")
        for name in ASKED.findall(path.read_text(encoding="utf-8"))
    }
    assert asked, "no template asks for a rule: the pattern is wrong"
    missing = sorted((str(path), name) for path, name in asked if not rules.rule_exists(name))
    assert not missing, missing
