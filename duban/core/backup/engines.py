"""The database's part of a backup: SQLite through its online backup API, PostgreSQL through pg_dump.

- SQLite: `Connection.backup` copies the live database page by page while the platform keeps
  serving (each step reads a consistent snapshot; WAL content included); the restore copies the
  backup's pages into the configured database the same way, in one write transaction.
- PostgreSQL: the dump runs in a REPEATABLE READ transaction whose snapshot pg_dump shares
  (`--snapshot`), so the row counts in the manifest are those of the dump, exactly.
  `pg_dump --format=custom`; the restore pipes `pg_restore --no-owner` into one `psql
  --single-transaction` that first clears the schema: it lands whole or not at all. The connection
  settings go to the tools through the environment (PGPASSWORD), never the command line.

Both report the tables' row counts and the applied migrations (django_migrations) they saw.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
from collections import deque
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import DomainError, Invalid
from .archive import CHUNK, Progress, megabytes

DUMP_NAMES = {"sqlite": "duban.sqlite3", "postgresql": "duban.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SQLITE_STEP_PAGES = 4096

TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
}

# Run first in the restore's transaction: the schema is emptied of what an earlier migrate or
# restore left (tables, views, sequences, functions; not an extension's), so the dump lands on
# nothing. Nothing is dropped unless the whole restore then succeeds.
CLEAR_SCHEMA = """DO $$
DECLARE statement text;
BEGIN
  FOR statement IN
    SELECT format('DROP VIEW IF EXISTS %I.%I CASCADE', schemaname, viewname)
      FROM pg_views WHERE schemaname = current_schema()
    UNION ALL SELECT format('DROP TABLE IF EXISTS %I.%I CASCADE', schemaname, tablename)
      FROM pg_tables WHERE schemaname = current_schema()
  LOOP EXECUTE statement; END LOOP;
  FOR statement IN
    SELECT format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', sequence_schema, sequence_name)
      FROM information_schema.sequences WHERE sequence_schema = current_schema()
    UNION ALL SELECT format('DROP FUNCTION IF EXISTS %s CASCADE', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = current_schema() AND p.prokind = 'f'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP EXECUTE statement; END LOOP;
END $$"""


class ToolFailed(DomainError):
    """pg_dump, pg_restore or psql is missing or failed (the command exits with status 1)."""

    status = 500
    code = "backup_tool_failed"


def engine_of(connection) -> str:
    if connection.vendor not in DUMP_NAMES:
        raise Invalid(
            _("备份与恢复支持 SQLite 和 PostgreSQL，当前数据库是 %(vendor)s。")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_counts(cursor, engine: str) -> dict[str, int]:
    """Every table's row count (the same query on a Django cursor and on a raw sqlite3 one)."""
    cursor.execute(TABLES_SQL[engine])
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quoted(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def recorded_migrations(cursor, counts: dict[str, int]) -> dict[str, list[str]]:
    if "django_migrations" not in counts:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    recorded: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        recorded.setdefault(app, []).append(name)
    return recorded


# --- SQLite ---------------------------------------------------------------------------------------


def _page_progress(progress: Progress, text: str):
    def report(_status, remaining, total):
        progress.tick(text % {"done": total - remaining, "total": total})

    return report


def sqlite_dump(connection, destination: Path, progress: Progress) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(destination)
    try:
        report = _page_progress(progress, _("数据库：已复制 %(done)d / %(total)d 页……"))
        connection.connection.backup(copy, pages=SQLITE_STEP_PAGES, progress=report)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        cursor = copy.cursor()
        counts = table_counts(cursor, "sqlite")
        migrations = recorded_migrations(cursor, counts)
        version = sqlite3.sqlite_version
    finally:
        copy.close()
    return {"tables": counts, "migrations": migrations, "tool": f"sqlite3 backup API ({version})"}


def sqlite_restore(connection, source: Path, progress: Progress) -> None:
    connection.ensure_connection()
    backup = sqlite3.connect(source)
    try:
        report = _page_progress(progress, _("数据库：已写入 %(done)d / %(total)d 页……"))
        backup.backup(connection.connection, pages=SQLITE_STEP_PAGES, progress=report)
    finally:
        backup.close()


# --- PostgreSQL -----------------------------------------------------------------------------------

_ENVIRONMENT = {
    "NAME": "PGDATABASE",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "HOST": "PGHOST",
    "PORT": "PGPORT",
}
_OPTION_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolFailed(
            _("找不到 PostgreSQL 的命令 %(tool)s：请安装与数据库服务器同一大版本或更新的 postgresql-client。")
            % {"tool": name}
        )
    return found


def pg_environment(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in _ENVIRONMENT.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in _OPTION_ENVIRONMENT.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[variable] = str(settings_dict["OPTIONS"][key])
    return env


def _failed(name: str, lines) -> ToolFailed:
    tail = "\n".join(line.rstrip() for line in lines if line.strip())
    return ToolFailed(_("%(tool)s 执行失败，未做任何更改：\n%(output)s") % {"tool": name, "output": tail})


def postgres_dump(connection, destination: Path, progress: Progress) -> dict:
    pg_dump = tool("pg_dump")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        command = [
            pg_dump,
            "--format=custom",
            "--no-password",
            f"--snapshot={snapshot}",
            f"--file={destination}",
        ]
        with tempfile.TemporaryFile(mode="w+") as errors:
            dump = subprocess.Popen(command, stderr=errors, env=pg_environment(connection.settings_dict))
            while True:
                try:
                    dump.wait(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    size = destination.stat().st_size if destination.exists() else 0
                    progress.tick(_("数据库：已导出 %(size)s……") % {"size": megabytes(size)})
            if dump.returncode != 0:
                errors.seek(0)
                raise _failed("pg_dump", deque(errors, maxlen=15))
        counts = table_counts(cursor, "postgresql")
        migrations = recorded_migrations(cursor, counts)
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip()
    return {"tables": counts, "migrations": migrations, "tool": version, "server_version": server_version}


def postgres_restore(connection, source: Path, progress: Progress) -> None:
    """pg_restore's script, pumped into one psql transaction that commits only when pg_restore
    finished cleanly: on any failure psql is stopped before the end of its input and rolls back."""
    pg_restore, psql = tool("pg_restore"), tool("psql")
    env = pg_environment(connection.settings_dict)
    connection.close()  # our own session holds nothing while psql works
    with tempfile.TemporaryFile(mode="w+") as psql_errors:
        reader = subprocess.Popen(
            [pg_restore, "--no-owner", "--verbose", "--file=-", str(source)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        writer = subprocess.Popen(
            [psql, "--no-psqlrc", "--quiet", "--no-password", "--single-transaction", "--set=ON_ERROR_STOP=1",
             f"--command={CLEAR_SCHEMA}", "--file=-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=env,
        )  # fmt: skip
        log = _RestoreLog(reader.stderr)
        psql_stopped = False
        try:
            while chunk := reader.stdout.read(CHUNK):
                writer.stdin.write(chunk)
                progress.tick(_("数据库：正在写入第 %(count)d 张表的数据……") % {"count": log.tables})
        except BrokenPipeError:  # psql stopped at an error: stop pg_restore too
            psql_stopped = True
            reader.kill()
        reader.wait()
        log.join()
        if not psql_stopped and reader.returncode != 0:
            writer.kill()  # before the end of its input: the transaction is rolled back
            writer.wait()
            raise _failed("pg_restore", log.lines)
        with contextlib.suppress(BrokenPipeError):
            writer.stdin.close()  # the end of the script: psql commits (unless it stopped at an error)
        writer.wait()
        if writer.returncode != 0:
            psql_errors.seek(0)
            raise _failed("psql", deque(psql_errors, maxlen=15))


class _RestoreLog(threading.Thread):
    """pg_restore's --verbose lines, read beside the pump: the last few, and the tables begun."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream, self.lines, self.tables = stream, deque(maxlen=15), 0
        self.start()

    def run(self):
        for raw in self.stream:
            line = raw.decode(errors="replace")
            self.lines.append(line)
            self.tables += "processing data for table" in line


DUMPERS = {"sqlite": sqlite_dump, "postgresql": postgres_dump}
RESTORERS = {"sqlite": sqlite_restore, "postgresql": postgres_restore}
