"""Backup and restore: the database and the uploaded files together, in one archive that checks itself.

`duban backup FILE` and `duban restore FILE` (docs/operations.md) call these:

- `create_backup(path)`: the database (SQLite's online backup API, or pg_dump's custom format) and
  every file under MEDIA_ROOT, with a manifest of SHA-256 checksums, the engine, the applied
  migrations and every table's row count (archive.py, engines.py). The platform keeps serving.
- `verify_backup(path)`: read the whole archive and check every checksum; changes nothing.
- `restore_backup(path, force=False)`: unpack into a staging folder and verify every checksum, then
  refuse (before touching anything) a backup of the other engine, one from a newer schema than this
  program's, and a target database or upload folder that already holds data unless `force`; then
  load the database in one transaction, put the files in place, and check every table's row count
  against the manifest.

Why no restore across engines: a dump is the engine's own format (pg_dump's archive, SQLite's
pages), and the schema differs between them where the migrations differ by vendor (the audit
trail's triggers). Moving between engines is a migration of its own (load the data into a
freshly migrated database of the other engine with `dumpdata`/`loaddata`), not a restore; a
restore that quietly did it would return a database whose guarantees differ from the one saved.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from ..errors import Conflict, Invalid
from .archive import (
    DATABASE_DIR,
    FORMAT,
    FORMAT_VERSION,
    MEDIA_DIR,
    ArchiveWriter,
    Progress,
    megabytes,
    read_archive,
)
from .engines import DUMP_NAMES, DUMPERS, ENGINE_NAMES, RESTORERS, ToolFailed, engine_of, table_counts

__all__ = ["Progress", "ToolFailed", "create_backup", "restore_backup", "verify_backup"]

log = logging.getLogger("duban.backup")

# The restore unpacks into a folder inside MEDIA_ROOT (the same file system, so the files are moved
# into place, not copied); a backup leaves such a folder out.
STAGING_PREFIX = ".duban-restore-"


def _application_version() -> str:
    try:
        return metadata.version("duban")
    except metadata.PackageNotFoundError:
        return "unknown"


def _media_files(media_root: Path):
    """Every uploaded file under MEDIA_ROOT, in a stable order (symbolic links and staging left out)."""
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        relative = path.relative_to(media_root)
        if relative.parts[0].startswith(STAGING_PREFIX) or path.is_symlink() or not path.is_file():
            continue
        yield path, relative


def create_backup(path: Path, *, using: str = "default", progress: Progress | None = None) -> dict:
    """Write the backup to `path` (refused if it exists); returns its manifest."""
    progress = progress or Progress()
    path = Path(path)
    if path.exists() or path.with_name(path.name + ".partial").exists():
        raise Invalid(_("文件 %(path)s 已存在，未覆盖。请换一个文件名（例如带上日期）。") % {"path": path})
    if not path.parent.is_dir():
        raise Invalid(_("目录 %(path)s 不存在。") % {"path": path.parent})
    connection = connections[using]
    engine = engine_of(connection)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=".duban-backup-", dir=path.parent) as work:
        dump = Path(work) / DUMP_NAMES[engine]
        progress.say(_("正在备份数据库（%(engine)s）……") % {"engine": ENGINE_NAMES[engine]})
        database = DUMPERS[engine](connection, dump, progress)
        writer = ArchiveWriter(path)
        try:
            writer.add_file(dump, f"{DATABASE_DIR}/{dump.name}")
            progress.say(_("正在备份上传的文件……"))
            media = _add_media(writer, Path(settings.MEDIA_ROOT), progress)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "application_version": _application_version(),
                "engine": engine,
                "database": {
                    "member": f"{DATABASE_DIR}/{dump.name}",
                    "tool": database["tool"],
                    "server_version": database.get("server_version"),
                },
                "migrations": database["migrations"],
                "tables": database["tables"],
                "media": media,
            }
            writer.finish(manifest)
        except BaseException:
            writer.abort()
            raise
    progress.say(
        _(
            "备份完成：%(path)s（%(size)s，%(tables)d 张表 %(rows)d 行，%(files)d 个上传文件，用时 %(seconds).1f 秒）。"
        )
        % {
            "path": path,
            "size": megabytes(path.stat().st_size),
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": media["files"],
            "seconds": time.monotonic() - started,
        }
    )
    return manifest


def _add_media(writer: ArchiveWriter, media_root: Path, progress: Progress) -> dict:
    files = size = 0
    for source, relative in _media_files(media_root):
        try:
            writer.add_file(source, f"{MEDIA_DIR}/{relative.as_posix()}")
        except FileNotFoundError:  # deleted while the backup ran: it is no longer the platform's
            continue
        files += 1
        size += source.stat().st_size
        progress.tick(
            _("上传的文件：已备份 %(count)d 个（%(size)s）……") % {"count": files, "size": megabytes(size)}
        )
    return {"files": files, "bytes": size}


def verify_backup(path: Path, *, progress: Progress | None = None) -> dict:
    """Read the whole archive and check every member against the manifest; returns the manifest."""
    return read_archive(Path(path), staging=None, progress=progress or Progress())


def _code_migrations() -> tuple[set[tuple[str, str]], set[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations), set(loader.migrated_apps)


def _check_migrations(manifest: dict) -> list[tuple[str, str]]:
    """Refuse a backup whose schema is newer than this program's; return the migrations this
    program has that the backup lacks (the operator runs `duban migrate` after the restore)."""
    on_disk, apps_with_migrations = _code_migrations()
    recorded = {
        (app, name)
        for app, names in manifest.get("migrations", {}).items()
        if app in apps_with_migrations
        for name in names
    }
    newer = sorted(recorded - on_disk)
    if newer:
        raise Invalid(
            _(
                "这份备份来自较新版本的督办平台（数据库结构含本程序没有的迁移 %(names)s）：请先升级程序，再恢复。"
            )
            % {"names": "、".join(f"{app}.{name}" for app, name in newer[:3])}
        )
    return sorted(on_disk - recorded)


def _data_tables() -> list[str]:
    """The tables that hold data in any database in use: the accounts and the audit trail."""
    labels = (settings.AUTH_USER_MODEL, "audit.AuditEntry", "audit.SecurityEvent")
    return [apps.get_model(label)._meta.db_table for label in labels]


def _target_contents(connection, engine: str, media_root: Path) -> tuple[dict[str, int], int]:
    with connection.cursor() as cursor:
        counts = table_counts(cursor, engine)
    held = {table: counts[table] for table in _data_tables() if counts.get(table)}
    files = sum(1 for _file in _media_files(media_root))
    return held, files


def _refuse_a_target_with_data(connection, engine: str, media_root: Path) -> None:
    held, files = _target_contents(connection, engine, media_root)
    if not held and not files:
        return
    parts = [
        _("%(table)s 表 %(count)d 行") % {"table": table, "count": count} for table, count in held.items()
    ]
    if files:
        parts.append(_("上传目录 %(path)s 中 %(count)d 个文件") % {"path": media_root, "count": files})
    raise Conflict(
        _(
            "目标已有数据（%(found)s），未做任何更改。恢复只写入空的数据库和空的上传目录；"
            "确认要用备份替换其中的全部内容，请先另做一份备份，再加 --force。"
        )
        % {"found": "、".join(parts)}
    )


def _put_media_in_place(staged: Path, media_root: Path, staging: Path) -> None:
    """Empty MEDIA_ROOT (all but the staging folder) and move the backup's files in."""
    for entry in media_root.iterdir():
        if entry == staging:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if staged.is_dir():
        for entry in staged.iterdir():
            entry.rename(media_root / entry.name)


