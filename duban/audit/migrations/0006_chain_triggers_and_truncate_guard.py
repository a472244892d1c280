"""The audit logs in the database: chained by hash, never truncated, chain columns written once.

PostgreSQL
- the row guards (0002, 0003) drop the chain values an INSERT brings (the chain is the database's),
  and let an UPDATE through only when it sets the chain of an entry not chained yet and changes
  nothing else;
- a deferred constraint trigger chains each transaction's entries as it commits (chain.py);
- a statement-level BEFORE TRUNCATE trigger refuses to empty the logs or the chain heads.
SQLite
- UPDATE is refused on every column but the chain's, and the chain's once set; a row trigger
  chains each entry as it is inserted, with the application's `duban_sha256` function.
Both: the entries written before this migration are chained in the order of their ids.
"""

from django.db import migrations

from duban.audit.chain import (
    CHAINS,
    HEAD_TABLE,
    chain_pending,
    pg_chain_function,
    pg_chain_trigger,
    pg_lock_function,
    register_sqlite_functions,
    sqlite_chain_trigger,
)

ENTRY, EVENT = "audit_auditentry", "audit_securityevent"


def _pg_guard(function: str, table: str, message: str, on_delete: str = "") -> list[str]:
    """The row guard of one log: an INSERT arrives unchained (chain values it brings are dropped: a
    `loaddata` from SQLite, a forger); an UPDATE only sets the chain of an entry not chained yet;
    everything else is refused (`on_delete` may let some deletes through)."""
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
    DECLARE
        unchained {table};
    BEGIN
        IF TG_OP = 'INSERT' THEN
            NEW.chain_seq := NULL;
            NEW.chain_hash := NULL;
            RETURN NEW;
        ELSIF TG_OP = 'DELETE' THEN
            {on_delete or "NULL;"}
        ELSIF OLD.chain_seq IS NULL THEN
            unchained := NEW;
            unchained.chain_seq := NULL;
            unchained.chain_hash := NULL;
            IF unchained IS NOT DISTINCT FROM OLD THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '{message}';
    END;
    $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"""CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}()""",
    ]


PG_GUARDS = [
    *_pg_guard("audit_entry_append_only", ENTRY, "audit entries are append-only (审计记录不可修改或删除)"),
    *_pg_guard(
        "audit_security_event_guard",
        EVENT,
        "security log entries are append-only (安全日志不可修改或删除)",
        on_delete="IF OLD.at < now() - interval '183 days' THEN RETURN OLD; END IF;",
    ),
    """CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the audit logs cannot be truncated (审计日志不可清空)';
    END;
    $$ LANGUAGE plpgsql""",
    *(
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"""
        for table in (ENTRY, EVENT, HEAD_TABLE)
    ),
]
PG_CHAINS = [
    pg_lock_function(),
    *(sql for chain in CHAINS for sql in (pg_chain_function(chain), pg_chain_trigger(chain))),
]

# What 0002 and 0003 had, for going back.
PG_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}" for table in (ENTRY, EVENT, HEAD_TABLE)),
    "DROP FUNCTION IF EXISTS audit_refuse_truncate()",
    *(f"DROP TRIGGER IF EXISTS {chain.table}_chain ON {chain.table}" for chain in CHAINS),
    *(f"DROP FUNCTION IF EXISTS {chain.table}_chain()" for chain in CHAINS),
    "DROP FUNCTION IF EXISTS audit_chain_lock()",
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {ENTRY}",
    f"""CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {ENTRY}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_security_event_guard ON {EVENT}",
    f"""CREATE TRIGGER audit_security_event_guard BEFORE UPDATE OR DELETE ON {EVENT}
    FOR EACH ROW EXECUTE FUNCTION audit_security_event_guard()""",
]

SQLITE_GUARD_NAMES = {ENTRY: "audit_entry", EVENT: "audit_security_event"}


def _sqlite_guards(chain) -> list[str]:
    name, table = SQLITE_GUARD_NAMES[chain.table], chain.table
    content = ", ".join(f'"{column}"' for column in chain.columns)
    refuse = "BEGIN SELECT RAISE(ABORT, 'audit log entries are append-only'); END"
    return [
        f"DROP TRIGGER IF EXISTS {name}_no_update",
        f"CREATE TRIGGER {name}_no_update BEFORE UPDATE OF {content} ON {table} {refuse}",
        f"""CREATE TRIGGER {name}_chained_once BEFORE UPDATE OF chain_seq, chain_hash ON {table}
        WHEN OLD.chain_seq IS NOT NULL {refuse}""",
        f"""CREATE TRIGGER {name}_arrives_unchained BEFORE INSERT ON {table}
        WHEN NEW.chain_seq IS NOT NULL OR NEW.chain_hash IS NOT NULL {refuse}""",
        sqlite_chain_trigger(chain),
    ]


def _sqlite_down(chain) -> list[str]:
    name, table = SQLITE_GUARD_NAMES[chain.table], chain.table
    return [
        f"DROP TRIGGER IF EXISTS {table}_chain",
        f"DROP TRIGGER IF EXISTS {name}_arrives_unchained",
        f"DROP TRIGGER IF EXISTS {name}_chained_once",
        f"DROP TRIGGER IF EXISTS {name}_no_update",
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'audit log entries are append-only'); END""",
    ]


def _execute(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _execute(schema_editor, [*PG_GUARDS, *PG_CHAINS])
    elif vendor == "sqlite":
        register_sqlite_functions(schema_editor.connection)
        _execute(schema_editor, [sql for chain in CHAINS for sql in _sqlite_guards(chain)])
    for chain in CHAINS:
        chain_pending(chain, using=schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _execute(schema_editor, PG_DOWN)
    elif vendor == "sqlite":
        _execute(schema_editor, [sql for chain in CHAINS for sql in _sqlite_down(chain)])


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_tamper_evident_chain")]
    operations = [migrations.RunPython(install, uninstall)]
