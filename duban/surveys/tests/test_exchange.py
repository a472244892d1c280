"""Excel and Word: the template round-trips, a bad row is named and nothing saved, exports carry the
statutory marks."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from duban.core.excel import ImportRejected
from duban.core.imports import run_import

from .. import exchange, selectors, services
from ..models import SurveyResponse
from .factories import GOOD

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _upload(sheet) -> SimpleUploadedFile:
    out = io.BytesIO()
    sheet.parent.save(out)
    return SimpleUploadedFile("t.xlsx", out.getvalue(), content_type=XLSX)


def test_the_template_round_trips(city, responses):
    answers = {**GOOD, "tags": ["land"], "note": "缺地", "day": "2026-06-30", "sector": "services"}
    response = services.response_save(response=responses.finance, by=city.liaison, answers=answers)
    before = response.answers
    sheet = _sheet(exchange.template_workbook(response))
    assert sheet.cell(2, 5).value == "测统01表"
    run_import(exchange.ResponseImport(response), upload=_upload(sheet), by=city.liaison)
    response.refresh_from_db()
    assert response.answers == before


def test_a_filled_template_imports_as_the_draft(city, responses):
    sheet = _sheet(exchange.template_workbook(responses.finance))
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["output"], 5).value = 250
    sheet.cell(rows["firms[1].name"], 5).value = "乙公司"
    sheet.cell(rows["sector"], 5).value = "现代农业"
    run_import(exchange.ResponseImport(responses.finance), upload=_upload(sheet), by=city.liaison)
    responses.finance.refresh_from_db()
    assert responses.finance.answers["output"] == "250"
    assert responses.finance.answers["firms"] == [{"name": "乙公司"}]
    assert responses.finance.answers["sector"] == "agriculture"


def test_a_bad_row_is_named_in_chinese_and_nothing_is_saved(city, responses):
    sheet = _sheet(exchange.template_workbook(responses.finance))
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["output"], 5).value = "很多"
    sheet.cell(rows["contact"], 5).value = "王明"
    with pytest.raises(ImportRejected) as refused:
        run_import(exchange.ResponseImport(responses.finance), upload=_upload(sheet), by=city.liaison)
    assert refused.value.errors.errors == [(rows["output"], "“总产值”须填写数字。")]
    responses.finance.refresh_from_db()
    assert "contact" not in responses.finance.answers


def test_another_units_liaison_may_not_import(city, responses):
    from duban.core.errors import NotPermitted

    sheet = _sheet(exchange.template_workbook(responses.finance))
    with pytest.raises(NotPermitted):
        run_import(exchange.ResponseImport(responses.finance), upload=_upload(sheet), by=city.housing_liaison)


def test_the_exports_carry_the_marks_and_every_response(city, survey, responses):
    services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    rows = selectors.round_responses(user=city.office, survey_round=survey)
    sheet = _sheet(exchange.responses_workbook(survey, rows))
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "表号：测统01表" in cells and "批准或备案文号：测统制〔2026〕1号" in cells
    assert sheet.max_row >= 4
    entries, board = exchange.round_results(user=city.office, survey_round=survey)
    aggregates = _sheet(exchange.aggregates_workbook(survey, entries, board))
    totals = {row[0]: row[2] for row in aggregates.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert totals["总产值"] == 100
    table = _sheet(exchange.table_rows_workbook(survey, rows, "firms"))
    assert table.cell(2, 3).value == "甲公司"


def test_the_word_summary_holds_the_totals_and_marks(city, survey, responses):
    services.response_save(
        response=responses.finance,
        by=city.liaison,
        answers={**GOOD, "output": "1234.5", "part_a": "1194.5"},
        submit=True,
    )
    entries, board = exchange.round_results(user=city.office, survey_round=survey)
    content = exchange.summary_document(
        survey_round=survey, entries=entries, board=board, issuer="测试市人民政府办公室"
    )
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "测统01表" in text and "已报送 1 个" in text
    assert "总产值" in cells and "1,234.5" in cells
    assert SurveyResponse.objects.filter(round=survey).count() == 3
