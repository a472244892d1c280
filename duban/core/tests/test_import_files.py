"""The one Excel reader against files that are not what they say: a dimension that under-states the data,
a zip that is not a workbook, broken XML, a zip bomb, too many rows, too many bad rows."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from duban.core.errors import Invalid
from duban.core.excel import ImportRejected, RowErrors, read_sheet
from duban.core.imports import run_import

from .test_imports import ThemeImport

COLUMNS = {"代码": "code", "名称": "name"}


def _workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["代码", "名称"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, part: str, change) -> bytes:
    """The workbook with one part's text changed (as another program might have written it)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info.filename, change(data.decode()).encode() if info.filename == part else data)
    return target.getvalue()


def _upload(content: bytes, name="themes.xlsx"):
    return SimpleUploadedFile(name, content)


SHEET = "xl/worksheets/sheet1.xml"


def test_a_sheet_whose_declared_dimension_understates_its_rows_is_read_whole():
    rows = [(f"t{n}", f"主题{n}") for n in range(1, 12)]
    content = _rewrite(
        _workbook_bytes(rows),
        SHEET,
        lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:A3"', xml),
    )
    assert '<dimension ref="A1:A3"' in zipfile.ZipFile(io.BytesIO(content)).read(SHEET).decode()

    read = read_sheet(_upload(content), columns=COLUMNS)

    assert [row.values for row in read] == [{"code": code, "name": name} for code, name in rows]


def test_a_zip_that_is_not_a_workbook_is_refused_in_chinese(city):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(Invalid) as refused:
        run_import(ThemeImport(), upload=_upload(buffer.getvalue()), by=city.office)
    assert "文件内容与扩展名“.xlsx”不符" in refused.value.message
    assert "file" in refused.value.fields


@pytest.mark.parametrize(
    "damage",
    [
        lambda xml: xml.replace("</sheetData>", "<row r='99'><c r='A99'><v>1</v></c>"),  # unclosed
        lambda xml: xml[: len(xml) // 2],  # cut short
        lambda xml: xml.replace('<c r="B2"', '<c r="B2" t="n"><v>x</v></c><c r="Z2"', 1),
    ],
    ids=["unclosed", "cut-short", "bad-cell"],
)
def test_broken_sheet_xml_is_refused_with_a_message_never_a_server_error(city, damage):
    content = _rewrite(_workbook_bytes([("a", "甲"), ("b", "乙")]), SHEET, damage)
    with pytest.raises((Invalid, ImportRejected)) as refused:
        run_import(ThemeImport(), upload=_upload(content), by=city.office)
    assert refused.value.message


def test_a_workbook_that_unpacks_past_the_cap_is_refused_before_it_is_read(city, settings):
    settings.DUBAN_IMPORT_MAX_UNPACKED_MB = 1
    rows = [(f"t{n}", "很长的名称" * 20) for n in range(3000)]  # compresses to little, unpacks past 1 MB
    content = _workbook_bytes(rows)
    assert len(content) < 1024 * 1024
    with pytest.raises(Invalid) as refused:
        run_import(ThemeImport(), upload=_upload(content), by=city.office)
    assert "解压后过大" in refused.value.message


def test_a_sheet_with_more_rows_than_the_cap_is_refused(settings):
    settings.DUBAN_IMPORT_MAX_ROWS = 10
    read_sheet(_upload(_workbook_bytes([("a", "甲")] * 10)), columns=COLUMNS)
    with pytest.raises(ValidationError) as refused:
        read_sheet(_upload(_workbook_bytes([("a", "甲")] * 11)), columns=COLUMNS)
    assert "超过 10 行" in refused.value.messages[0]


def test_only_the_first_bad_rows_are_listed_and_the_rest_counted(city, settings):
    settings.DUBAN_IMPORT_MAX_ERRORS = 3
    with pytest.raises(ImportRejected) as rejected:
        run_import(ThemeImport(), upload=_upload(_workbook_bytes([("a", "")] * 10)), by=city.office)
    assert rejected.value.message == "导入未完成：发现 10 处错误，未保存任何数据。"
    assert len(rejected.value.extra["rows"]) == 3 and rejected.value.extra["unlisted"] == 7
    assert rejected.value.errors.messages()[-1] == "……另有 7 处错误未列出，请先改正以上各处。"


def test_row_errors_keep_counting_past_the_listed_ones(settings):
    settings.DUBAN_IMPORT_MAX_ERRORS = 1
    errors = RowErrors()
    errors.add(2, "甲")
    errors.add(3, "乙")
    assert errors and errors.total == 2 and errors.errors == [(2, "甲")]
