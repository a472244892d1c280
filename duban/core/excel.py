"""Excel in and out for every list: one header row, then one row per record."""

from __future__ import annotations

import functools
import io
import math
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .errors import Invalid

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
AMOUNT_FORMAT = "#,##0.00"
AMOUNT_UNIT = "万元"
# Column widths are measured over the first rows (a province's list has a million cells), in
# characters, a CJK character counting two; a column is never narrower than its dates or wider than this.
WIDTH_SAMPLE_ROWS = 2000
MIN_WIDTH, MAX_WIDTH = 6, 60
_DATE_WIDTH, _DATETIME_WIDTH = 11, 17
# A text that Excel (or LibreOffice, or a CSV saved from the sheet) would read as a formula when the
# cell is edited: it is written as text with Excel's quote prefix (the leading apostrophe).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


@dataclass(frozen=True)
class Sheet:
    """A further sheet of a workbook (`write_workbook(more_sheets=…)`), written as the first one is."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def write_workbook(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence], more_sheets: Sequence[Sheet] = ()
) -> bytes:
    """A workbook ready to read: a bold header row that stays in view and carries Excel's
    filter, columns as wide as their content, local dates and times as real dates, numbers as numbers
    (amounts under a header naming 万元 with thousands separators), and everything users typed as text
    that Excel never evaluates (a title starting with "=" is a title, not a formula). One sheet, and
    `more_sheets` after it, each written the same way.

    The rows are streamed, so a province's list (a million cells and more) is written in seconds and
    never held in memory as cells. openpyxl (even write-only) spends some 30 µs per cell: 47 s for the
    1.5 million cells of a province's weekly reports. So openpyxl writes the frame (header, styles,
    column widths, frozen pane, filter, workbook parts) with one sample row, and the rows go into the
    sheet as SpreadsheetML text, first to a temporary file while their widths are measured.
    """
    sheets = [Sheet(title, headers, rows), *more_sheets]
    styles = _sample_styles()
    with ExitStack() as stack:
        specs, bodies = [], []
        for sheet in sheets:
            names = [str(h) for h in sheet.headers]
            amounts = {i for i, header in enumerate(names) if AMOUNT_UNIT in header}
            widths = [_text_width(header) + 3 for header in names]  # + the filter button
            columns = [_column_letter(i) for i in range(len(names))]
            body = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=16 << 20))
            last_row = _stream_rows(body, sheet.rows, columns, styles, amounts, widths)
            specs.append((sheet.title, names, widths, last_row))
            bodies.append(body)
        frame = zipfile.ZipFile(io.BytesIO(_frame_of(specs)))
        parts = {_sheet_part(number): body for number, body in enumerate(bodies, start=1)}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for info in frame.infolist():
                if info.filename not in parts:
                    target.writestr(info, frame.read(info.filename))
                    continue
                xml = frame.read(info.filename).decode("utf-8")
                start = xml.index('<row r="2"')
                end = xml.index("</row>", start) + len("</row>")
                assert _styles_of(xml) == styles, "the frame's styles moved"
                body = parts[info.filename]
                with target.open(info.filename, "w", force_zip64=True) as stream:
                    stream.write(xml[:start].encode("utf-8"))
                    body.seek(0)
                    shutil.copyfileobj(body, stream, 1 << 20)
                    stream.write(xml[end:].encode("utf-8"))
    return out.getvalue()


def _sheet_part(number: int) -> str:
    return f"xl/worksheets/sheet{number}.xml"


def _frame(title: str, headers: Sequence[str], *, widths: Sequence[float] = (), last_row: int = 1) -> bytes:
    return _frame_of([(title, headers, widths, last_row)])


def _frame_of(specs: Sequence[tuple[str, Sequence[str], Sequence[float], int]]) -> bytes:
    """The workbook's parts from openpyxl, for each sheet (title, headers, widths, last row): the styled
    header, the column widths, the frozen header row, the filter over the rows, and one sample row
    whose cells carry the styles the rows use (replaced by the rows)."""
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, headers, widths, last_row in specs:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        if headers:
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = f"A1:{_column_letter(len(headers) - 1)}{max(last_row, 1)}"
        for index, width in enumerate(widths):
            sheet.column_dimensions[_column_letter(index)].width = round(
                min(max(width, MIN_WIDTH), MAX_WIDTH), 1
            )
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=str(text))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header_cells.append(cell)
        sheet.append(header_cells)
        sample = [
            WriteOnlyCell(sheet, value="=sample"),
            WriteOnlyCell(sheet, value=date(2000, 1, 1)),
            WriteOnlyCell(sheet, value=datetime(2000, 1, 1, 12, 0)),
            WriteOnlyCell(sheet, value=1.5),
        ]
        sample[0].quotePrefix = True
        sample[0].data_type = "s"
        sample[1].number_format = DATE_FORMAT
        sample[2].number_format = DATETIME_FORMAT
        sample[3].number_format = AMOUNT_FORMAT
        sheet.append(sample)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses a sheet name over 31 characters or with any of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Sheet1"


def _sheet_xml(frame: zipfile.ZipFile) -> tuple[str, str]:
    name = next(n for n in frame.namelist() if n.startswith("xl/worksheets/sheet"))
    return name, frame.read(name).decode("utf-8")


def _styles_of(xml: str) -> dict[str, str]:
    return {
        kind: re.search(rf'<c r="{ref}2" s="(\d+)"', xml).group(1)
        for kind, ref in (("quoted", "A"), ("date", "B"), ("datetime", "C"), ("amount", "D"))
    }


@functools.lru_cache(maxsize=1)
def _sample_styles() -> dict[str, str]:
    """The style numbers of the sample row's cells. They depend only on the order the frame first uses
    each style in, not on the title, the headers or the widths (checked against each real frame)."""
    _name, xml = _sheet_xml(zipfile.ZipFile(io.BytesIO(_frame("t", ["h"]))))
    return _styles_of(xml)


_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def _text_width(text: str) -> int:
    """Characters as Excel shows them: a CJK (wide) character takes two; the longest line counts."""
    return max((len(line) + len(_WIDE.findall(line)) for line in text.split("\n")), default=0)


def _value_width(value) -> float:
    if isinstance(value, datetime):
        return _DATETIME_WIDTH
    if isinstance(value, date):
        return _DATE_WIDTH
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, (int, float, Decimal)):
        return len(f"{value:,.2f}") + 1
    return _text_width(str(value)[:200])


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


def _stream_rows(
    stream, rows, columns: list[str], styles: dict[str, str], amounts: set[int], widths: list
) -> int:
    """Write the rows' XML; measure the first rows' widths; return the number of the last row."""
    last = 1

    def lines():
        nonlocal last
        for number, values in enumerate(rows, start=2):
            last = number
            values = [_excel_value(value) for value in values][: len(columns)]
            if number <= WIDTH_SAMPLE_ROWS + 1:
                for index, value in enumerate(values):
                    widths[index] = max(widths[index], _value_width(value))
            yield (
                f'<row r="{number}">'
                + "".join(
                    _cell(f"{column}{number}", value, styles, index in amounts)
                    for index, (column, value) in enumerate(zip(columns, values, strict=False))
                )
                + "</row>"
            )

    write_chunks(stream, lines())
    return last


_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_MAX_TEXT = 32767
_KEEP = {"\r": "&#13;"}  # XML reads a bare carriage return as a line feed
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _column_letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value, styles: dict[str, str], amount: bool = False) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        style = f' s="{styles["amount"]}"' if amount else ""
        return f'<c r="{ref}"{style} t="n"><v>{_number(value)}</v></c>'
    if isinstance(value, datetime):
        serial = (value - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{styles["datetime"]}" t="n"><v>{serial}</v></c>'
    if isinstance(value, date):
        serial = (datetime.combine(value, time.min) - _EXCEL_EPOCH).days
        return f'<c r="{ref}" s="{styles["date"]}" t="n"><v>{serial}</v></c>'
    # Inline strings are always text, never a formula; one that would become a formula when the cell
    # is edited (or the sheet saved as CSV) also carries the quote prefix.
    text = _INVALID_XML.sub("", str(value)[:_EXCEL_MAX_TEXT])
    style = f' s="{styles["quoted"]}"' if text.lstrip(" ").startswith(_FORMULA_START) else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(text, _KEEP)}</t></is></c>'


def _number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value) if isinstance(value, float) else str(value)


def _excel_value(value):
    """A value as the sheet holds it: an aware time in local time (Asia/Shanghai, what users read),
    a Decimal as a number, a list as its items joined, anything else as its text."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, Decimal):
        return value if value.is_finite() else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    if value is None or isinstance(value, (str, int, float, date)):
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


def column_positions(header, *, columns: dict[str, str], required: Sequence[str] = ()) -> dict[str, int]:
    """Where each field's column is in the header row; ValidationError naming the required columns
    the header lacks."""
    positions = {}
    for index, text in enumerate(header):
        name = columns.get(str(text).strip()) if text is not None else None
        if name:
            positions[name] = index
    missing = [label for label, name in columns.items() if name in required and name not in positions]
    if missing:
        raise ValidationError(_("缺少必需的列：%(columns)s") % {"columns": "、".join(missing)})
    return positions


def _read_rows(rows, *, columns: dict[str, str], required: Sequence[str]) -> list[SheetRow]:
    try:
        header = next(rows)
    except StopIteration as error:
        raise ValidationError(_("工作表是空的。")) from error
    positions = column_positions(header, columns=columns, required=required)
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
