"""Templates keep to the content security policy (docs/security.md): an inline script carries the
request's nonce, and no element has an inline event handler (onclick=…), which the policy blocks."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = list(Path(settings.PACKAGE_DIR).rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>")
# onclick=… and htmx's hx-on…= (evaluated by htmx, which the policy forbids: allowEval false).
HANDLER = re.compile(r"<[a-zA-Z][^>]*\s(?:on[a-z]+|hx-on[\w:.-]*)\s*=", re.S)


def test_the_check_reads_the_templates():
    assert len(TEMPLATES) > 50


def test_every_inline_script_carries_the_nonce():
    missing = [str(p) for p in TEMPLATES if INLINE_SCRIPT.search(p.read_text(encoding="utf-8"))]
    assert not missing, missing


def test_no_element_has_an_inline_event_handler():
    found = [str(p) for p in TEMPLATES if HANDLER.search(p.read_text(encoding="utf-8"))]
    assert not found, found
