"""Every log line of a request carries its request id, which the response echoes; the id a trusted
proxy sends is kept when it is sane; slow requests are logged; JSON lines when asked for."""

import json
import logging

import pytest
from django.urls import reverse

from duban.audit.models import AuditEntry
from duban.core.logs import JsonFormatter, RequestIdFilter
from duban.tests.factories import UnitFactory


class Lines(logging.Handler):
    """What the console handler would write: records through the request-id filter."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


# Most tests here read /healthz, which answers 503 once the migrations' schedules are due.
pytestmark = pytest.mark.usefixtures("schedules_not_yet_due")


@pytest.fixture
def lines():
    handler, root = Lines(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler.records
    root.removeHandler(handler)
    root.setLevel(level)


def test_each_response_carries_a_new_request_id(db, client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_every_log_line_of_a_request_carries_its_id(city, client_for, lines):
    response = client_for(city.liaison).get("/directives/999999/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    names = {record.name for record in lines if record.request_id == request_id}
    assert {"django.request", "duban.request"} <= names  # Django's "Not Found" and the request's own line
    assert all(
        record.request_id == request_id
        for record in lines
        if record.name.startswith(("django.request", "duban"))
    )


def test_an_id_from_a_trusted_proxy_is_kept_and_one_from_anyone_else_is_not(db, client, settings):
    settings.DUBAN_TRUSTED_PROXIES = ["10.0.0.1"]
    from_proxy = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123.DEF:9", REMOTE_ADDR="10.0.0.1")
    assert from_proxy["X-Request-ID"] == "abc-123.DEF:9"
    from_client = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123", REMOTE_ADDR="203.0.113.5")
    assert from_client["X-Request-ID"] != "abc-123"


@pytest.mark.parametrize("forged", ["two words", "x" * 200, "id\nFAKE LOG LINE", '"quoted"', "-leading", ""])
def test_an_insane_id_from_the_proxy_is_replaced(db, client, settings, forged):
    settings.DUBAN_TRUSTED_PROXIES = ["10.0.0.1"]
    response = client.get("/healthz", HTTP_X_REQUEST_ID=forged, REMOTE_ADDR="10.0.0.1")
    assert response["X-Request-ID"] != forged and len(response["X-Request-ID"]) == 32


def test_a_slow_request_is_logged_as_a_warning_with_its_duration(db, client, settings, lines):
    settings.DUBAN_SLOW_REQUEST_SECONDS = 1e-9
    response = client.get("/healthz")
    slow = [r for r in lines if r.name == "duban.request" and r.levelno == logging.WARNING]
    assert len(slow) == 1
    assert slow[0].getMessage().startswith("slow request GET /healthz 200")
    assert (
        slow[0].duration_ms > 0 and slow[0].status == 200 and slow[0].request_id == response["X-Request-ID"]
    )


def test_a_quick_request_is_logged_at_info_only(db, client, settings, lines):
    settings.DUBAN_SLOW_REQUEST_SECONDS = 60
    client.get("/healthz?name=secret")
    own = [r for r in lines if r.name == "duban.request"]
    assert [r.levelno for r in own] == [logging.INFO]
    assert "secret" not in own[0].getMessage()  # the query string is not logged


def test_json_lines_carry_the_fields_and_the_request_id(db, client, settings, lines):
    client.get("/healthz")
    record = next(r for r in lines if r.name == "duban.request")
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "INFO" and entry["logger"] == "duban.request"
    assert entry["request_id"] == record.request_id and entry["status"] == 200 and entry["path"] == "/healthz"
    assert entry["message"].startswith("GET /healthz 200")
    assert "\n" not in JsonFormatter().format(record)


def test_a_log_line_outside_a_request_has_no_id(lines):
    logging.getLogger("duban.test").warning("from a command")
    assert lines[-1].request_id == "-"


def test_the_audit_trail_records_the_request_id_of_each_change(city, client_for):
    unit = UnitFactory(parent=city.root)
    client = client_for(city.office)
    data = {
        "code": unit.code, "name": unit.name, "short_name": "改名", "aliases": "", "kind": unit.kind,
        "parent": unit.parent_id, "sort_order": unit.sort_order, "is_active": "on",
        "expected_version": unit.version,
    }  # fmt: skip
    response = client.post(reverse("organisation:unit_edit", args=[unit.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_pk=str(unit.pk), action=AuditEntry.Action.UPDATE).latest("pk")
    assert entry.cid == response["X-Request-ID"]
