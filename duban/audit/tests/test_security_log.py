"""The security log (等保 2.0 security audit): logins, failed logins, logouts, refusals and exports with
user, address and time; append-only; kept at least six months; read by the auditor alone."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from duban.accounts.roles import Role
from duban.audit.models import SecurityEvent, SecurityEventKind
from duban.audit.security import record
from duban.audit.tests.tampering import guards_lifted
from duban.tests.factories import TEST_PASSWORD, UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture
def auditor(city):
    return UserFactory(username="auditor", role=Role.AUDITOR, unit=None)


def kinds():
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_a_login_a_failed_login_and_a_logout_are_recorded_with_user_address_and_time(city, client, settings):
    settings.DUBAN_TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(LOGIN, {"username": "liaison", "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.post(
        LOGIN, {"username": "liaison", "password": TEST_PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    client.post(reverse("accounts:logout"), HTTP_X_FORWARDED_FOR="198.51.100.7")
    events = list(SecurityEvent.objects.order_by("pk"))
    assert [e.kind for e in events] == [
        SecurityEventKind.LOGIN_FAILED,
        SecurityEventKind.LOGIN,
        SecurityEventKind.LOGOUT,
    ]
    assert {e.username for e in events} == {"liaison"}
    assert {e.address for e in events} == {"198.51.100.7"}
    assert events[1].user_id == city.liaison.pk
    assert all(timezone.now() - e.at < timedelta(minutes=1) for e in events)


def test_a_failed_login_with_an_unknown_name_keeps_the_name_tried(db, client):
    client.post(LOGIN, {"username": "ghost", "password": "x"})
    event = SecurityEvent.objects.get()
    assert (event.kind, event.username, event.user_id) == (SecurityEventKind.LOGIN_FAILED, "ghost", None)


def test_a_refused_page_is_recorded(city, client_for):
    response = client_for(city.liaison).get(reverse("accounts:user_create"))
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.REFUSED)
    assert event.username == "liaison" and event.path == reverse("accounts:user_create")


def test_a_refused_api_call_is_recorded(city, api_client_for):
    response = api_client_for(city.liaison).get("/api/audit/")
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.REFUSED)
    assert event.username == "liaison" and event.channel == "api"


def test_an_export_is_recorded(city, client_for):
    response = client_for(city.office).get(reverse("organisation:unit_export"))
    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
    assert event.username == "office" and event.detail.endswith(".xlsx")


def test_security_log_entries_cannot_be_changed(db):
    event = record(SecurityEventKind.LOGIN, username="x")
    event.detail = "tampered"
    with pytest.raises(PermissionDenied), transaction.atomic():
        event.save()
    with pytest.raises((IntegrityError, InternalError, DatabaseError)), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).update(detail="tampered")


def test_young_security_log_entries_cannot_be_deleted(db):
    event = record(SecurityEventKind.LOGIN, username="x")
    with pytest.raises(PermissionDenied), transaction.atomic():
        event.delete()
    if connection.vendor == "postgresql":
        with (
            pytest.raises((InternalError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_securityevent WHERE id = %s", [event.pk])
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def _backdate(event, days):
    # Only a test may move an entry back in time: it goes round the guards as a restore would.
    with guards_lifted("audit_securityevent") as cursor:
        cursor.execute(
            "UPDATE audit_securityevent SET at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=days), event.pk],
        )


def test_the_purge_deletes_old_entries_and_refuses_to_reach_into_the_retention_period(db, settings):
    settings.DUBAN_SECURITY_LOG_RETENTION_DAYS = 183
    old, young = (
        record(SecurityEventKind.LOGIN, username="old"),
        record(SecurityEventKind.LOGIN, username="young"),
    )
    _backdate(old, 400)
    _backdate(young, 100)
    with pytest.raises(CommandError) as refused:
        call_command("purge_security_log", "--before", timezone.localdate().isoformat())
    assert "至少保存" in str(refused.value)
    assert SecurityEvent.objects.count() == 2
    before = (timezone.localdate() - timedelta(days=200)).isoformat()
    call_command("purge_security_log", "--before", before)
    assert list(SecurityEvent.objects.order_by("pk").values_list("kind", "username")) == [
        (SecurityEventKind.LOGIN, "young"),
        (SecurityEventKind.LOG_PURGED, ""),
    ]


def test_the_auditor_reads_the_security_log_and_the_audit_trail(city, auditor, client_for):
    record(SecurityEventKind.LOGIN, user=city.liaison)
    client = client_for(auditor)
    page = client.get(reverse("audit:security_log"))
    assert page.status_code == 200 and "liaison" in page.content.decode()
    assert client.get(reverse("audit:entry_list")).status_code == 200


@pytest.mark.parametrize("who", ["office", "admin", "liaison", "leader_user"])
def test_no_one_but_the_auditor_reads_the_security_log(city, client_for, who):
    assert client_for(getattr(city, who)).get(reverse("audit:security_log")).status_code == 403


def test_the_auditor_cannot_change_anything(city, auditor, client_for, api_client_for):
    client = client_for(auditor)
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("organisation:unit_list")).status_code == 200
    api = api_client_for(auditor)
    new_unit = {
        "code": "C-X",
        "name": "测试市新局",
        "short_name": "新局",
        "kind": "city_department",
        "parent": city.root.pk,
    }
    assert api.post("/api/units/", new_unit, format="json").status_code == 403
    assert api.get("/api/units/").json()["count"] == 0  # no unit: no business data in reach


def test_the_security_log_list_takes_a_fixed_number_of_queries(
    city, auditor, client_for, django_assert_max_num_queries
):
    for n in range(30):
        record(SecurityEventKind.LOGIN_FAILED, username=f"u{n}")
    client = client_for(auditor)
    client.get(reverse("audit:security_log"))
    with django_assert_max_num_queries(8):
        client.get(reverse("audit:security_log"))


def test_the_auditor_lands_on_a_working_home_page_with_the_logs_in_the_menu(city, auditor, client_for):
    page = client_for(auditor).get(reverse("cockpit:home"))
    assert page.status_code == 200
    assert reverse("audit:security_log") in page.content.decode()
