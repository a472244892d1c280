"""Checks on uploaded files: type by extension and by content, and size, before anything reads them.

The content must be what the name says: a signature at the start of the file, and for the container
formats what the container holds at its top (an OFD document is a zip archive with OFD.xml). Archives
are never unpacked on the server: only a zip's directory is read."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
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

# What a zip container of this type holds at its top (its directory is read, nothing is unpacked).
CONTAINER_ENTRIES: dict[str, str] = {".ofd": "OFD.xml"}

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
    """Why a zip-based file is not what its name says (None when it is)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("文件内容与扩展名“%(ext)s”不符，可能已损坏或不是该类型的文件。") % {"ext": extension}
    finally:
        upload.seek(0)
    entry = CONTAINER_ENTRIES.get(extension)
    if entry and entry not in names:
        return _("这不是有效的 %(ext)s 文件（压缩包内没有 %(entry)s）。") % {"ext": extension, "entry": entry}
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
