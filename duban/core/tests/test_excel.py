"""The one Excel writer: what it writes reads back as the same values, and what users typed stays text."""

import io
from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from duban.core.excel import read_header, write_workbook


def _read(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_values_read_back_as_written():
    content = write_workbook(
        title="督办事项台账",
        headers=["事项", "件数", "时限", "交办时间", "单位"],
        rows=[
            ["修路", 3, date(2026, 3, 31), datetime(2026, 3, 1, 9, 30), ["财政局", "住建局"]],
            ["空行", None, None, None, None],
        ],
    )
    title, rows = _read(content)
    assert title == "督办事项台账"
    assert rows[0] == ["事项", "件数", "时限", "交办时间", "单位"]
    assert rows[1] == ["修路", 3, datetime(2026, 3, 31), datetime(2026, 3, 1, 9, 30), "财政局、住建局"]
    assert rows[2] == ["空行", None, None, None, None]


def test_a_title_that_looks_like_a_formula_stays_text():
    _title, rows = _read(write_workbook(title="t", headers=["事项"], rows=[["=1+1"], ["@SUM(A1)"]]))
    assert [row[0] for row in rows[1:]] == ["=1+1", "@SUM(A1)"]


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    _title, rows = _read(write_workbook(title="t", headers=["事项"], rows=[["修\x00路\x0b<b>&"]]))
    assert rows[1] == ["修路<b>&"]


def test_decimals_are_written_as_their_text_as_before():
    _title, rows = _read(write_workbook(title="t", headers=["金额"], rows=[[Decimal("1200.50")]]))
    assert rows[1] == ["1200.50"]


def test_the_header_of_a_sheet_is_read_as_text():
    content = write_workbook(title="t", headers=["年度", "门票收入", "经营成本"], rows=[[2026, 1, 2]])
    assert read_header(SimpleUploadedFile("x.xlsx", content)) == ["年度", "门票收入", "经营成本"]
