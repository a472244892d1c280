"""The embedded SQLite takes concurrent writers without "database is locked".

Each writer reads, then writes, inside one transaction, as a service does (lock the row, compare,
save). On a real file (pytest-django's SQLite test database lives in memory), each thread with its own
connection built from the platform's SQLite options (`DUBAN_SQLITE_OPTIONS`).
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connections, transaction

WRITERS = 8
WRITES_EACH = 12
ALIAS = "concurrent_sqlite_writers"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    options = dict(settings.DUBAN_SQLITE_OPTIONS)
    connections.settings[ALIAS] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "writers.sqlite3"),
        "OPTIONS": options,
        "CONN_MAX_AGE": 0,
        "TEST": {"NAME": str(tmp_path / "writers.sqlite3")},
    }
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id integer primary key, value integer not null)")
            cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
        connections[ALIAS].close()
        yield ALIAS
    del connections.settings[ALIAS]


def _write_many(alias: str, failures: list):
    try:
        for _ in range(WRITES_EACH):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                (value,) = cursor.fetchone()
                time.sleep(0.002)  # the service's work between reading and writing
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
    except Exception as error:  # noqa: BLE001 — the test reports what each writer met
        failures.append(repr(error))
    finally:
        connections[alias].close()


def test_concurrent_writers_that_read_then_write_all_succeed_on_the_embedded_sqlite(sqlite_file):
    failures: list[str] = []
    threads = [threading.Thread(target=_write_many, args=(sqlite_file, failures)) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    with connections[sqlite_file].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        assert cursor.fetchone() == (WRITERS * WRITES_EACH,)  # no write lost either
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"
    connections[sqlite_file].close()


def test_the_embedded_sqlite_begins_transactions_immediately_with_a_busy_timeout():
    assert settings.DUBAN_SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert settings.DUBAN_SQLITE_OPTIONS["timeout"] >= 5
    assert "journal_mode=WAL" in settings.DUBAN_SQLITE_OPTIONS["init_command"]
