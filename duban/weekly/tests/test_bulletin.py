"""The bulletin laid out: Word that python-docx opens, holding the red list; Excel with a row per item."""

import io
from unittest import mock

from docx import Document
from openpyxl import load_workbook

from duban.weekly import bulletin as bulletins
from duban.weekly.models import WeeklyReport

from .conftest import at, fill


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def submit_finance(cycle, city, **extra):
    from duban.weekly import services

    report = WeeklyReport.objects.get(cycle=cycle, unit=city.finance)
    fill(report, city.liaison, **extra)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 26, 10)):
        return services.report_submit(report=report, by=city.liaison)


def test_the_word_bulletin_opens_with_python_docx_and_holds_the_red_list(city, work, cycle):
    submit_finance(cycle, city, coordination_request="请协调新增债券额度", coordination_leader=city.leader)
    out = io.BytesIO()
    bulletins.bulletin_docx(cycle, out)
    document = Document(io.BytesIO(out.getvalue()))
    text = docx_text(document)
    assert "督办工作周报" in text
    assert "第1期" in text
    red_table = next(t for t in document.tables if any("专项债券项目申报" in c.text for c in t.rows[1].cells))
    assert [c.text for c in red_table.rows[0].cells][:4] == ["序号", "编号", "事项名称", "牵头单位"]
    assert red_table.rows[1].cells[1].text == str(work.red.pk)  # found again by its 编号
    assert red_table.rows[1].cells[3].text == city.finance.name
    assert "县城污水管网改造" in text  # the yellow list
    assert "请协调新增债券额度" in text  # coordination requests
    assert "完成了本周工作" in text  # what finance reported
    assert "未报送单位（1个）" in text and city.county.name in text


def test_the_excel_bulletin_has_a_row_per_item(city, work, cycle):
    submit_finance(cycle, city)
    workbook = load_workbook(io.BytesIO(bulletins.bulletin_xlsx(cycle)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "报送单位"
    assert len(rows) == 1 + 3
    finance_rows = [r for r in rows[1:] if r[0] == city.finance.name]
    assert {r[1] for r in finance_rows} == {"按时报送"}
    assert {r[10] for r in finance_rows} == {"完成了本周工作"}
    assert all(r[2].year == 2026 for r in finance_rows)  # the submission time is a real date-time
    county = next(r for r in rows[1:] if r[0] == city.county.name)
    assert county[1] == "未报送" and len(county) < 11  # nothing reported: no text columns
