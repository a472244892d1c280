"""The application's database role on PostgreSQL (等保 2.0: the audit logs protected from the
application itself, docs/security.md).

The tables belong to the owner role that migrates them (DUBAN_MIGRATE_DATABASE_URL); the application
connects as another role (DATABASE_URL) that `grant_app_role` gives:

- every table: SELECT, INSERT, UPDATE, DELETE; every sequence: USAGE, SELECT; the same on the tables
  and sequences later migrations create (default privileges of the owner);
- the audit logs (`audit.chain.APPEND_ONLY_TABLES`): SELECT and INSERT only; the chain heads:
  SELECT only (the chain's functions write them as the owner);
- nothing else: no TRUNCATE, no ownership (so no ALTER TABLE … DISABLE TRIGGER, no DROP TRIGGER),
  not a superuser (so no `SET session_replication_role`).

Idempotent: run it again after an upgrade's migrations.
"""

from __future__ import annotations

import re

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from duban.audit.chain import APPEND_ONLY_TABLES, READ_ONLY_TABLES

from .errors import Invalid

ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _refuse_unsafe_role(cursor, role: str, owner: str) -> bool:
    """Refuse a role that could go round the guards; whether the role exists already."""
    if role == owner:
        raise Invalid(_("应用角色不能是数据表的所有者（%(role)s）：请另建一个角色。") % {"role": role})
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        return False
    if row[0]:
        raise Invalid(
            _("应用角色 %(role)s 是超级用户，可以绕过审计日志的保护：请另建一个普通角色。") % {"role": role}
        )
    cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
    if cursor.fetchone()[0]:
        raise Invalid(
            _("应用角色 %(role)s 属于所有者角色 %(owner)s，可以修改表和触发器。")
            % {"role": role, "owner": owner}
        )
    return True


def grant_app_role(role: str, *, password: str | None = None, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the role if need be (LOGIN, with the password given) and grant it what the application
    needs and no more; run as the tables' owner. Returns the statements run, for the record."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise Invalid(_("只有 PostgreSQL 区分数据库角色；嵌入式 SQLite 没有应用角色可授权。"))
    if not ROLE_NAME.match(role or ""):
        raise Invalid(_("角色名只能由字母、数字和下划线组成，且不以数字开头：%(role)s") % {"role": role})
    quote = connection.ops.quote_name
    statements = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema(), current_database()")
        owner, schema, database = cursor.fetchone()
        app, schema, owner_q = quote(role), quote(schema), quote(owner)
        if not _refuse_unsafe_role(cursor, role, owner):
            statements.append(f"CREATE ROLE {app} LOGIN" + (" PASSWORD %s" if password else ""))
            cursor.execute(statements[-1], [password] if password else None)
        for statement in [
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {app}",
            f"GRANT USAGE ON SCHEMA {schema} TO {app}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
            *(f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {app}" for table in APPEND_ONLY_TABLES),
            *(f"REVOKE INSERT, UPDATE, DELETE ON {quote(table)} FROM {app}" for table in READ_ONLY_TABLES),
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        ]:
            cursor.execute(statement)
            statements.append(statement)
    return statements
