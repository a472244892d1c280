"""The one Excel writer: what it writes reads back as the same values, and what users typed stays text."""

import io
from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from duban.core.excel import Sheet, read_header, write_workbook


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


def test_decimals_are_written_as_numbers():
    _title, rows = _read(write_workbook(title="t", headers=["金额"], rows=[[Decimal("1200.50")]]))
    assert rows[1] == [1200.5]


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def test_an_export_is_ready_to_read_frozen_header_filter_widths_dates_and_numbers():
    sheet = _sheet(
        write_workbook(
            title="督办事项台账",
            headers=["编号", "事项名称", "办理时限", "交办时间", "总投资（万元）", "English"],
            rows=[
                [
                    1,
                    "加大专项债券申报力度，确保年底前完成全年发行任务",
                    date(2026, 3, 31),
                    datetime(2026, 3, 1, 9, 30),
                    Decimal("277984.15"),
                    "road",
                ],
                [2, "修路", date(2026, 4, 1), None, Decimal("12.5"), "a" * 200],
            ],
        )
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    # A CJK character counts two: 24 characters of title are 48 wide; the header alone sets the rest.
    assert widths["B"] == 48
    assert widths["A"] == _text_width_of("编号") + 3
    assert widths["F"] == 60  # capped
    # Dates are real dates with a date format, in columns wide enough not to show ########.
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd" and widths["C"] >= 11
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd hh:mm" and widths["D"] >= 17
    # Numbers are numbers; amounts under a 万元 header show thousands separators.
    assert sheet["A2"].data_type == "n" and sheet["A2"].number_format == "General"
    assert sheet["E2"].value == 277984.15 and sheet["E2"].number_format == "#,##0.00"


def test_further_sheets_are_written_as_the_first_one_is():
    content = write_workbook(
        title="周报",
        headers=["单位"],
        rows=[["财政局"]],
        more_sheets=[
            Sheet("典型经验", ["标题", "发布日期"], [["=清单化", date(2026, 11, 25)], ["第二篇", None]])
        ],
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["周报", "典型经验"]
    assert [[c.value for c in row] for row in workbook["周报"].iter_rows()] == [["单位"], ["财政局"]]
    sheet = workbook["典型经验"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B3"
    assert sheet["A2"].value == "=清单化" and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["A3"].value == "第二篇" and sheet["B3"].value is None


def _text_width_of(text: str) -> int:
    return 2 * len(text)


def test_times_are_written_in_local_time():
    from zoneinfo import ZoneInfo

    # 07:37 in Beijing is 23:37 UTC the day before; the sheet says what the users saw.
    decided = datetime(2026, 3, 1, 23, 37, tzinfo=ZoneInfo("UTC"))
    _title, rows = _read(write_workbook(title="t", headers=["决定时间"], rows=[[decided]]))
    assert rows[1] == [datetime(2026, 3, 2, 7, 37)]


def test_text_that_excel_would_evaluate_is_text_with_the_quote_prefix():
    values = ['=HYPERLINK("http://x","点击")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "修路=1"]
    sheet = _sheet(write_workbook(title="t", headers=["事项"], rows=[[v] for v in values]))
    cells = [sheet.cell(row=n, column=1) for n in range(2, 2 + len(values))]
    assert [c.value for c in cells] == values
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False]


def test_the_header_of_a_sheet_is_read_as_text():
    content = write_workbook(title="t", headers=["年度", "门票收入", "经营成本"], rows=[[2026, 1, 2]])
    assert read_header(SimpleUploadedFile("x.xlsx", content)) == ["年度", "门票收入", "经营成本"]
