"""`duban backup` and `duban restore`: the database and the uploaded files come back exactly, on SQLite and
on PostgreSQL; a damaged archive, a backup of the other engine or of a newer schema, and a target that
holds data are refused before anything is touched."""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from duban.accounts.models import User
from duban.audit.models import AuditEntry
from duban.core.backup import Progress, ToolFailed, create_backup, restore_backup
from duban.core.backup.archive import FORMAT, FORMAT_VERSION, ArchiveWriter
from duban.core.backup.engines import DUMP_NAMES
from duban.core.errors import Conflict, Invalid
from duban.directives.tests.factories import DirectiveFactory
from duban.organisation.models import Unit
from duban.organisation.services import unit_update

from .databases import (
    POSTGRES_TOOLS,
    contents,
    copy_of_the_test_database,
    files_under,
    registered,
    scratch_database,
    suite_engine,
)

PROJECT = Path(settings.PROJECT_DIR)
# A scanned page, a Chinese document title past 84 characters' worth of bytes, and a nested folder.
UPLOADS = {
    "evidence/2026/03/关于加快推进城市更新重点项目建设进度的情况报告（第一季度）.pdf": b"%PDF-1.7\n"
    + bytes(range(256)) * 40,
    "notices/督办通知.docx": b"PK\x03\x04" + os.urandom(3000),
    "bulletins/empty-looking.txt": b"\x00\x01\x02",
}


@pytest.fixture
def platform_in_use(transactional_db, city):
    """A city with work in it: directives with co-units, an edit in the audit trail, uploaded files."""
    DirectiveFactory(lead_unit=city.finance, co_units=[city.housing, city.county])
    DirectiveFactory(lead_unit=city.county, title="乡村振兴示范点建设")
    unit_update(unit=city.housing, by=city.office, expected_version=city.housing.version, short_name="住建局")
    for name, data in UPLOADS.items():
        default_storage.save(name, ContentFile(data))
    return city


def _needs(engine: str) -> None:
    if engine == "postgresql":
        missing = [tool for tool in POSTGRES_TOOLS if shutil.which(tool) is None]
        if missing:
            pytest.skip(f"PostgreSQL client tools missing: {', '.join(missing)}")


def _restore_in_a_fresh_process(archive: Path, url: str, data_dir: Path, *extra: str):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DUBAN_DATA_DIR": str(data_dir),
        "DUBAN_MEDIA_ROOT": str(data_dir / "media"),
        "PYTHONPATH": str(PROJECT),
    }
    command = [sys.executable, "-m", "duban.cli", "restore", str(archive), *extra]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT, timeout=300)


def _back_up_a_platform_in_use(engine: str, archive: Path, tmp_path: Path, stack: ExitStack):
    """Back up the test database, or, when the suite runs on the other engine, a copy of it."""
    source = "default"
    if engine != suite_engine():
        source_config, _url = stack.enter_context(scratch_database(engine, "source", tmp_path))
        stack.enter_context(registered("backup_source", source_config))
        source = "backup_source"
        copy_of_the_test_database(source)
    lines = []
    manifest = create_backup(archive, using=source, progress=Progress(lines.append, interval=0))
    return manifest, contents(source), lines


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_round_trip_into_an_empty_database_brings_back_every_row_the_audit_trail_and_the_files(
    platform_in_use, tmp_path, engine
):
    _needs(engine)
    archive = tmp_path / "backup.tar.gz"
    with ExitStack() as stack:
        manifest, expected, lines = _back_up_a_platform_in_use(engine, archive, tmp_path, stack)
    assert manifest["engine"] == engine and manifest["media"]["files"] == len(UPLOADS)
    assert manifest["tables"] == {table: len(rows) for table, rows in expected.items()}
    assert len(expected[AuditEntry._meta.db_table]) >= 10
    assert lines[0].startswith("正在备份数据库") and lines[-1].startswith("备份完成")

    with scratch_database(engine, "target", tmp_path) as (target_config, target_url):
        target_dir = tmp_path / "restored"
        finished = _restore_in_a_fresh_process(archive, target_url, target_dir)
        assert finished.returncode == 0, finished.stderr
        assert "恢复完成" in finished.stdout and "与备份清单一致" in finished.stdout
        with registered("backup_target", target_config):
            restored = contents("backup_target")
    assert restored.keys() == expected.keys()
    assert restored[AuditEntry._meta.db_table] == expected[AuditEntry._meta.db_table]
    assert {t: len(r) for t, r in restored.items()} == {t: len(r) for t, r in expected.items()}
    assert restored == expected
    assert files_under(target_dir / "media") == UPLOADS


