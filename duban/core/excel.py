"""Excel in and out for every list: one header row, then one row per record."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

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
    """A one-sheet workbook; write-only, so that large lists stream instead of building in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_excel_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    """Every problem found, by row, so that one import run reports them all."""

    errors: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: int, message: str) -> None:
        self.errors.append((row, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def messages(self) -> list[str]:
        return [
            _("第 %(row)d 行：%(message)s") % {"row": row, "message": message} for row, message in self.errors
        ]


class ImportRejected(Invalid):
    """The import saved nothing; `errors` names every bad row and the reason (the API lists them as `rows`)."""

    code = "import_rejected"

    def __init__(self, errors: RowErrors):
        self.errors = errors
        super().__init__(
            _("导入未完成：发现 %(n)d 处错误，未保存任何数据。") % {"n": len(errors.errors)},
            extra={"rows": [{"row": row, "message": message} for row, message in errors.errors]},
        )


def read_sheet(upload, *, columns: dict[str, str], required: Sequence[str] = ()) -> list[SheetRow]:
    """Read the first sheet: `columns` maps header text (as users write it) to a field name.

    Raises ValidationError when the file is not a readable workbook or a required column is missing.
    Blank rows are skipped.
    """
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise ValidationError(_("无法读取该 Excel 文件：%(error)s") % {"error": error}) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
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
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        values = {}
        for name, index in positions.items():
            value = row[index] if index < len(row) else None
            values[name] = value.strip() if isinstance(value, str) else value
        result.append(SheetRow(number=number, values=values))
    workbook.close()
    return result
