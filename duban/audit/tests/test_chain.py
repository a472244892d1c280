"""The audit logs are tamper-evident: each entry is chained to the one before by a SHA-256 hash, and
`duban audit verify` names the first entry that no longer follows (issue 12 item 11)."""

import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from duban.audit import chain
from duban.audit.models import AuditEntry, ChainHead, SecurityEvent, SecurityEventKind
from duban.audit.security import record
from duban.audit.tests.tampering import chain_as_inserted, guards_lifted
from duban.organisation import services as organisation

POSTGRES_ONLY = pytest.mark.skipif("connection.vendor != 'postgresql'")


@pytest.fixture
def chained(db):
    chain_as_inserted()


def events(n: int, prefix: str = "u") -> list[SecurityEvent]:
    return [record(SecurityEventKind.LOGIN_FAILED, username=f"{prefix}{i}") for i in range(n)]


def verify_command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_every_entry_of_both_logs_is_chained_and_the_walk_in_small_batches_says_intact(city, chained):
    organisation.unit_update(
        unit=city.housing, by=city.office, expected_version=city.housing.version, short_name="住建"
    )
    events(7)
    for model in (AuditEntry, SecurityEvent):
        seqs = list(model.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert not model.objects.filter(chain_hash__isnull=True).exists()
    out = verify_command("--batch-size", "3")
    assert "安全日志：哈希链完整，共 7 条" in out
    assert f"变更审计：哈希链完整，共 {AuditEntry.objects.count()} 条" in out
    assert ChainHead.objects.get(name="audit_securityevent").hash in out


def test_a_changed_entry_is_named_with_its_time_and_the_command_exits_with_1(db, chained):
    first, tampered, *_rest = events(5)
    with guards_lifted("audit_securityevent") as cursor:
        cursor.execute(
            "UPDATE audit_securityevent SET username = 'someone-else' WHERE id = %s", [tampered.pk]
        )
    verdict = chain.verify(chain.SECURITY, batch=2)
    assert (verdict.broken_id, verdict.count) == (tampered.pk, 1)
    with pytest.raises(CommandError) as broken:
        verify_command()
    assert broken.value.returncode == 1
    moment = timezone.localtime(tampered.at).strftime("%Y-%m-%d %H:%M:%S")
    assert f"安全日志：哈希链在第 {tampered.pk} 号记录（{moment}）处断开" in str(broken.value)


def test_an_entry_changed_with_its_hash_recomputed_breaks_the_chain_at_the_next_one(db, chained):
    entries = events(4)
    before = SecurityEvent.objects.get(pk=entries[0].pk).chain_hash
    with guards_lifted("audit_securityevent") as cursor:
        cursor.execute("UPDATE audit_securityevent SET detail = 'rewritten' WHERE id = %s", [entries[1].pk])
        body = chain.body_sql(chain.SECURITY, connection.vendor)
        cursor.execute(f"SELECT {body} FROM audit_securityevent WHERE id = %s", [entries[1].pk])
        forged = chain.link(before, cursor.fetchone()[0])
        cursor.execute(
            "UPDATE audit_securityevent SET chain_hash = %s WHERE id = %s", [forged, entries[1].pk]
        )
    assert chain.verify(chain.SECURITY).broken_id == entries[2].pk


def test_an_entry_removed_from_the_middle_or_the_end_is_found(db, chained):
    entries = events(5)
    with guards_lifted("audit_securityevent") as cursor:
        cursor.execute("DELETE FROM audit_securityevent WHERE id = %s", [entries[4].pk])
    verdict = chain.verify(chain.SECURITY)
    assert verdict.broken_id is None and "最新的记录缺失" in verdict.reason
    with guards_lifted("audit_securityevent") as cursor:
        cursor.execute("DELETE FROM audit_securityevent WHERE id = %s", [entries[2].pk])
    verdict = chain.verify(chain.SECURITY)
    assert verdict.broken_id == entries[3].pk and "缺少第 3 条" in verdict.reason


def test_an_entry_slipped_in_past_the_triggers_is_found(db, chained):
    events(2)
    with guards_lifted("audit_securityevent") as cursor:
        cursor.execute(
            "INSERT INTO audit_securityevent (at, kind, username, channel, path, detail) "
            "VALUES (%s, 'login', 'ghost', 'web', '', '')",
            [timezone.now()],
        )
    slipped = SecurityEvent.objects.get(username="ghost")
    verdict = chain.verify(chain.SECURITY)
    assert verdict.broken_id == slipped.pk and "未链入" in verdict.reason


def test_an_entry_cannot_bring_its_own_place_in_the_chain(db, chained):
    """PostgreSQL drops the chain values an INSERT brings (so a `loaddata` from SQLite is chained
    afresh); SQLite refuses them."""
    events(2)
    insert = (
        "INSERT INTO audit_securityevent (at, kind, username, channel, path, detail, chain_seq, chain_hash) "
        "VALUES (%s, 'login', 'forger', 'web', '', '', 999, %s)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(insert, [timezone.now(), "a" * 64])
        assert SecurityEvent.objects.get(username="forger").chain_seq == 3
        assert chain.verify(chain.SECURITY).intact
    else:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(insert, [timezone.now(), "a" * 64])


def test_a_chained_entry_keeps_its_place(db, chained):
    event = record(SecurityEventKind.LOGIN, username="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).update(chain_hash="0" * 64)


def test_entries_written_before_the_chain_existed_are_chained_in_one_pass(db, chained):
    with guards_lifted("audit_securityevent") as cursor:
        for n in range(6):
            cursor.execute(
                "INSERT INTO audit_securityevent (at, kind, username, channel, path, detail) "
                "VALUES (%s, 'login', %s, 'web', '', '')",
                [timezone.now(), f"old{n}"],
            )
    assert SecurityEvent.objects.filter(chain_seq__isnull=True).count() == 6
    assert chain.chain_pending(chain.SECURITY, batch=4) == 6
    events(2)  # and the triggers go on from there
    assert chain.verify(chain.SECURITY).intact
    assert chain.verify(chain.SECURITY).count == 8


def test_after_a_purge_the_rest_of_the_chain_still_verifies_and_the_purge_is_recorded(db, chained, settings):
    settings.DUBAN_SECURITY_LOG_RETENTION_DAYS = 183
    with guards_lifted("audit_securityevent") as cursor:  # three entries written 400 days ago
        for n in range(3):
            cursor.execute(
                "INSERT INTO audit_securityevent (at, kind, username, channel, path, detail) "
                "VALUES (%s, 'login', %s, 'web', '', '')",
                [timezone.now() - timedelta(days=400), f"old{n}"],
            )
    chain.chain_pending(chain.SECURITY)
    events(2, "young")
    before = (timezone.localdate() - timedelta(days=200)).isoformat()
    call_command("purge_security_log", "--before", before)
    left = list(SecurityEvent.objects.order_by("chain_seq").values_list("username", flat=True))
    assert left == ["young0", "young1", ""]
    assert ChainHead.objects.get(name="audit_securityevent").anchor_seq == 3
    verdict = chain.verify(chain.SECURITY)
    assert verdict.intact and verdict.count == 3
    purge = SecurityEvent.objects.get(kind=SecurityEventKind.LOG_PURGED)
    assert purge.user_id is None and purge.detail.endswith(": 3")


def test_the_chain_covers_every_column_of_both_logs():
    for item in chain.CHAINS:
        model = AuditEntry if item is chain.CHANGES else SecurityEvent
        columns = {field.column for field in model._meta.concrete_fields} - {"chain_seq", "chain_hash"}
        assert set(item.columns) == columns, item.table


def test_the_guards_and_the_chain_triggers_are_in_place(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"audit_auditentry_chain", "audit_securityevent_chain"} <= names
    if connection.vendor == "postgresql":
        assert {"audit_entry_append_only", "audit_security_event_guard"} <= names
        assert {
            f"{t}_no_truncate" for t in ("audit_auditentry", "audit_securityevent", "audit_chainhead")
        } <= names
    else:
        assert {
            "audit_entry_no_update",
            "audit_entry_chained_once",
            "audit_security_event_no_update",
        } <= names


@POSTGRES_ONLY
@pytest.mark.parametrize("table", ["audit_auditentry", "audit_securityevent", "audit_chainhead"])
def test_the_logs_cannot_be_truncated(db, table):
    with pytest.raises(DatabaseError, match="不可清空"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_concurrent_commits_keep_the_chain_linear():
    writers, per_writer = 6, 5
    start = threading.Barrier(writers)
    failures = []

    def write(n: int) -> None:
        try:
            start.wait()
            for round_ in range(per_writer):
                with transaction.atomic(), connection.cursor() as cursor:
                    record(SecurityEventKind.LOGIN_FAILED, username=f"w{n}", detail=f"{round_}a")
                    cursor.execute("SELECT pg_sleep(0.01)")  # the transactions overlap
                    record(SecurityEventKind.LOGIN_FAILED, username=f"w{n}", detail=f"{round_}b")
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    rows = list(SecurityEvent.objects.order_by("chain_seq").values_list("chain_seq", "username", "detail"))
    assert [seq for seq, *_ in rows] == list(range(1, writers * per_writer * 2 + 1))
    # each transaction's two entries are chained together, one transaction after another
    for (_, first_user, first), (_, second_user, second) in zip(rows[::2], rows[1::2], strict=True):
        assert (first_user, first[:-1]) == (second_user, second[:-1])
    verdict = chain.verify(chain.SECURITY, batch=7)
    assert verdict.intact and verdict.count == writers * per_writer * 2


@POSTGRES_ONLY
def test_entries_moved_by_loaddata_keep_their_fields_and_are_chained_afresh(city, chained):
    """The move from SQLite to PostgreSQL (docs/operations.md) dumps the entries with their chain
    values and loads them into an empty database: they keep what they recorded (the channel, the
    actor) and the chain values they bring are dropped, so they form the new database's own chain."""
    from django.core import serializers

    from duban.audit.context import audit_context
    from duban.audit.models import Channel

    with audit_context(channel=Channel.WEB):
        organisation.unit_update(
            unit=city.housing, by=city.office, expected_version=city.housing.version, short_name="住建"
        )
        record(SecurityEventKind.LOGIN, username="moved")
    dumped = serializers.serialize("json", [*AuditEntry.objects.all(), *SecurityEvent.objects.all()])
    before = {e.pk: (e.channel, e.actor_id) for e in AuditEntry.objects.all()}
    for table in ("audit_auditentry", "audit_securityevent", "audit_chainhead"):
        with guards_lifted(table) as cursor:
            cursor.execute(f"DELETE FROM {table}")
    with audit_context(channel=Channel.COMMAND):
        for item in serializers.deserialize("json", dumped):
            item.save()
    assert {e.pk: (e.channel, e.actor_id) for e in AuditEntry.objects.all()} == before
    for log in chain.CHAINS:
        verdict = chain.verify(log)
        assert verdict.intact and verdict.count > 0
