"""What only a test does: go round the audit logs' guards, as someone holding the tables' owner role
could, to change what the hash chain must then expose."""

from contextlib import contextmanager

from django.db import connection


def chain_as_inserted() -> None:
    """PostgreSQL chains a transaction's entries as it commits, and a test never commits: from here on
    this test's entries are chained as each statement ends (SQLite always chains as it inserts)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextmanager
def guards_lifted(table: str):
    """The table's triggers off (PostgreSQL) or dropped and made again (SQLite) within the block."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            chain_as_inserted()  # a table with pending trigger events cannot be altered
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield cursor
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            yield cursor
            for _name, sql in triggers:
                cursor.execute(sql)
