"""schemathesis over the whole OpenAPI schema, as the office and as a liaison, on the demo city.

Every operation of the schema is called with generated input, valid and invalid (a fixed seed, a few
examples of each per operation), through the WSGI application in the test's own database. Object ids
are drawn from the rows that exist (every unit's, in scope or not), so that detail endpoints and their
actions answer with real objects rather than 404s. A call fails the test on a server error (5xx) and
on any response the schema does not describe: its status, its content type, its headers or its body.
Every operation is tried before the test reports all that failed. `make test` runs it (marker `fuzz`).
"""

from __future__ import annotations

import os
import re
import secrets
import time

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.test import Client
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from duban.accounts.models import User
from duban.wsgi import application

pytestmark = [pytest.mark.fuzz]

EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
# A cap on each role's run that keeps CI's time bounded on a loaded machine: past it, every remaining
# operation is still called, with one valid example (the test says how many were reduced).
BUDGET_SECONDS = int(os.environ.get("DUBAN_FUZZ_BUDGET_SECONDS", "150"))
REDUCED = {GenerationMode.POSITIVE: 1}

CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def _schema():
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application
    return loaded


def _signed_in(user) -> dict:
    """A session cookie and a CSRF token pair, as the browser sends them."""
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf},
        "headers": {"X-CSRFToken": csrf},
    }


def _existing_ids(path: str) -> list[int]:
    """The ids of the rows the operation's {id} names (the viewset's model), whoever may see them."""
    with_id = path.replace("{id}", "1")
    try:
        match = resolve(re.sub(r"\{[^}]+\}", "1", with_id))
    except Resolver404:  # another parameter is a word (a transition's name)
        match = resolve(re.sub(r"\{[^}]+\}", "a", with_id))
    view = match.func.cls()
    view.action, view.format_kwarg, view.kwargs = "retrieve", None, match.kwargs
    view.request = None
    model = view.get_serializer_class().Meta.model
    return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:40]) or [1]


def _cases(operation, mode):
    strategy = operation.as_strategy(generation_mode=mode)
    if "{id}" not in operation.path or mode is GenerationMode.NEGATIVE:
        return strategy  # invalid input may be the id itself
    return st.sampled_from(_existing_ids(operation.path)).flatmap(
        lambda pk: operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
    )


def _fuzz(operation, user, *, examples: dict) -> list[str]:
    failures = []
    for mode, count in examples.items():

        @hypothesis.settings(
            max_examples=count,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=_cases(operation, mode))
        def run(case):
            case.call_and_validate(checks=CHECKS, **_signed_in(user))

        try:
            run()
        except hypothesis.errors.Unsatisfiable:
            continue  # nothing of this operation can be made invalid (no parameters, no body)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 — every operation is tried; all are reported
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}):\n{error}")
    return failures


def _fuzz_everything_as(username: str):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(username=username)
    failures = []
    started, reduced = time.monotonic(), 0
    for result in _schema().get_all_operations():
        over_budget = time.monotonic() - started > BUDGET_SECONDS
        reduced += over_budget
        failures += _fuzz(result.ok(), user, examples=REDUCED if over_budget else EXAMPLES)
    if reduced:
        print(f"fuzz budget of {BUDGET_SECONDS}s spent: {reduced} operations had one valid example only")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The WSGI application closes "old" connections when a request starts and ends; inside the
    test's transaction that would close it (PostgreSQL). Django's test client does the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_answers_the_office_as_its_schema_says():
    _fuzz_everything_as("office")  # the demo's 督查室


@pytest.mark.django_db
def test_the_api_answers_a_liaison_as_its_schema_says():
    _fuzz_everything_as("liaison")  # the demo's liaison of the city's finance bureau
