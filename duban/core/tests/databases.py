"""Scratch databases for the backup tests, on either engine whatever the suite runs on.

- `scratch_database(engine, name, tmp_path)`: an empty database (a SQLite file, or a PostgreSQL
  database made with createdb and dropped with dropdb afterwards), its settings and its URL.
- `registered(alias, settings)`: the database reachable as `connections[alias]` for the block.
- `copy_of_the_test_database(alias)`: the models' tables created there (no migrations: seconds, not
  the half-minute a migrate takes) and every row of the test database copied in, with the applied
  migrations, so a backup of it is a backup of a platform in use.
- `contents(alias)`: every table's rows, for comparing two databases exactly.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

from duban.core.backup.engines import TABLES_SQL, pg_environment

POSTGRES_TOOLS = ("pg_dump", "pg_restore", "psql", "createdb", "dropdb")


def suite_engine() -> str:
    return connections["default"].vendor


def _postgres_server() -> dict:
    """Where the scratch PostgreSQL databases are made: the suite's server, or DUBAN_TEST_POSTGRES_URL."""
    if suite_engine() == "postgresql":
        default = settings.DATABASES["default"]
        return {key: default.get(key) or "" for key in ("HOST", "PORT", "USER", "PASSWORD")}
    url = os.environ.get("DUBAN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = dj_database_url.parse(url)
    return {key: parsed.get(key) or "" for key in ("HOST", "PORT", "USER", "PASSWORD")}


def _postgres_url(server: dict, name: str) -> str:
    credentials = quote(server["USER"]) + (f":{quote(server['PASSWORD'])}" if server["PASSWORD"] else "")
    port = f":{server['PORT']}" if server["PORT"] else ""
    return f"postgres://{credentials}@{server['HOST']}{port}/{name}"


@contextmanager
def scratch_database(engine: str, name: str, tmp_path: Path):
    if engine == "sqlite":
        path = tmp_path / f"{name}.sqlite3"
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}, f"sqlite:///{path}"
        return
    server = _postgres_server()
    database = f"duban_test_{name}_{os.getpid()}_{secrets.token_hex(3)}"
    config = {"ENGINE": "django.db.backends.postgresql", "NAME": database, **server}
    env = pg_environment({**server, "NAME": "postgres"})
    subprocess.run(["createdb", database], env=env, check=True, capture_output=True)
    try:
        yield config, _postgres_url(server, database)
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "--force", database], env=env, check=True, capture_output=True
        )


@contextmanager
def registered(alias: str, config: dict):
    # Made here rather than named in DATABASES: Django's test case lets a test reach a connection it
    # did not declare only when the alias is not in the settings (a connection made on the fly).
    configured = connections.configure_settings(
        {"default": dict(connections.settings["default"]), alias: config}
    )
    wrapper = load_backend(configured[alias]["ENGINE"]).DatabaseWrapper(configured[alias], alias)
    connections[alias] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[alias]


def _stored_models(*, include_auto_created: bool):
    return [
        model
        for model in apps.get_models(include_auto_created=include_auto_created)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def copy_of_the_test_database(alias: str) -> None:
    target = connections[alias]
    with target.schema_editor() as editor:
        for model in _stored_models(include_auto_created=False):
            editor.create_model(model)  # with its many-to-many tables
    MigrationRecorder(target).ensure_schema()
    with transaction.atomic(using=alias):
        for model in _stored_models(include_auto_created=True):
            rows = list(model._base_manager.using("default").order_by("pk"))
            model._base_manager.using(alias).bulk_create(rows)
        applied = list(MigrationRecorder(connections["default"]).migration_qs.order_by("pk"))
        MigrationRecorder(target).migration_qs.bulk_create(applied)


def contents(alias: str) -> dict[str, list[tuple]]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(TABLES_SQL[connection.vendor])
        tables = [row[0] for row in cursor.fetchall()]
        found = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the catalogue)
            found[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return found


def files_under(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
