"""The application runs with a database role that may only read and append to the audit logs, while the
tables' owner migrates them (issue 12 item 11; docs/security.md)."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from duban.audit import chain
from duban.audit.models import SecurityEvent, SecurityEventKind
from duban.audit.security import record
from duban.audit.tests.tampering import chain_as_inserted
from duban.organisation import services as organisation

POSTGRES_ONLY = pytest.mark.skipif("connection.vendor != 'postgresql'")

REFUSED_TO_THE_APP = [
    "UPDATE audit_auditentry SET object_repr = 'x'",
    "DELETE FROM audit_auditentry",
    "TRUNCATE audit_auditentry",
    "UPDATE audit_securityevent SET detail = 'x'",
    "DELETE FROM audit_securityevent",
    "TRUNCATE audit_securityevent",
    "UPDATE audit_chainhead SET seq = 0",
    "INSERT INTO audit_chainhead (name, seq, hash, anchor_seq, anchor_hash) VALUES ('x', 0, '', 0, '')",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
    "ALTER TABLE audit_securityevent DISABLE TRIGGER USER",
    "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
    "SET session_replication_role = replica",
]


def _role() -> str:
    return f"duban_app_test_{uuid.uuid4().hex[:8]}"


@contextmanager
def acting_as(role: str):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.fixture
def app_role(db):
    role = _role()  # created in the test's transaction, gone with it
    call_command("db", "grant-app-role", role, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return role


@POSTGRES_ONLY
@pytest.mark.parametrize("statement", REFUSED_TO_THE_APP)
def test_the_app_role_cannot_change_empty_or_unguard_the_audit_logs(city, app_role, statement):
    record(SecurityEventKind.LOGIN, username="before")
    with (
        acting_as(app_role),
        pytest.raises(DatabaseError, match="permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


@POSTGRES_ONLY
def test_the_app_role_does_the_applications_work_and_its_entries_are_chained(city, app_role):
    chain_as_inserted()
    with acting_as(app_role):
        organisation.unit_update(
            unit=city.housing, by=city.office, expected_version=city.housing.version, short_name="住建"
        )
        record(SecurityEventKind.LOGIN, username="app")
        assert SecurityEvent.objects.filter(username="app").exists()
    for log in chain.CHAINS:
        assert chain.verify(log).intact


@POSTGRES_ONLY
@pytest.mark.parametrize("role", ["postgres", "1bad;name", "x y"])
def test_a_role_that_could_go_round_the_guards_is_refused(db, role):
    with pytest.raises(CommandError) as refused:
        call_command("db", "grant-app-role", role)
    assert refused.value.returncode == 2


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_has_no_roles_to_grant(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("db", "grant-app-role", "duban_app")


def _duban(args: list[str], env: dict) -> subprocess.CompletedProcess:
    code = "import sys; from duban.cli import main; main(['duban', *sys.argv[1:]])"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


APP_SCRIPT = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "duban.settings"
django.setup()
from django.conf import settings
from django.db import DatabaseError, connection
from duban.audit.security import record
print("user", settings.DATABASES["default"]["USER"])
record("login", username="from-the-app")
try:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent")
except DatabaseError as error:
    print("refused", type(error).__name__)
"""


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_duban_grants_as_the_owner_and_the_application_connects_as_its_role():
    role, database = _role(), connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{role}:app-secret@127.0.0.1:5432/{database}",
        "DUBAN_MIGRATE_DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@127.0.0.1:5432/{database}",
    }
    env.pop("DUBAN_DB_AS_OWNER", None)
    try:
        granted = _duban(["db", "grant-app-role"], env)
        assert granted.returncode == 0, granted.stderr
        assert f'CREATE ROLE "{role}" LOGIN PASSWORD %s;' in granted.stdout
        app = subprocess.run(
            [sys.executable, "-c", APP_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert app.returncode == 0, app.stderr
        assert f"user {role}" in app.stdout and "refused" in app.stdout
        assert SecurityEvent.objects.filter(username="from-the-app").exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f'DROP OWNED BY "{role}"')
                cursor.execute(f'DROP ROLE "{role}"')
