"""The audit logs' hash chains: each entry carries a SHA-256 hash over its own fields and the hash of
the entry before it, so that an entry changed, removed or slipped in anywhere is found by
`duban audit verify` (`verify`), even when someone got past the database's guards.

- **The body** of an entry: its columns in a fixed order (`Chain.columns`), each as the database
  renders it as text (PostgreSQL: `::text`, times as microseconds since 1970; SQLite: the stored
  text), written `<length>:<text>`, or `~` for NULL, joined by `|`. One SQL expression (`body_sql`)
  computes it, for chaining and for verifying alike.
- **The hash**: sha256(previous hash + body), in hex; before the first entry comes `GENESIS`.
  `chain_seq` numbers the entries in chain order; `audit.ChainHead` keeps each log's newest number
  and hash (so that entries removed from the end are seen too) and, after a purge of old security
  events, the number and hash the remaining chain starts from (its anchor).
- **When**: on PostgreSQL a deferred constraint trigger chains a transaction's entries as it commits,
  in the order they were written (`pg_chain_function`): the chain heads are locked only for that
  moment, so concurrent transactions are chained one after another in commit order (never forked)
  and a rolled-back transaction leaves no gap. On SQLite a row trigger chains each entry as it is inserted (writers are
  serialised: transactions are IMMEDIATE), hashing with `duban_sha256`, which the application
  registers on its connections (`register_sqlite_functions`). Entries written before the chain
  existed were chained by the migration that introduced it (`chain_pending`).

A column added to a log later is not covered until the chain's body is versioned; the audit tests
hold `Chain.columns` to the models' fields so that nobody adds one unawares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64
HEAD_TABLE = "audit_chainhead"


@dataclass(frozen=True)
class Chain:
    table: str
    label: str
    model: str  # app_label.ModelName
    time_column: str
    columns: tuple[str, ...]

    def head_values(self) -> str:
        return f"('{self.table}', 0, '{GENESIS}', 0, '{GENESIS}')"


CHANGES = Chain(
    table="audit_auditentry",
    label=_("变更审计"),
    model="audit.AuditEntry",
    time_column="timestamp",
    columns=(
        "id",
        "timestamp",
        "content_type_id",
        "object_pk",
        "object_id",
        "object_repr",
        "action",
        "changes",
        "changes_text",
        "serialized_data",
        "additional_data",
        "actor_id",
        "actor_email",
        "remote_addr",
        "remote_port",
        "cid",
        "channel",
    ),
)
SECURITY = Chain(
    table="audit_securityevent",
    label=_("安全日志"),
    model="audit.SecurityEvent",
    time_column="at",
    columns=("id", "at", "kind", "user_id", "username", "address", "channel", "path", "detail"),
)
# In the order their heads are locked (by table name), so that two commits never deadlock.
CHAINS = (CHANGES, SECURITY)
# The tables the application's database role may only read and append to (docs/security.md).
APPEND_ONLY_TABLES = tuple(chain.table for chain in CHAINS)
# ... and the one it may only read: the chains' heads are written by the chain's own functions.
READ_ONLY_TABLES = (HEAD_TABLE,)


def link(previous: str, body: str) -> str:
    """The hash of an entry whose body is `body`, following the entry whose hash is `previous`."""
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


def _text(chain: Chain, column: str, vendor: str, prefix: str) -> str:
    ref = f'{prefix}"{column}"'
    if vendor != "postgresql":
        return f"CAST({ref} AS TEXT)"
    if column == chain.time_column:  # the same whatever the session's time zone
        return f"((extract(epoch from {ref}) * 1000000)::bigint)::text"
    return f"({ref})::text"


def body_sql(chain: Chain, vendor: str, prefix: str = "") -> str:
    """The SQL expression of an entry's body (`prefix` "NEW." inside a row trigger)."""
    parts = []
    for column in chain.columns:
        text = _text(chain, column, vendor, prefix)
        parts.append(f"coalesce(CAST(length({text}) AS TEXT) || ':' || {text}, '~')")
    return " || '|' || ".join(parts)


# -- PostgreSQL: chained at commit ------------------------------------------------------------------


