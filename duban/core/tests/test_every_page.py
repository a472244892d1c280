"""Every page and endpoint, walked from the URL configuration: none fails with a server error for any
role, and none shows anything to an anonymous visitor but the login page and public assets."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Reachable without signing in, on purpose.
PUBLIC = {
    "/healthz",
    "/accounts/login/",
    "/accounts/logout/",
    "/jsi18n/",
    "/i18n/setlang/",
    "/api/schema/",
    "/api/docs/",
}
# Paths that only take POST or download generated files are still called: they must refuse or answer.
SKIP_PREFIXES = ("/admin/",)
# Answers 503 by design while the job worker is behind (core/tests/test_health.py); no page is walked there.
OWN_STATUS = {"/healthz"}
ROLES = ["office", "leader_user", "liaison", "county_liaison", "finance_user"]


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _concrete(route: str) -> str | None:
    """A callable path: converters and the API router's groups filled with an id that exists nowhere."""
    if "(?P<format>" in route:
        return None
    path = re.sub(r"\(\?P<[^>]+>\[\^/\.\]\+\)", "999999", route).replace("^", "").replace("$", "")
    if re.search(r"[()\[\]\\]", path):
        return None
    path = re.sub(r"<int:[^>]+>", "999999", path)
    path = re.sub(r"<(str|slug):[^>]+>", "nothing", path)
    if "<" in path:
        return None
    return "/" + path.lstrip("/")


def all_paths() -> list[str]:
    paths = {_concrete(r) for r in _walk(get_resolver().url_patterns)}
    return sorted(p for p in paths if p and not p.startswith(SKIP_PREFIXES))


PATHS = all_paths()


def test_the_walk_finds_the_pages_of_every_capability():
    for prefix in (
        "/directives/",
        "/weekly/",
        "/bonds/",
        "/ppp/",
        "/minutes/",
        "/units/",
        "/api/directives/",
    ):
        assert any(p.startswith(prefix) for p in PATHS), prefix


@pytest.mark.parametrize("path", PATHS)
def test_an_anonymous_visitor_gets_nothing_but_the_login_page(db, client, path):
    response = client.get(path)
    if path in PUBLIC:
        return
    assert response.status_code in (302, 401, 403, 404, 405), (path, response.status_code)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"], path


@pytest.mark.parametrize("path", [p for p in PATHS if p not in OWN_STATUS])
def test_no_page_fails_with_a_server_error_for_any_role(city, security_admin, client, path):
    for user in [*(getattr(city, role) for role in ROLES), security_admin]:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code < 500, (user.username, path, response.status_code)
