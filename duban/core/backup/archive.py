"""The backup archive: one tar file, every member's SHA-256 in its manifest, read back only when whole.

Layout (a plain tar, or gzip-compressed when the name ends in .gz or .tgz; PAX headers, so Chinese
and long file names are kept exactly):

    database/duban.sqlite3 | database/duban.pgdump   the database (SQLite copy or pg_dump custom format)
    media/<path>                                     every uploaded file, at its path under MEDIA_ROOT
    manifest.json                                    last: format, engine, migrations, row counts,
                                                     and {"members": {name: {"sha256", "size"}}}

Each member is hashed while it is written (one read of each file), and the manifest is written last
from those hashes. The archive is written under FILE.partial and renamed when complete, so a backup
that stops half-way never carries the final name. Reading hashes every member while it is unpacked
into a staging folder (or only hashed, to verify) and refuses the archive unless every member is
named in the manifest with the same hash and size and every manifest entry is there.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from ..errors import Invalid

FORMAT = "duban-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


class Progress:
    """Lines for the operator while a long step runs: `say` always, `tick` at most every `interval` s."""

    def __init__(self, write: Callable[[str], None] | None = None, *, interval: float = 2.0):
        self._write = write or (lambda text: None)
        self.interval = interval
        self._last = time.monotonic()

    def say(self, text: str) -> None:
        self._write(text)
        self._last = time.monotonic()

    def tick(self, text: str) -> None:
        if time.monotonic() - self._last >= self.interval:
            self.say(text)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


class _Hashing:
    """A reader that hashes and counts what passes through it."""

    def __init__(self, handle):
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _compressed(path: Path) -> bool:
    return path.name.endswith((".gz", ".tgz"))


class ArchiveWriter:
    """Write members, then the manifest; the file appears under its name only when complete."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        mode = "w:gz" if _compressed(path) else "w"
        self._tar = tarfile.open(fileobj=self._file, mode=mode, format=tarfile.PAX_FORMAT)  # noqa: SIM115 (closed in finish/abort)
        self.members: dict[str, dict] = {}
        self.written = 0

    def add_file(self, source: Path, name: str) -> None:
        stat = source.stat()
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        with source.open("rb") as handle:
            reader = _Hashing(handle)
            self._tar.addfile(info, reader)
        self.members[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
        self.written += reader.size

    def finish(self, manifest: dict) -> None:
        data = json.dumps({**manifest, "members": self.members}, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        try:
            self._tar.close()
            self._file.close()
        finally:
            self.partial.unlink(missing_ok=True)


def _corrupt(path: Path, detail: str) -> Invalid:
    return Invalid(
        _("备份文件 %(path)s 已损坏或不完整，未做任何更改：%(detail)s") % {"path": path, "detail": detail}
    )


def _member_path(name: str) -> PurePosixPath | None:
    """The member's relative path when it is one a Duban backup holds (no absolute path, no ..)."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        return None
    if path.parts[0] not in (DATABASE_DIR, MEDIA_DIR) or len(path.parts) < 2:
        return None
    return path


def _copy(source, destination: Path | None) -> dict:
    reader = _Hashing(source)
    if destination is None:
        while reader.read(CHUNK):
            pass
    else:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("wb") as out:
            while chunk := reader.read(CHUNK):
                out.write(chunk)
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _unpack_members(tar, path: Path, staging: Path | None, progress: Progress) -> tuple[dict, bytes | None]:
    seen: dict[str, dict] = {}
    manifest = None
    done = 0
    for member in tar:
        if member.name == MANIFEST and member.isfile() and member.size <= MAX_MANIFEST_BYTES:
            manifest = tar.extractfile(member).read()
            continue
        relative = _member_path(member.name)
        if relative is None or not member.isfile() or member.name in seen:
            raise _corrupt(path, _("其中有不属于督办平台备份的内容“%(name)s”。") % {"name": member.name})
        destination = staging.joinpath(*relative.parts) if staging is not None else None
        seen[member.name] = _copy(tar.extractfile(member), destination)
        done += member.size
        progress.tick(
            _("已读取并校验 %(count)d 个文件（%(size)s）……") % {"count": len(seen), "size": megabytes(done)}
        )
    return seen, manifest


def read_archive(path: Path, *, staging: Path | None, progress: Progress) -> dict:
    """The manifest of the backup at `path`, once every member has been read and found as it says.

    With `staging`, the members are unpacked there (database/…, media/…); without, only hashed.
    Raises Invalid (in the user's language) for a file that is missing, not a backup, or damaged."""
    if not path.is_file():
        raise Invalid(_("找不到备份文件 %(path)s。") % {"path": path})
    try:
        with tarfile.open(path, mode="r:*") as tar:
            seen, manifest_bytes = _unpack_members(tar, path, staging, progress)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise _corrupt(path, _("读取归档时出错（%(error)s）。") % {"error": type(error).__name__}) from error
    if manifest_bytes is None:
        raise _corrupt(path, _("归档中没有清单 manifest.json。"))
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        manifest = None
    if not _readable(manifest):
        raise _corrupt(path, _("清单 manifest.json 无法识别。"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise Invalid(
            _("备份文件的格式版本 %(found)s 不受支持（本程序读取版本 %(ours)s）。")
            % {"found": manifest.get("format_version"), "ours": FORMAT_VERSION}
        )
    _compare(path, manifest["members"], seen)
    return manifest


# What a manifest holds, and of which type (a restore reads each of them).
MANIFEST_FIELDS = {
    "members": dict,
    "engine": str,
    "database": dict,
    "migrations": dict,
    "tables": dict,
    "media": dict,
}


def _readable(manifest) -> bool:
    return (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and all(isinstance(manifest.get(key), kind) for key, kind in MANIFEST_FIELDS.items())
        and isinstance(manifest["database"].get("member"), str)
        and isinstance(manifest["media"].get("files"), int)
    )


def _compare(path: Path, expected: dict, seen: dict) -> None:
    changed = sorted(name for name in expected.keys() & seen.keys() if expected[name] != seen[name])
    missing = sorted(expected.keys() - seen.keys())
    extra = sorted(seen.keys() - expected.keys())
    problems = []
    if changed:
        problems.append(_("%(names)s 的 SHA-256 校验和不符") % {"names": "、".join(changed[:5])})
    if missing:
        problems.append(_("缺少 %(names)s") % {"names": "、".join(missing[:5])})
    if extra:
        problems.append(_("清单未列出 %(names)s") % {"names": "、".join(extra[:5])})
    if problems:
        raise _corrupt(path, _("%(problems)s。请换用另一份备份。") % {"problems": "；".join(problems)})
