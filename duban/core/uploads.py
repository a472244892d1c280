"""Uploaded files: checked before anything reads them, and stored under names every file system takes.

- `check_upload(upload, allowed=EVIDENCE)`: every service that takes a file calls it first. The type
  by extension and by content (a signature at the start of the file; for the zip containers what they
  hold: an OFD document holds OFD.xml, a .docx its document part), the size, no program or macro
  carried inside, and the antivirus hook. Archives are never unpacked on the server: only a zip's
  directory is read.
- `UploadStorage`: the default storage (`STORAGES["default"]`); a name over the file system's 255
  bytes (84 Chinese characters: an ordinary official document's title) is shortened, keeping its
  extension.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
# The OLE2 compound file of the older office formats: Word 97–2003 (.doc), Excel (.xls), and the
# Kingsoft WPS Office ones (.wps, .et).
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# The first bytes of each accepted type: an extension alone is not trusted.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (ZIP,),
    ".docx": (ZIP,),
    ".doc": (OLE2,),
    ".xls": (OLE2,),
    ".wps": (OLE2,),
    ".et": (OLE2,),
    ".ofd": (ZIP,),
    ".zip": (ZIP,),
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
}

# What a zip container of this type must hold (its directory is read, nothing is unpacked).
CONTAINER_ENTRIES: dict[str, tuple[str, ...]] = {
    ".ofd": ("OFD.xml",),
    ".docx": ("word/document.xml", "[Content_Types].xml"),
    ".xlsx": ("xl/workbook.xml", "[Content_Types].xml"),
}
OFFICE = (".docx", ".xlsx")
# What no container may carry: programs and scripts, and (in office documents) macros.
EXECUTABLE = (
    ".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".msi", ".ps1", ".vbs", ".vbe", ".js", ".jse",
    ".wsf", ".hta", ".jar", ".sh", ".lnk", ".cpl",
)  # fmt: skip
MACROS = "vbaproject.bin"

SPREADSHEET = (".xlsx",)
# Evidence of progress: what units produce every week, including the national electronic document
# format (OFD), the older and the WPS office formats, and zip archives (kept as they are).
EVIDENCE = (".pdf", ".ofd", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".png", ".jpg", ".jpeg", ".zip")


def _refuse(upload, reason: str) -> ValidationError:
    """The refusal, naming the file (a report may carry several)."""
    name = PurePath(getattr(upload, "name", "") or "").name
    if not name:
        return ValidationError(reason)
    return ValidationError(_("文件“%(name)s”未能接收：%(reason)s") % {"name": name, "reason": reason})


def _container_problem(upload, extension: str) -> str | None:
    """Why a zip-based file is not what its name says, or carries what none may (None when it is fine)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return _("文件内容与扩展名“%(ext)s”不符，可能已损坏或不是该类型的文件。") % {"ext": extension}
    finally:
        upload.seek(0)
    names = {member.filename.lower() for member in members}
    missing = [entry for entry in CONTAINER_ENTRIES.get(extension, ()) if entry.lower() not in names]
    if missing:
        if extension in OFFICE:
            return _("文件内容与扩展名“%(ext)s”不符，可能已损坏或不是该类型的文件。") % {"ext": extension}
        return _("这不是有效的 %(ext)s 文件（压缩包内没有 %(entry)s）。") % {
            "ext": extension,
            "entry": missing[0],
        }
    carried = [
        PurePath(name).name
        for name in sorted(names)
        if name.endswith(EXECUTABLE) or (extension in OFFICE and PurePath(name).name == MACROS)
    ]
    if carried:
        return _(
            "文件中夹带了程序或宏（%(names)s），出于安全考虑不予接收。请另存为不含宏的文档后再上传。"
        ) % {"names": "、".join(carried[:3])}
    limit = settings.DUBAN_IMPORT_MAX_UNPACKED_MB
    if extension in OFFICE and sum(member.file_size for member in members) > limit * 1024 * 1024:
        return _("文件解压后过大，上限为 %(max)d MB。") % {"max": limit}
    return None


def _problem(upload, *, allowed: tuple[str, ...], max_mb: int) -> str | None:
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in allowed:
        return _("不支持的文件类型“%(ext)s”，请上传 %(allowed)s 文件。") % {
            "ext": extension or _("无扩展名"),
            "allowed": "、".join(allowed),
        }
    if upload.size > max_mb * 1024 * 1024:
        return _("文件过大（%(size).1f MB），上限为 %(max)d MB。") % {
            "size": upload.size / 1024 / 1024,
            "max": max_mb,
        }
    if upload.size == 0:
        return _("文件是空的。")
    signatures = SIGNATURES.get(extension, ())
    if signatures:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            return _("文件内容与扩展名“%(ext)s”不符，可能已损坏或不是该类型的文件。") % {"ext": extension}
    if extension in CONTAINER_ENTRIES or extension == ".zip":
        return _container_problem(upload, extension)
    return None


def check_upload(upload, *, allowed: tuple[str, ...], max_mb: int | None = None) -> None:
    """Raise ValidationError (in the user's language, naming the file) unless the file is of an
    allowed type and size and its content is what its name says."""
    if upload is None:
        raise ValidationError(_("请选择要上传的文件。"))
    problem = _problem(upload, allowed=allowed, max_mb=max_mb or settings.DUBAN_MAX_UPLOAD_MB)
    if problem:
        raise _refuse(upload, problem)
    _scan(upload)


def _scan(upload) -> None:
    """The antivirus hook: `DUBAN_UPLOAD_SCANNER` names a callable that receives the upload (at its
    start) and raises ValidationError to refuse it. Unset: no scanner."""
    path = settings.DUBAN_UPLOAD_SCANNER
    if not path:
        return
    upload.seek(0)
    try:
        import_string(path)(upload)
    finally:
        upload.seek(0)


# A path component may be 255 bytes on the file systems a city runs (ext4, XFS); a stored name keeps
# room for Django's "_abc1234" when a name is taken.
MAX_NAME_BYTES = 200


def shorten_file_name(name: str, *, limit: int = MAX_NAME_BYTES) -> str:
    """The name cut to `limit` bytes of UTF-8, never inside a character, keeping its extension."""
    if len(name.encode()) <= limit:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension.encode()) > 16:  # not an extension a stored file needs
        stem, extension = name, ""
    room = limit - len(extension.encode())
    return stem.encode()[:room].decode(errors="ignore").rstrip() + extension


class UploadStorage(FileSystemStorage):
    """Django's file-system storage, with names the file system takes (`shorten_file_name`)."""

    def get_valid_name(self, name):
        return shorten_file_name(super().get_valid_name(name))