def test_restore_replaces_the_live_database_and_files_only_when_forced(platform_in_use, tmp_path):
    archive = tmp_path / "backup.tar"
    create_backup(archive)
    before, audit_before = contents("default"), AuditEntry.objects.count()
    # Life goes on after the backup: a new unit, an upload deleted, another added.
    Unit.objects.create(
        code="C-NEW", name="新设单位", short_name="新单位", kind="department", parent=platform_in_use.root
    )
    default_storage.delete("notices/督办通知.docx")
    default_storage.save("evidence/later.pdf", ContentFile(b"%PDF later"))

    with pytest.raises(Conflict, match="--force"):
        restore_backup(archive)
    assert Unit.objects.filter(code="C-NEW").exists()  # refused: nothing touched

    lines = []
    summary = restore_backup(archive, force=True, progress=Progress(lines.append))
    assert contents("default") == before
    assert AuditEntry.objects.count() == audit_before
    assert not Unit.objects.filter(code="C-NEW").exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == UPLOADS
    assert summary["files"] == len(UPLOADS) and summary["pending_migrations"] == []
    assert lines[-1].startswith("恢复完成")


def _member_offset(archive: Path, name: str) -> int:
    with tarfile.open(archive) as tar:
        return tar.getmember(name).offset_data


def test_a_damaged_archive_is_refused_by_its_checksums_before_anything_is_touched(platform_in_use, tmp_path):
    archive = tmp_path / "backup.tar"
    create_backup(archive)
    data = bytearray(archive.read_bytes())
    data[_member_offset(archive, "media/notices/督办通知.docx") + 100] ^= 0xFF
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    users = User.objects.count()
    Unit.objects.create(
        code="C-AFTER", name="之后新设", short_name="之后", kind="department", parent=platform_in_use.root
    )

    with pytest.raises(Invalid) as refused:
        restore_backup(damaged, force=True)
    assert (
        "已损坏" in refused.value.message
        and "notices/督办通知.docx 的 SHA-256 校验和不符" in refused.value.message
    )
    assert Unit.objects.filter(code="C-AFTER").exists() and User.objects.count() == users
    assert files_under(Path(settings.MEDIA_ROOT)) == UPLOADS
    assert [p.name for p in Path(settings.MEDIA_ROOT).iterdir() if p.name.startswith(".")] == []

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: len(data) // 2])
    with pytest.raises(Invalid, match="已损坏或不完整"):
        restore_backup(truncated, force=True)
    assert Unit.objects.filter(code="C-AFTER").exists()


def test_the_command_verifies_a_backup_without_changing_anything(platform_in_use, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    out = io.StringIO()
    call_command("restore", str(archive), "--verify-only", stdout=out)
    assert "备份文件完好" in out.getvalue() and "SHA-256 全部相符" in out.getvalue()
    with pytest.raises(CommandError, match="已存在") as refused:
        call_command("backup", str(archive), stdout=io.StringIO())
    assert refused.value.returncode == 2
    with pytest.raises(CommandError, match="找不到备份文件") as refused:
        call_command("restore", str(tmp_path / "absent.tar"), stdout=io.StringIO())
    assert refused.value.returncode == 2


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections["default"]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _crafted(tmp_path: Path, changes: dict, members: dict[str, bytes] | None = None, *, source=None) -> Path:
    """A well-formed archive (every checksum right) whose manifest says what the test wants: a real
    backup repacked, or, without `source`, one whose database member is a stand-in (for refusals
    that come before the database is read)."""
    unpacked = tmp_path / f"unpacked-{secrets.token_hex(4)}"
    if source is not None:
        with tarfile.open(source) as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())
            tar.extractall(unpacked, filter="data")
        names = list(manifest.pop("members"))
    else:
        engine = suite_engine()
        contents_by_name = {f"database/{DUMP_NAMES[engine]}": b"a stand-in for the dump"}
        contents_by_name |= {f"media/{name}": data for name, data in UPLOADS.items()}
        for name, data in contents_by_name.items():
            (unpacked / name).parent.mkdir(parents=True, exist_ok=True)
            (unpacked / name).write_bytes(data)
        names = list(contents_by_name)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": "2026-03-31T01:30:00+00:00",
            "application_version": "test", "engine": engine,
            "database": {"member": names[0], "tool": "test"}, "migrations": _applied_migrations(),
            "tables": {}, "media": {"files": len(UPLOADS), "bytes": sum(map(len, UPLOADS.values()))},
        }  # fmt: skip
    path = tmp_path / f"crafted-{secrets.token_hex(4)}.tar"
    writer = ArchiveWriter(path)
    for name in names:
        writer.add_file(unpacked / name, name)
    for name, data in (members or {}).items():
        (tmp_path / "extra").write_bytes(data)
        writer.add_file(tmp_path / "extra", name)
    writer.finish({**manifest, **changes})
    return path


