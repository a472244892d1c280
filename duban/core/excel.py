"""Excel in and out for every list: one header row, then one row per record."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .errors import Invalid

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def write_workbook(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A one-sheet workbook with a styled header row; the rows are streamed, so a province's list
    (a million cells and more) is written in seconds and never held in memory as cells.

    openpyxl (even write-only) spends some 30 µs per cell: 47 s for the 1.5 million cells of a
    province's weekly reports. So openpyxl writes the frame (header, styles, workbook parts) with one
    sample row, and the rows go into the sheet as SpreadsheetML text.
    """
    frame = zipfile.ZipFile(io.BytesIO(_frame(title, headers)))
    sheet_name = next(n for n in frame.namelist() if n.startswith("xl/worksheets/sheet"))
    xml = frame.read(sheet_name).decode("utf-8")
    start = xml.index('<row r="2"')
    end = xml.index("</row>", start) + len("</row>")
    styles = {
        "date": re.search(r'<c r="B2" s="(\d+)"', xml).group(1),
        "datetime": re.search(r'<c r="C2" s="(\d+)"', xml).group(1),
    }
    columns = [_column_letter(i) for i in range(len(headers))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in frame.infolist():
            if info.filename != sheet_name:
                target.writestr(info, frame.read(info.filename))
                continue
            with target.open(sheet_name, "w", force_zip64=True) as stream:
                stream.write(xml[:start].encode("utf-8"))
                _stream_rows(stream, rows, columns, styles)
                stream.write(xml[end:].encode("utf-8"))
    return out.getvalue()


def _frame(title: str, headers: Sequence[str]) -> bytes:
    """The workbook's parts from openpyxl: the styled header and one sample row (replaced by the rows)."""
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.append(["sample", date(2000, 1, 1), datetime(2000, 1, 1, 12, 0)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_chunks(stream, chunks: Iterable[str]) -> None:
    """Write text chunks to a binary stream about a megabyte at a time (streamed documents' parts)."""
    buffer: list[str] = []
    size = 0
    for chunk in chunks:
        buffer.append(chunk)
        size += len(chunk)
        if size > 1 << 20:
            stream.write("".join(buffer).encode("utf-8"))
            buffer, size = [], 0
    stream.write("".join(buffer).encode("utf-8"))


def _stream_rows(stream, rows: Iterable[Sequence], columns: list[str], styles: dict[str, str]) -> None:
    write_chunks(
        stream,
        (
            f'<row r="{number}">'
            + "".join(
                _cell(f"{column}{number}", _excel_value(value), styles)
                for column, value in zip(columns, values, strict=False)
            )
            + "</row>"
            for number, values in enumerate(rows, start=2)
        ),
    )


_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_MAX_TEXT = 32767
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _column_letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value, styles: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}" t="n"><v>{value}</v></c>'
    if isinstance(value, datetime):
        serial = (value - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{styles["datetime"]}" t="n"><v>{serial}</v></c>'
    if isinstance(value, date):
        serial = (datetime.combine(value, time.min) - _EXCEL_EPOCH).days
        return f'<c r="{ref}" s="{styles["date"]}" t="n"><v>{serial}</v></c>'
    # Inline strings are always text: a title that starts with "=" is never a formula.
    text = escape(_INVALID_XML.sub("", str(value)[:_EXCEL_MAX_TEXT]))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _excel_value(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    if value is None or isinstance(value, (str, int, float, date, datetime)):
        return value
    return str(value)


def workbook_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@dataclass
class SheetRow:
    number: int  # the row number the user sees in Excel
    values: dict[str, object]


@dataclass
class RowErrors:
    """Every problem found, by row, so that one import run reports them all: the first
    `DUBAN_IMPORT_MAX_ERRORS` are kept and listed, the rest counted (a sheet of 300,000 bad rows is
    refused with a page, not 900,000 lines)."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    total: int = 0

    def add(self, row: int, message: str) -> None:
        self.total += 1
        if len(self.errors) < settings.DUBAN_IMPORT_MAX_ERRORS:
            self.errors.append((row, message))

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def unlisted(self) -> int:
        return self.total - len(self.errors)

    def messages(self) -> list[str]:
        lines = [
            _("第 %(row)d 行：%(message)s") % {"row": row, "message": message} for row, message in self.errors
        ]
        if self.unlisted:
            lines.append(_("……另有 %(n)d 处错误未列出，请先改正以上各处。") % {"n": self.unlisted})
        return lines


class ImportRejected(Invalid):
    """The import saved nothing; `errors` names every bad row and the reason (the API lists them as `rows`)."""

    code = "import_rejected"

    def __init__(self, errors: RowErrors):
        self.errors = errors
        super().__init__(
            _("导入未完成：发现 %(n)d 处错误，未保存任何数据。") % {"n": errors.total},
            extra={
                "rows": [{"row": row, "message": message} for row, message in errors.errors],
                "unlisted": errors.unlisted,
            },
        )


# What a damaged file makes openpyxl (or the zip and XML readers under it) raise while reading.
_UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError
    OSError,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    AttributeError,
)


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "无法读取该 Excel 文件：文件已损坏或不是 Excel 工作簿（.xlsx）。请用 Excel 打开后另存为 .xlsx 再导入。"
        )
    )


def _check_unpacked_size(upload) -> None:
    """Refuse a workbook whose parts would unpack past `DUBAN_IMPORT_MAX_UNPACKED_MB` (a zip bomb: a
    1 MB file of 231 MB of XML), before anything is decompressed. The sizes the zip declares bound
    what is read: Python's zip reader stops at a part's declared size."""
    limit = settings.DUBAN_IMPORT_MAX_UNPACKED_MB
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except _UNREADABLE as error:
        raise _unreadable() from error
    finally:
        upload.seek(0)
    if unpacked > limit * 1024 * 1024:
        raise ValidationError(
            _(
                "文件解压后过大（%(size)d MB），上限为 %(max)d MB。请删去无关的工作表和格式，或拆分后分批导入。"
            )
            % {"size": unpacked // (1024 * 1024), "max": limit}
        )


@contextmanager
def _first_sheet(upload):
    """The first worksheet, read streaming; a damaged file is a ValidationError, never a 500.

    openpyxl's read-only mode trusts the sheet's declared <dimension>: a workbook whose dimension
    under-states its data (streaming writers produce them) would read only the declared rows and
    columns. The dimension is reset, so every row that is there is read."""
    _check_unpacked_size(upload)
    workbook = None
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        yield sheet
    except _UNREADABLE as error:
        raise _unreadable() from error
    finally:
        if workbook is not None:
            workbook.close()
        upload.seek(0)


def read_header(upload) -> list[str]:
    """The first sheet's header row as text (blank cells as "")."""
    with _first_sheet(upload) as sheet:
        header = next(sheet.iter_rows(values_only=True), ())
        return ["" if text is None else str(text).strip() for text in header]


def read_sheet(upload, *, columns: dict[str, str], required: Sequence[str] = ()) -> list[SheetRow]:
    """Read the first sheet: `columns` maps header text (as users write it) to a field name.

    Raises ValidationError when the file is not a readable workbook, is too large (unpacked size,
    `DUBAN_IMPORT_MAX_ROWS` rows) or a required column is missing. Blank rows are skipped.
    """
    with _first_sheet(upload) as sheet:
        return _read_rows(sheet.iter_rows(values_only=True), columns=columns, required=required)


def _read_rows(rows, *, columns: dict[str, str], required: Sequence[str]) -> list[SheetRow]:
    try:
        header = next(rows)
    except StopIteration as error:
        raise ValidationError(_("工作表是空的。")) from error
    positions = {}
    for index, text in enumerate(header):
        name = columns.get(str(text).strip()) if text is not None else None
        if name:
            positions[name] = index
    missing = [label for label, name in columns.items() if name in required and name not in positions]
    if missing:
        raise ValidationError(_("缺少必需的列：%(columns)s") % {"columns": "、".join(missing)})
    result = []
    limit = settings.DUBAN_IMPORT_MAX_ROWS
    for number, row in enumerate(rows, start=2):
        if number - 1 > limit:
            raise ValidationError(_("表中数据超过 %(max)d 行，请拆分后分批导入。") % {"max": limit})
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        values = {}
        for name, index in positions.items():
            value = row[index] if index < len(row) else None
            values[name] = value.strip() if isinstance(value, str) else value
        result.append(SheetRow(number=number, values=values))
    return result
