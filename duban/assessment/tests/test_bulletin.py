"""The weekly bulletin's 典型经验 section: the experiences published in the cycle's week, in the Word and
in the Excel, and no other (a draft, one published another week, one rejected)."""

import io
from datetime import date

from docx import Document
from openpyxl import load_workbook

from duban.assessment import services
from duban.assessment.bulletin import one_line
from duban.weekly import bulletin as bulletins
from duban.weekly import services as weekly
from duban.weekly.tests.test_bulletin import docx_text

from .factories import experience_of

MONDAY = date(2026, 11, 23)


def _cycle():
    return weekly.cycle_open(day=MONDAY)[0]


def _experiences(city):
    published = experience_of(city, title="清单化闭环管理")
    published.summary = "建立问题清单、责任清单、整改清单\n第二行不进周报"
    published.save()
    services.experience_decide(experience=published, by=city.office, step="publish", on=date(2026, 11, 25))
    earlier = experience_of(city, title="上周发布的经验")
    services.experience_decide(experience=earlier, by=city.office, step="publish", on=date(2026, 11, 20))
    experience_of(city, title="尚未选用的草稿")
    selected = experience_of(city, title="已选用未发布")
    services.experience_decide(experience=selected, by=city.office, step="select")
    return published


def test_the_word_bulletin_lists_the_experiences_published_in_its_week(city):
    _experiences(city)
    out = io.BytesIO()
    bulletins.bulletin_docx(_cycle(), out)
    document = Document(io.BytesIO(out.getvalue()))

    text = docx_text(document)
    assert "典型经验" in [p.text.split("、", 1)[-1] for p in document.paragraphs]
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "标题")
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["序号", "标题", "报送单位", "主要做法与成效"],
        ["1", "清单化闭环管理", city.finance.name, "建立问题清单、责任清单、整改清单"],
    ]
    assert "上周发布的经验" not in text and "尚未选用的草稿" not in text and "已选用未发布" not in text
    assert "第二行不进周报" not in text


def test_the_excel_bulletin_has_a_sheet_of_the_week_s_experiences(city):
    _experiences(city)
    workbook = load_workbook(io.BytesIO(bulletins.bulletin_xlsx(_cycle())), read_only=True)

    assert workbook.sheetnames[1] == "典型经验"
    rows = list(workbook["典型经验"].iter_rows(values_only=True))
    assert rows == [
        ("序号", "标题", "报送单位", "主要做法与成效"),
        (1, "清单化闭环管理", city.finance.name, "建立问题清单、责任清单、整改清单"),
    ]


def test_a_week_without_a_published_experience_says_none(city):
    experience_of(city, title="尚未选用的草稿")
    out = io.BytesIO()
    bulletins.bulletin_docx(_cycle(), out)
    paragraphs = [p.text for p in Document(io.BytesIO(out.getvalue())).paragraphs]

    heading = next(i for i, text in enumerate(paragraphs) if text.endswith("典型经验"))
    assert paragraphs[heading + 1] == "无。"
    assert "尚未选用的草稿" not in "\n".join(paragraphs)


def test_the_stored_bulletin_compiled_later_still_lists_what_was_published_that_week(city):
    published = _experiences(city)
    cycle = _cycle()
    later = experience_of(city, title="下周发布")
    services.experience_decide(experience=later, by=city.office, step="publish", on=date(2026, 12, 1))

    bulletin = weekly.bulletin_request(cycle=cycle, by=city.office, background=False)

    assert bulletin.state == "done"
    rows = list(load_workbook(bulletin.xlsx.path, read_only=True)["典型经验"].iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == [published.title]


def test_a_summary_goes_into_the_bulletin_as_one_short_line():
    assert one_line("\n\n  第一行  \n第二行") == "第一行"
    assert len(one_line("长" * 200)) == 60