def restore_backup(
    path: Path, *, using: str = "default", force: bool = False, progress: Progress | None = None
) -> dict:
    """Restore the backup at `path` into the configured database and MEDIA_ROOT; returns a summary."""
    progress = progress or Progress()
    connection = connections[using]
    engine = engine_of(connection)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    started = time.monotonic()
    try:
        progress.say(_("正在读取并校验备份文件 %(path)s……") % {"path": path})
        manifest = read_archive(Path(path), staging=staging, progress=progress)
        if manifest["engine"] != engine:
            raise Invalid(
                _(
                    "这份备份取自 %(theirs)s 数据库，当前配置的是 %(ours)s（DATABASE_URL）。不支持跨数据库类型恢复："
                    "请恢复到 %(theirs)s 数据库（见 docs/operations.md）。"
                )
                % {
                    "theirs": ENGINE_NAMES.get(manifest["engine"], manifest["engine"]),
                    "ours": ENGINE_NAMES[engine],
                }
            )
        pending = _check_migrations(manifest)
        if not force:
            _refuse_a_target_with_data(connection, engine, media_root)
        progress.say(_("校验通过。正在恢复数据库（%(engine)s）……") % {"engine": ENGINE_NAMES[engine]})
        RESTORERS[engine](connection, staging.joinpath(*manifest["database"]["member"].split("/")), progress)
        progress.say(_("正在恢复上传的文件（%(count)d 个）……") % {"count": manifest["media"]["files"]})
        _put_media_in_place(staging / MEDIA_DIR, media_root, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary = _check_restored(connection, engine, manifest, media_root)
    log.warning("restored the database and %d uploaded files from %s", summary["files"], path)
    progress.say(
        _(
            "恢复完成，用时 %(seconds).1f 秒：%(tables)d 张表 %(rows)d 行、%(files)d 个上传文件，与备份清单一致。"
        )
        % {**summary, "seconds": time.monotonic() - started}
    )
    if pending:
        progress.say(
            _("备份的数据库结构早于本程序（%(count)d 个迁移待执行）：请运行 duban migrate 完成升级。")
            % {"count": len(pending)}
        )
    return {**summary, "pending_migrations": pending, "manifest": manifest}


def _check_restored(connection, engine: str, manifest: dict, media_root: Path) -> dict:
    with connection.cursor() as cursor:
        counts = table_counts(cursor, engine)
    files = sum(1 for _file in _media_files(media_root))
    wrong = sorted(
        table
        for table in manifest["tables"].keys() | counts.keys()
        if manifest["tables"].get(table) != counts.get(table)
    )
    if wrong or files != manifest["media"]["files"]:
        raise ToolFailed(
            _("恢复后的内容与备份清单不符（%(tables)s；上传文件 %(files)d 个，清单 %(expected)d 个）。")
            % {"tables": "、".join(wrong[:5]) or "—", "files": files, "expected": manifest["media"]["files"]}
        )
    return {"tables": len(counts), "rows": sum(counts.values()), "files": files}
