from datetime import date

import pytest
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

from duban.documents import notice_number, supervision_notice_docx

from .helpers import all_text, east_asian_font, open_docx, paragraph

MATTERS = [
    {
        "title": "加快专项债券项目开工建设",
        "deadline": date(2026, 12, 1),
        "requirement": "12月底前完成全部项目开工",
    },
    {"title": "落实PPP项目绩效评价", "deadline": "每月5日前", "requirement": "形成评价报告并报市政府。"},
    {"title": "整改审计发现问题", "deadline": None, "requirement": ""},
]


def _notice(**overrides) -> bytes:
    arguments = {
        "number": "12",
        "year": 2026,
        "addressee": "市财政局",
        "matters": MATTERS,
        "reply_deadline": date(2026, 12, 5),
        "office_name": "市政府督查室",
        "issued_on": date(2026, 11, 25),
        "city_name": "云泽市",
    }
    return supervision_notice_docx(**{**arguments, **overrides})


def test_the_notice_opens_with_python_docx_and_carries_number_and_addressee():
    document = open_docx(_notice())
    text = all_text(document)
    assert "〔2026〕第12号" in text
    assert paragraph(document, "市财政局").text == "市财政局："
    assert "督办通知单" in text


def test_the_notice_lists_each_matter_with_its_deadline_and_requirement():
    text = all_text(open_docx(_notice()))
    assert "一、加快专项债券项目开工建设" in text
    assert "办理时限：2026年12月1日前。" in text
    assert "工作要求：12月底前完成全部项目开工。" in text
    assert "二、落实PPP项目绩效评价" in text
    assert "办理时限：每月5日前。" in text
    assert "工作要求：形成评价报告并报市政府。" in text
    assert "三、整改审计发现问题" in text


def test_the_notice_states_the_reply_deadline_and_the_issuing_office_and_date():
    document = open_docx(_notice())
    text = all_text(document)
    assert "请于2026年12月5日前将办理情况" in text
    assert "书面报送市政府督查室" in text
    last_two = [p.text for p in document.paragraphs if p.text][-2:]
    assert last_two == ["云泽市政府督查室", "2026年11月25日"]


def test_the_masthead_is_the_issuing_office_in_red():
    document = open_docx(_notice())
    masthead = document.paragraphs[0]
    assert masthead.text == "云泽市政府督查室"
    assert masthead.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert masthead.runs[0].font.color.rgb == RGBColor(0xFF, 0x00, 0x00)


def test_a_red_rule_runs_under_the_number():
    number = paragraph(open_docx(_notice()), "〔2026〕第12号")
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"


def test_every_run_names_an_east_asian_font_so_word_shows_chinese_faces():
    document = open_docx(_notice())
    runs = [run for p in document.paragraphs for run in p.runs]
    assert runs and all(east_asian_font(run) for run in runs)
    assert east_asian_font(paragraph(document, "督办通知单").runs[0]) == "方正小标宋简体"
    assert east_asian_font(paragraph(document, "请于").runs[0]) == "仿宋_GB2312"
    assert east_asian_font(paragraph(document, "一、").runs[0]) == "黑体"
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_the_body_is_sixteen_point_on_a_fixed_twenty_eight_point_line():
    body = paragraph(open_docx(_notice()), "请于")
    assert body.runs[0].font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == 28
    assert body.paragraph_format.first_line_indent.pt == 32


def test_the_page_is_a4_with_the_official_margins():
    section = open_docx(_notice()).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]


def test_the_wording_is_the_platforms_language_whatever_the_users():
    with translation.override("en"):
        text = all_text(open_docx(_notice()))
    assert "督办通知单" in text and "请于2026年12月5日前" in text


def test_a_notice_needs_at_least_one_matter_with_a_title():
    with pytest.raises(ValueError):
        _notice(matters=[])
    with pytest.raises(ValueError):
        _notice(matters=[{"title": " ", "deadline": None, "requirement": "x"}])


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("12", "〔2026〕第12号"),
        (7, "〔2026〕第7号"),
        ("007", "〔2026〕第7号"),
        ("云督〔2026〕3号", "云督〔2026〕3号"),
    ],
)
def test_notice_numbers_are_written_out(number, text):
    assert notice_number(2026, number) == text