@pytest.fixture
def uploads(db):
    for name, data in UPLOADS.items():
        default_storage.save(name, ContentFile(data))


def test_a_backup_of_the_other_engine_is_refused_with_the_reason(uploads, tmp_path):
    other = "postgresql" if suite_engine() == "sqlite" else "sqlite"
    with pytest.raises(Invalid, match="不支持跨数据库类型恢复"):
        restore_backup(_crafted(tmp_path, {"engine": other}), force=True)
    assert files_under(Path(settings.MEDIA_ROOT)) == UPLOADS


def test_a_backup_from_a_newer_schema_is_refused_and_an_older_one_asks_for_migrate(platform_in_use, tmp_path):
    real = tmp_path / "real.tar"
    create_backup(real)
    with tarfile.open(real) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    newer = {
        **manifest["migrations"],
        "directives": [*manifest["migrations"]["directives"], "9999_from_the_future"],
    }
    with pytest.raises(Invalid, match="较新版本"):
        restore_backup(_crafted(tmp_path, {"migrations": newer}, source=real), force=True)

    older = {**manifest["migrations"], "directives": manifest["migrations"]["directives"][:-1]}
    lines = []
    summary = restore_backup(
        _crafted(tmp_path, {"migrations": older}, source=real), force=True, progress=Progress(lines.append)
    )
    assert summary["pending_migrations"] == [("directives", manifest["migrations"]["directives"][-1])]
    assert "duban migrate" in lines[-1]


@pytest.mark.parametrize(
    "name", ["../outside.txt", "/etc/duban.txt", "media/../../outside.txt", "other/file.txt"]
)
def test_an_archive_with_a_member_outside_its_layout_is_refused(uploads, tmp_path, name):
    with pytest.raises(Invalid, match="不属于督办平台备份"):
        restore_backup(_crafted(tmp_path, {}, {name: b"x"}), force=True)
    assert not (tmp_path / "outside.txt").exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == UPLOADS


def test_a_member_the_manifest_does_not_list_is_refused(uploads, tmp_path):
    path = _crafted(tmp_path, {}, {"media/smuggled.exe": b"MZ"})
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert "media/smuggled.exe" in manifest["members"]  # the writer listed it: drop it from the manifest
    manifest["members"].pop("media/smuggled.exe")
    rewritten = tmp_path / "rewritten.tar"
    with tarfile.open(path) as source, tarfile.open(rewritten, "w", format=tarfile.PAX_FORMAT) as out:
        for member in source:
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))
            else:
                out.addfile(member, source.extractfile(member))
    with pytest.raises(Invalid, match="清单未列出 media/smuggled.exe"):
        restore_backup(rewritten, force=True)


def test_a_file_that_is_not_a_backup_is_refused(db, tmp_path):
    path = tmp_path / "notes.tar"
    path.write_bytes(b"just some text, not a tar archive" * 100)
    with pytest.raises(Invalid, match="已损坏或不完整"):
        restore_backup(path)


def test_a_postgresql_restore_that_fails_half_way_leaves_the_target_as_it_was(platform_in_use, tmp_path):
    _needs("postgresql")
    archive = tmp_path / "backup.tar"
    with ExitStack() as stack:
        _back_up_a_platform_in_use("postgresql", archive, tmp_path, stack)
    with (
        scratch_database("postgresql", "target", tmp_path) as (config, _url),
        registered("backup_target", config),
    ):
        with connections["backup_target"].cursor() as cursor:
            cursor.execute("CREATE TABLE keep_me (note text)")
            cursor.execute("INSERT INTO keep_me VALUES ('这里原有的数据')")
            # A type named like a table of the dump: its CREATE TABLE fails well after the schema was emptied.
            cursor.execute(f"CREATE TYPE {User._meta.db_table} AS (x integer)")
        with pytest.raises(ToolFailed, match="psql 执行失败"):
            restore_backup(archive, using="backup_target", force=True)
        with connections["backup_target"].cursor() as cursor:
            cursor.execute("SELECT note FROM keep_me")
            assert cursor.fetchall() == [("这里原有的数据",)]
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            assert cursor.fetchone() == (1,)
    assert files_under(Path(settings.MEDIA_ROOT)) == UPLOADS


@pytest.mark.parametrize("change", [{"engine": 5}, {"tables": None}, {"format": "something-else"}])
def test_a_manifest_that_cannot_be_read_is_refused(uploads, tmp_path, change):
    with pytest.raises(Invalid, match="manifest.json 无法识别"):
        restore_backup(_crafted(tmp_path, change), force=True)
    assert files_under(Path(settings.MEDIA_ROOT)) == UPLOADS
