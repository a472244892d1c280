"""Reading what the office pastes or uploads, and running the engine against the unit and leader
directories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.uploads import check_upload
from duban.organisation.selectors import leader_directory, unit_directory
from duban.workcalendar.selectors import working_calendar

from ..engine import MinutesError, MinutesResult, extract_minutes, read_bytes

# The files the office may upload: plain text in any encoding the engine reads, or a Word document.
MINUTES_FILES = (".txt", ".docx")


def reading_error_message(error: MinutesError) -> str:
    """The engine's reading problems in the user's language (the pages, the API and the command)."""
    messages = {
        "not_found": _("找不到文件。"),
        "empty": _("文件是空的，没有可提取的内容。"),
        "binary": _("文件不是文本，也不是 .docx 文档，无法读取。"),
        "encoding": _("无法识别文件的文字编码（支持 UTF-8、GB18030/GBK 等）。"),
        "document": _("无法打开 Word 文档（仅支持 .docx）。"),
    }
    return messages.get(error.code, _("无法读取文件。"))


def read_upload(upload) -> str:
    """An uploaded .txt or .docx as text; a file that cannot be read is refused on the `file` field."""
    try:
        check_upload(upload, allowed=MINUTES_FILES)
        upload.seek(0)
        return read_bytes(upload.read(), filename=upload.name or "")
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    except MinutesError as error:
        raise ValidationError({"file": [reading_error_message(error)]}) from error


def check_length(text: str, *, field: str = "text") -> None:
    """Refuse a text longer than any minutes (DUBAN_MINUTES_MAX_CHARS), saying the limit."""
    limit = settings.DUBAN_MINUTES_MAX_CHARS
    if len(text) > limit:
        raise ValidationError(
            {
                field: _(
                    "文字过长：共 %(n)s 字，超过会议纪要导入的上限 %(limit)s 字。"
                    "请只粘贴或上传会议纪要（或通稿）本身；如确需导入，请分段导入。"
                )
                % {"n": f"{len(text):,}", "limit": f"{limit:,}"}
            }
        )


class Source(NamedTuple):
    text: str
    name: str  # the uploaded file's name; empty for pasted text


def read_source(*, text: str = "", upload=None) -> Source:
    """What to extract from: pasted text or an uploaded file, one of the two (the page's form and the
    API's serializer ask the same)."""
    if upload is not None and (text or "").strip():
        raise ValidationError(_("请粘贴文字或上传文件，二者选一。"))
    if upload is not None:
        source = Source(read_upload(upload), upload.name)
        check_length(source.text, field="file")
        return source
    if not (text or "").strip():
        raise ValidationError(_("请粘贴会议纪要或通稿的文字，或上传文件。"))
    check_length(text)
    return Source(text, "")


def extract(
    *, text: str, meeting_date: date | None = None, on_progress: Callable[[float], None] | None = None
) -> MinutesResult:
    """The engine run against the unit and leader directories, so names come back with their ids, and
    the platform's working calendar (its holidays and exchanged days), so "N个工作日内" falls where the
    platform's deadlines do."""
    if not (text or "").strip():
        raise ValidationError(_("请粘贴会议纪要或通稿的文字，或上传文件。"))
    check_length(text)
    return extract_minutes(
        text,
        meeting_date=meeting_date,
        units=unit_directory(),
        leaders=leader_directory(),
        on_progress=on_progress,
        today=timezone.localdate(),
        working=working_calendar(),
    )
