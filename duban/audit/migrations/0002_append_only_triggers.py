"""Make the audit table append-only in the database itself, whatever code runs against it.

PostgreSQL refuses UPDATE and DELETE on every row. SQLite refuses UPDATE; it cannot refuse DELETE
without also blocking the test runner's table flush, so there the application's guard (signals.py)
is the only one against deletes.
"""

from django.db import migrations

# One statement per execute: the PostgreSQL driver refuses several in one prepared statement.
PG_UP = [
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only (审计记录不可修改或删除)';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]
SQLITE_UP = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_entry_no_update"]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_UP, "sqlite": SQLITE_UP})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