def pg_lock_function() -> str:
    """Lock both heads, always in the same order (by their primary key: the heads' table is updated at
    every commit, and is read by index only); create them first if a flush emptied the table."""
    values = ", ".join(chain.head_values() for chain in CHAINS)
    names = ", ".join(f"'{chain.table}'" for chain in CHAINS)
    lock = f"SELECT count(*) FROM (SELECT 1 FROM {HEAD_TABLE} WHERE name IN ({names}) ORDER BY name FOR UPDATE) AS heads"
    return f"""CREATE OR REPLACE FUNCTION audit_chain_lock() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
        locked integer;
    BEGIN
        {lock} INTO locked;
        IF locked < {len(CHAINS)} THEN
            INSERT INTO {HEAD_TABLE} (name, seq, hash, anchor_seq, anchor_hash) VALUES {values}
            ON CONFLICT (name) DO NOTHING;
            {lock} INTO locked;
        END IF;
    END;
    $$"""


def pg_chain_function(chain: Chain) -> str:
    """The deferred trigger's function, fired at commit for each of the transaction's entries in the
    order they were written. The first to fire chains the transaction's entries in one pass (its own
    and those written after it: a range of the pending entries' index from its id, so the rows older
    transactions left dead in that index are not read); the others find themselves chained (a look-up
    by id). It runs as the tables' owner (SECURITY DEFINER): the application's role may not update
    entries or heads itself."""
    table = chain.table
    return f"""CREATE OR REPLACE FUNCTION {table}_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
        head_seq bigint;
        head_hash text;
        entry record;
        ids bigint[] := '{{}}';
        seqs bigint[] := '{{}}';
        hashes text[] := '{{}}';
    BEGIN
        PERFORM 1 FROM {table} WHERE id = NEW.id AND chain_seq IS NULL;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        PERFORM audit_chain_lock();
        SELECT seq, hash INTO head_seq, head_hash FROM {HEAD_TABLE} WHERE name = '{table}';
        FOR entry IN
            SELECT id, {body_sql(chain, "postgresql")} AS body
            FROM {table} WHERE chain_seq IS NULL AND id >= NEW.id ORDER BY id
        LOOP
            head_seq := head_seq + 1;
            head_hash := encode(sha256(convert_to(head_hash || entry.body, 'UTF8')), 'hex');
            ids := ids || entry.id;
            seqs := seqs || head_seq;
            hashes := hashes || head_hash;
        END LOOP;
        UPDATE {table} AS t SET chain_seq = c.seq, chain_hash = c.hash
        FROM unnest(ids, seqs, hashes) AS c(id, seq, hash) WHERE t.id = c.id;
        UPDATE {HEAD_TABLE} SET seq = head_seq, hash = head_hash WHERE name = '{table}';
        RETURN NULL;
    END;
    $$"""


def pg_chain_trigger(chain: Chain) -> str:
    return f"""CREATE CONSTRAINT TRIGGER {chain.table}_chain AFTER INSERT ON {chain.table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {chain.table}_chain()"""


# -- SQLite: chained on insert ----------------------------------------------------------------------


def sqlite_chain_trigger(chain: Chain) -> str:
    return f"""CREATE TRIGGER {chain.table}_chain AFTER INSERT ON {chain.table}
    BEGIN
        INSERT OR IGNORE INTO {HEAD_TABLE} (name, seq, hash, anchor_seq, anchor_hash)
        VALUES {chain.head_values()};
        UPDATE {HEAD_TABLE} SET seq = seq + 1, hash = duban_sha256(hash || {body_sql(chain, "sqlite", "NEW.")})
        WHERE name = '{chain.table}';
        UPDATE {chain.table} SET (chain_seq, chain_hash) =
            (SELECT seq, hash FROM {HEAD_TABLE} WHERE name = '{chain.table}')
        WHERE id = NEW.id;
    END"""


def _sha256(text):
    return None if text is None else hashlib.sha256(str(text).encode("utf-8")).hexdigest()


