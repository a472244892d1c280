"""Uploaded files: checked before anything reads them (type by extension and by content, size, what an
office document holds, the antivirus hook), and stored under names every file system takes.

- `check_upload(upload, allowed=EVIDENCE)`: every service that takes a file calls it first;
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

# The first bytes of each accepted type: an extension alone is not trusted.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
}

SPREADSHEET = (".xlsx",)
EVIDENCE = (".pdf", ".docx", ".xlsx", ".png", ".jpg", ".jpeg")

# Office documents are zip containers: the part each must hold, and what none may hold.
OFFICE_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
EXECUTABLE = (
    ".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".msi", ".ps1", ".vbs", ".vbe", ".js", ".jse",
    ".wsf", ".hta", ".jar", ".sh", ".lnk", ".cpl",
)  # fmt: skip
MACROS = "vbaproject.bin"


def check_upload(upload, *, allowed: tuple[str, ...], max_mb: int | None = None) -> None:
    """Raise ValidationError (in the user's language) unless the file is of an allowed type and size."""
    if upload is None:
        raise ValidationError(_("请选择要上传的文件。"))
    max_mb = max_mb or settings.DUBAN_MAX_UPLOAD_MB
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in allowed:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，请上传 %(allowed)s 文件。")
            % {"ext": extension or _("无扩展名"), "allowed": "、".join(allowed)}
        )
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("文件过大（%(size).1f MB），上限为 %(max)d MB。")
            % {"size": upload.size / 1024 / 1024, "max": max_mb}
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"))
    signatures = SIGNATURES.get(extension, ())
    if signatures:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                _("文件内容与扩展名“%(ext)s”不符，可能已损坏或不是该类型的文件。") % {"ext": extension}
            )
    if extension in OFFICE_MAIN_PART:
        _check_office_container(upload, extension)
    _scan(upload)


def _check_office_container(upload, extension: str) -> None:
    """A .docx or .xlsx is a zip: it must hold the document's main part, unpack to a bounded size, and
    carry no program (an .exe, a script) and no macros. A zip renamed .docx is refused."""
    not_a_document = ValidationError(
        _("文件内容与扩展名“%(ext)s”不符，可能已损坏或不是该类型的文件。") % {"ext": extension}
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise not_a_document from error
    finally:
        upload.seek(0)
    names = {member.filename.lower() for member in members}
    if OFFICE_MAIN_PART[extension] not in names or "[content_types].xml" not in names:
        raise not_a_document
    carried = [
        PurePath(name).name
        for name in sorted(names)
        if name.endswith(EXECUTABLE) or PurePath(name).name == MACROS
    ]
    if carried:
        raise ValidationError(
            _("文件中夹带了程序或宏（%(names)s），出于安全考虑不予接收。请另存为不含宏的文档后再上传。")
            % {"names": "、".join(carried[:3])}
        )
    if sum(member.file_size for member in members) > settings.DUBAN_IMPORT_MAX_UNPACKED_MB * 1024 * 1024:
        raise ValidationError(
            _("文件解压后过大，上限为 %(max)d MB。") % {"max": settings.DUBAN_IMPORT_MAX_UNPACKED_MB}
        )


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
