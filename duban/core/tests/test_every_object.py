"""Every object of the demo, opened as every demo user: the full demo is loaded once per module, every
object reachable through an object's URL pattern (pages and API) is found from the URL configuration and
the models, and each is read (GET) as each demo user. Nothing answers with a server error; an object's
own page answers 200 to those whose scope holds it and 404 to the others, and nothing answers 200 to a
user whose scope does not hold the object.

Which model a URL's id names is not listed by hand: each pattern is called once, as the office, with an
id that exists nowhere, and the lookup the view makes with that id (`find`, `get_object_or_404`, a
viewset's `get_object`, a selector's `.get(pk=…)`) names the model. A second id in the same URL (a
milestone of a directive) is found the same way, with a real first id, and its objects are enumerated
through their link to the first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import import_module
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.query import QuerySet
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from duban.accounts.demo import DEMO_USERS
from duban.accounts.scope import visible_to
from duban.audit.models import AuditEntry
from duban.audit.registry import declares_reader, readable
from duban.core.management.commands.demo import demo_modules

ROLES = [username for username, *_rest in DEMO_USERS]
# What a GET may answer besides 200: a redirect (a page that sends on), a refusal (not this user's to
# open), not found (out of the user's scope), a POST-only route.
ANSWERS = {200, 302, 403, 404, 405}
PROBES = (999_901, 999_902, 999_903)
SKIP_PREFIXES = ("/admin/",)
PARENTS_TRIED = 20
# The audit trail's entries are the record of the other objects' changes, 1,400 of them in the demo:
# its API is read for a sample (the first and the last entries), the rest of its answers are the same.
SAMPLED = {"audit.AuditEntry": 25}
# A URL argument that is not a model's id: a row of a minutes draft (a key in the draft's JSON), a
# transition's or a document kind's name. Such patterns are read with their first object only.
_INT = re.compile(r"<int:(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>(?:\[\^/\.\]\+|\[0-9\]\+|\\d\+)\)")
_OTHER = re.compile(r"<(?:str|slug|path):\w+>|\(\?P<\w+>[^)]*\)")


@dataclass
class Route:
    template: str  # "/directives/{pk}/milestones/{milestone_pk}/"
    names: list[str]  # the int arguments, in order
    models: list[type[models.Model]] = field(default_factory=list)

    def path(self, values) -> str:
        return self.template.format(**dict(zip(self.names, values, strict=True)))

    @property
    def is_own_page(self) -> bool:
        """The object's own page: its id is the last thing in the path (`/ppp/3/`, `/api/ppp/projects/3/`)."""
        return len(self.names) == 1 and self.template.endswith("{" + self.names[0] + "}/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _route(raw: str) -> Route | None:
    # The API router's regexes: drop their anchors, not the `^` of a character class.
    raw = raw.replace("/^", "/").removeprefix("^").removesuffix("$")
    names = [m.group("name") or m.group("rname") for m in _INT.finditer(raw)]
    if not names:
        return None
    template = _INT.sub(lambda m: "{" + (m.group("name") or m.group("rname")) + "}", raw)
    if _OTHER.search(template) or re.search(r"[()\[\]\\]", template) or "<" in template:
        return None
    path = "/" + template.lstrip("/")
    return None if path.startswith(SKIP_PREFIXES) else Route(path, names)


def object_routes() -> list[Route]:
    routes = {}
    for raw in _walk(get_resolver().url_patterns):
        route = _route(raw)
        if route is not None:
            routes[route.template] = route
    return sorted(routes.values(), key=lambda r: r.template)


class LookupRecorder:
    """Which model each probe id was looked up in (any filter or get on `pk` or `id` with that value)."""

    def __init__(self):
        self.seen: dict[int, type[models.Model]] = {}
        self._original = QuerySet._filter_or_exclude

    def __enter__(self):
        recorder = self

        def recording(qs, negate, args, kwargs):
            for key in ("pk", "id"):
                value = kwargs.get(key)
                if value is not None and str(value).isdigit() and int(value) in PROBES:
                    recorder.seen.setdefault(int(value), qs.model)
            return recorder._original(qs, negate, args, kwargs)

        self._patch = mock.patch.object(QuerySet, "_filter_or_exclude", recording)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


def _probe(client: Client, route: Route, known: list[int]) -> type[models.Model] | None:
    values = known + list(PROBES[len(known) : len(route.names)])
    with LookupRecorder() as recorder:
        client.get(route.path(values))
    return recorder.seen.get(PROBES[len(known)])


def resolve_models(clients: list[Client], route: Route) -> None:
    """Name the model of each id in the route by calling it, as the office, with ids that exist nowhere;
    once the first id's model is known, with real first ids, for the second (as each demo user in turn,
    on a few objects: a row of a project is edited by its unit, not the office)."""
    first = _probe(clients[0], route, [])
    if first is None:
        return
    route.models.append(first)
    if len(route.names) == 1:
        return
    for pk in first._base_manager.order_by("pk").values_list("pk", flat=True)[:PARENTS_TRIED]:
        for client in clients:
            second = _probe(client, route, [pk])
            if second is not None:
                route.models.append(second)
                return


def _link(child, parent) -> str | None:
    """The field of `child` that points at `parent` (a foreign key, directly)."""
    for f in child._meta.get_fields():
        if isinstance(f, models.ForeignKey) and issubclass(parent, f.related_model):
            return f.attname
    return None


def objects_of(route: Route) -> list[tuple]:
    """Every tuple of ids the route can be called with, for the demo's objects."""
    if not route.models:
        return []
    if len(route.models) == 1 and len(route.names) == 1:
        pks = list(route.models[0]._base_manager.order_by("pk").values_list("pk", flat=True))
        sample = SAMPLED.get(route.models[0]._meta.label)
        if sample and len(pks) > 2 * sample:
            pks = pks[:sample] + pks[-sample:]
        return [(pk,) for pk in pks]
    if len(route.models) == 2 and len(route.names) == 2:
        link = _link(route.models[1], route.models[0])
        if link is not None:
            rows = route.models[1]._base_manager.order_by("pk").values_list(link, "pk")
            return [tuple(row) for row in rows if row[0] is not None]
    return []


def _client_of(username: str) -> Client:
    client = Client()
    client.force_login(apps.get_model(settings.AUTH_USER_MODEL)._base_manager.get(username=username))
    return client


@dataclass
class Demo:
    routes: list[Route]
    unresolved: list[Route]
    calls: dict[str, list[tuple[Route, tuple]]]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, demo_media):
    # Overrides the conftest's: the demo's files (bond documents, the bulletin) stay readable.
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The full demo, loaded once for the module inside a transaction rolled back at its end (each
    test's own transaction is a savepoint within it), with the routes and the objects to call."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for name in demo_modules():
                import_module(name).load_demo()
            clients = [_client_of(username) for username in ["office", *ROLES]]
            routes = object_routes()
            for route in routes:
                resolve_models(clients, route)
            calls = defaultdict(list)
            for route in routes:
                for values in objects_of(route):
                    calls[route.template].append((route, values))
            unresolved = [r for r in routes if not r.models]
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield Demo(routes, unresolved, calls)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


def test_the_walk_finds_the_objects_of_every_capability(db, demo):
    found = {m._meta.label for r in demo.routes for m in r.models}
    for label in (
        "directives.Directive",
        "directives.Meeting",
        "directives.SupervisionNotice",
        "weekly.ReportingCycle",
        "weekly.WeeklyReport",
        "weekly.WeeklyMeeting",
        "bonds.BondProject",
        "bonds.BondBatch",
        "ppp.PPPProject",
        "ppp.ContractReview",
        "ppp.RectificationTask",
        "minutes.MinutesDraft",
        "surveys.SurveyRound",
        "surveys.SurveyResponse",
        "organisation.Unit",
        "organisation.Leader",
    ):
        assert label in found, label
    # A route with an id whose model could not be named is read once, by the anonymous walk only.
    assert sum(len(calls) for calls in demo.calls.values()) > 1000


def _scope(user, model) -> set:
    """The objects the user may open: through the selector its app declared for the model's pages (the
    audit registry's reader), else its data scope (a project's contracts, the themes). The trail itself
    is read whole by those its rule lets browse it (the office, the auditor)."""
    if model is AuditEntry:
        from duban.audit.rules import may_browse_audit_trail

        return (
            set(model._base_manager.values_list("pk", flat=True)) if may_browse_audit_trail(user) else set()
        )
    rows = readable(user, model) if declares_reader(model) else visible_to(user, model._base_manager.all())
    return set(rows.values_list("pk", flat=True))


def _refused_in_words(path, response) -> bool:
    """An API action that refuses the object's present state (a PPP project already counted cannot be
    tested as a new one) answers 400 with the platform's error body: an answer, not a failure."""
    if not path.startswith("/api/") or response.status_code != 400:
        return False
    body = response.json()
    return set(body) == {"detail", "code", "fields"} and bool(body["detail"])


@pytest.mark.parametrize("username", ROLES)
def test_every_object_of_the_demo_opens_for_every_demo_user_without_a_server_error(db, demo, username):
    client = _client_of(username)
    user = apps.get_model(settings.AUTH_USER_MODEL)._base_manager.get(username=username)
    scopes: dict = {}
    failures = []
    for calls in demo.calls.values():
        for route, values in calls:
            path = route.path(values)
            response = client.get(path)
            status = response.status_code
            if status not in ANSWERS and not _refused_in_words(path, response):
                failures.append((path, status))
                continue
            model = route.models[0]
            if model not in scopes:
                scopes[model] = _scope(user, model)
            visible = values[0] in scopes[model]
            # Nothing out of the user's scope is shown; what is in it opens on its own page.
            if status == 200 and not visible:
                failures.append((path, status, "out of scope"))
            if route.is_own_page and not path.startswith("/api/") and visible and status == 404:
                failures.append((path, status, "in scope"))
    assert not failures, failures[:30]


@pytest.mark.parametrize("username", ROLES)
def test_the_history_of_every_object_of_the_demo_opens_as_its_page_does(db, demo, username):
    client = _client_of(username)
    user = apps.get_model(settings.AUTH_USER_MODEL)._base_manager.get(username=username)
    failures = []
    # The history of every object with a page of its own (its 修改记录 link).
    own = {
        r.models[0] for r in demo.routes if r.is_own_page and r.models and not r.template.startswith("/api/")
    }
    for model in sorted(own, key=lambda m: m._meta.label):
        visible = set(readable(user, model).values_list("pk", flat=True))
        for pk in model._base_manager.order_by("pk").values_list("pk", flat=True):
            path = reverse("audit:object_history", args=[model._meta.app_label, model._meta.model_name, pk])
            status = client.get(path).status_code
            if status != (200 if pk in visible else 404):
                failures.append((path, status))
    assert not failures, failures[:30]