def register_sqlite_functions(connection) -> None:
    """`duban_sha256(text)` on a SQLite connection, for the chain triggers (connection_created)."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_function("duban_sha256", 1, _sha256, deterministic=True)


# -- Chaining what is not chained yet (the migration), and verifying -------------------------------


def locked_heads(cursor, vendor: str) -> dict[str, tuple[int, str, int, str]]:
    """Each log's (seq, hash, anchor_seq, anchor_hash), locked until the transaction ends."""
    for chain in CHAINS:
        cursor.execute(
            f"INSERT INTO {HEAD_TABLE} (name, seq, hash, anchor_seq, anchor_hash) "
            f"VALUES {chain.head_values()} ON CONFLICT (name) DO NOTHING"
        )
    lock = " FOR UPDATE" if vendor == "postgresql" else ""
    cursor.execute(f"SELECT name, seq, hash, anchor_seq, anchor_hash FROM {HEAD_TABLE} ORDER BY name{lock}")
    return {name: (seq, last, anchor_seq, anchor_hash) for name, seq, last, anchor_seq, anchor_hash in cursor}


def chain_pending(chain: Chain, *, using: str = DEFAULT_DB_ALIAS, batch: int = 5000) -> int:
    """Chain, in the order of their ids, the entries not chained yet; the number chained."""
    connection = connections[using]
    count = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        seq, last, *_anchor = locked_heads(cursor, connection.vendor)[chain.table]
        select = (
            f"SELECT id, {body_sql(chain, connection.vendor)} FROM {chain.table} "
            "WHERE chain_seq IS NULL ORDER BY id LIMIT %s"
        )
        while rows := _fetch(cursor, select, [batch]):
            links = []
            for pk, body in rows:
                seq, last = seq + 1, link(last, body)
                links.append((seq, last, pk))
            cursor.executemany(
                f"UPDATE {chain.table} SET chain_seq = %s, chain_hash = %s WHERE id = %s", links
            )
            count += len(rows)
        cursor.execute(
            f"UPDATE {HEAD_TABLE} SET seq = %s, hash = %s WHERE name = %s", [seq, last, chain.table]
        )
    return count


def _fetch(cursor, sql: str, params: list) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


@dataclass
class Verdict:
    chain: Chain
    count: int  # entries found in order before the first break (all of them when intact)
    head_seq: int
    head_hash: str
    broken_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return not self.reason


def _chained_rows(cursor, chain: Chain, vendor: str, batch: int) -> Iterator[tuple[int, int, str, str]]:
    """(id, seq, hash, body) of every chained entry in chain order, read in batches (keyset)."""
    select = (
        f"SELECT id, chain_seq, chain_hash, {body_sql(chain, vendor)} FROM {chain.table} "
        "WHERE chain_seq > %s ORDER BY chain_seq LIMIT %s"
    )
    after = -1
    while rows := _fetch(cursor, select, [after, batch]):
        yield from rows
        after = rows[-1][1]


def verify(chain: Chain, *, using: str = DEFAULT_DB_ALIAS, batch: int = 5000) -> Verdict:
    """Walk the chain from its anchor to its head; the first entry that does not follow is named."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, hash, anchor_seq, anchor_hash FROM {HEAD_TABLE} WHERE name = %s", [chain.table]
        )
        head_seq, head_hash, seq, last = cursor.fetchone() or (0, GENESIS, 0, GENESIS)
        verdict = Verdict(chain, 0, head_seq, head_hash)
        for pk, entry_seq, entry_hash, body in _chained_rows(cursor, chain, connection.vendor, batch):
            if entry_seq != seq + 1:
                return _broken(verdict, pk, _("此前缺少第 %(n)d 条记录") % {"n": seq + 1})
            if link(last, body) != entry_hash:
                return _broken(verdict, pk, _("内容或哈希与链不符（记录或其前一条被改动）"))
            seq, last = entry_seq, entry_hash
            verdict.count += 1
        if (seq, last) != (head_seq, head_hash):
            return _broken(
                verdict,
                None,
                _("链头记到第 %(head)d 条，链只到第 %(seq)d 条：最新的记录缺失或链头被改动")
                % {"head": head_seq, "seq": seq},
            )
        cursor.execute(f"SELECT id FROM {chain.table} WHERE chain_seq IS NULL ORDER BY id LIMIT 1")
        unchained = cursor.fetchone()
    if unchained is not None:
        return _broken(verdict, unchained[0], _("未链入（绕过数据库触发器写入）"))
    return verdict


def _broken(verdict: Verdict, pk: int | None, reason: str) -> Verdict:
    verdict.broken_id, verdict.reason = pk, str(reason)
    return verdict
