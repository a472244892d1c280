"""The layers point one way, and the one ways of doing things stay the only ways.

- Platform apps know no capability; capabilities reach each other only along the links that are the
  design, and then only through the other app's selectors, services or rules (never its models);
  the cockpit sits above all and reads through selectors. The layers are written down in
  docs/developing.md; this test is their guard.
- API views catch no error that the one exception handler maps.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404

from duban.core.errors import DomainError

ROOT = Path(__file__).resolve().parents[1]

PLATFORM = {"core", "accounts", "organisation", "audit", "workcalendar", "documents", "notifications"}
CAPABILITIES = {"directives", "weekly", "minutes", "bonds", "ppp", "incentives", "assessment", "surveys"}
ABOVE = {"cockpit"}
# Links between capabilities that are the design, and what the importing app may use of the other.
INTEGRATION = {"selectors", "services", "rules"}
LINKS: dict[tuple[str, str], set[str]] = {
    ("weekly", "directives"): INTEGRATION,  # reports on directives; the weekly meeting's decisions
    ("ppp", "directives"): INTEGRATION,  # rectification tasks are carried by directives
    ("minutes", "directives"): INTEGRATION,  # confirming minutes creates the meeting and its directives
    ("bonds", "weekly"): {"providers"},  # bond projects report weekly through the provider registry
    ("incentives", "directives"): INTEGRATION,  # a campaign is carried by a directive of theme 督查激励
    ("incentives", "bonds"): {"selectors"},  # live criteria: special-bond issuance and spending progress
    ("incentives", "ppp"): {"selectors"},  # live criteria: PPP contract performance
    # the automatic indicators are rates read from the capabilities' records
    ("assessment", "directives"): {"selectors"},
    # … and the published typical experiences go into the weekly bulletin through its section registry
    ("assessment", "weekly"): {"selectors", "providers"},
    ("assessment", "bonds"): {"selectors"},
    ("assessment", "ppp"): {"selectors"},
    ("assessment", "surveys"): {"selectors"},
    ("surveys", "bonds"): {"selectors"},  # a survey pre-fills a unit's bond projects (nothing asked twice)
    ("surveys", "ppp"): {"selectors"},  # … and its PPP projects
}
ABOVE_MAY_USE = {"selectors", "rules"}
TOP_LEVEL = {"settings", "urls", "wsgi", "cli", "conftest"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[0] in TOP_LEVEL or len(parts) < 2:
            continue
        yield path, parts[0]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def _targets(module: str, names: list[str]):
    """(app, first module inside the app) for each duban import; `from duban.x import selectors` too."""
    parts = module.split(".")
    if parts[0] != "duban" or len(parts) < 2:
        return
    app = parts[1]
    if len(parts) >= 3:
        yield app, parts[2]
    else:
        for name in names or [""]:
            yield app, name


def _violation(source: str, app: str, inner: str) -> str | None:
    if app == source or app in TOP_LEVEL:
        return None
    if source in PLATFORM:
        return None if app in PLATFORM else "a platform app imports a capability"
    if source in CAPABILITIES:
        if app in PLATFORM:
            return None
        if app in ABOVE:
            return "a capability imports the cockpit"
        allowed = LINKS.get((source, app))
        if allowed is None:
            return "no designed link between these capabilities"
        return None if inner in allowed else f"the link allows only {sorted(allowed)}"
    if source in ABOVE:
        if app in PLATFORM:
            return None
        return (
            None
            if inner in ABOVE_MAY_USE
            else f"the cockpit reads capabilities only through {sorted(ABOVE_MAY_USE)}"
        )
    return f"{source} is in no layer: add it to docs/developing.md and this test"


def layer_violations() -> list[str]:
    found = []
    for path, source in _modules():
        for line, module, names in _imports(path):
            for app, inner in _targets(module, names):
                why = _violation(source, app, inner)
                if why:
                    found.append(f"{path.relative_to(ROOT.parent)}:{line} imports duban.{app}.{inner}: {why}")
    return found


def test_every_app_is_in_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"documents"}
    assert apps == PLATFORM | CAPABILITIES | ABOVE


def test_imports_follow_the_layers():
    assert layer_violations() == []


# --- API views catch nothing the exception handler maps ---------------------------------------------

MAPPED = (DomainError, ValidationError, PermissionDenied, Http404, ObjectDoesNotExist)


def _api_view_modules():
    return sorted(ROOT.glob("*/api/views.py"))


def _caught(node: ast.ExceptHandler, namespace: dict):
    types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
    for expression in types:
        if expression is None:
            yield BaseException
            continue
        try:
            yield eval(compile(ast.Expression(expression), "<except>", "eval"), namespace)  # noqa: S307
        except Exception:  # a name the module does not define: report it as it is written
            yield ast.unparse(expression)


@pytest.mark.parametrize("path", _api_view_modules(), ids=lambda p: p.parent.parent.name)
def test_api_views_leave_refusals_to_the_exception_handler(path):
    module = importlib.import_module(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offending = [
        f"line {node.lineno}: except {caught.__name__ if isinstance(caught, type) else caught}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        for caught in _caught(node, vars(module))
        if not isinstance(caught, type) or issubclass(caught, MAPPED) or issubclass(MAPPED[0], caught)
    ]
    assert offending == []
