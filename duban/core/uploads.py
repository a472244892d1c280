"""Checks on uploaded files: type by extension and by content, and size, before anything reads them."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
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
