"""The supervision notice (督办通知单) as a Word document in the usual official layout.

The platform's shared builder (`duban.documents`, GB/T 9704 layout) writes it when present; the
simple layout below is the fallback, so that a notice can always be issued.
"""

from __future__ import annotations

import io
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _run(paragraph, text: str, *, font: str = BODY_FONT, size: int = 16, bold: bool = False, red=False):
    run = paragraph.add_run(text)
    run.font.name = font
    # East Asian text takes its font from eastAsia, not from the Latin name.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.font.size = Pt(size)
    run.font.bold = bold
    if red:
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    return run


def notice_docx(notice) -> bytes:
    """Title, number, addressee, the matters, the reply deadline, the issuing office and date."""
    directive = notice.directive
    try:
        from duban.documents.notices import supervision_notice_docx
    except ImportError:
        return plain_notice_docx(notice)
    return supervision_notice_docx(
        number=str(notice.sequence),
        year=notice.year,
        addressee=notice.unit.name,
        matters=[{"title": directive.title, "deadline": directive.deadline, "requirement": notice.matters}],
        reply_deadline=notice.reply_by,
        office_name=settings.DUBAN_OFFICE_NAME,
        issued_on=notice.issued_on,
        city_name=settings.DUBAN_CITY_NAME,
    )


def plain_notice_docx(notice) -> bytes:
    """The same notice in a plain layout, built here."""
    directive = notice.directive
    document = Document()
    section = document.sections[0]
    section.top_margin, section.bottom_margin = Pt(104), Pt(98)
    section.left_margin, section.right_margin = Pt(79), Pt(74)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, f"{settings.DUBAN_CITY_NAME}{_('人民政府')}", font=TITLE_FONT, size=26, red=True)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, _("督办通知单"), font=TITLE_FONT, size=22, bold=True)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, _("督查室%(number)s") % {"number": notice.number}, size=16)

    addressee = document.add_paragraph()
    _run(addressee, f"{notice.unit.name}：")

    def body(text: str):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _run(paragraph, text)
        return paragraph

    source = directive.meeting.title if directive.meeting_id else directive.get_source_display()
    body(
        _(
            "根据%(source)s的部署，“%(title)s”由你单位牵头办理，办理时限为%(deadline)s。"
            "经督查，该事项目前进展滞后，现予督办。"
        )
        % {"source": source, "title": directive.title, "deadline": chinese_date(directive.deadline)}
    )
    body(_("一、督办事项"))
    for line in [ln for ln in notice.matters.splitlines() if ln.strip()]:
        body(line.strip())
    body(_("二、办理要求"))
    body(
        _("请你单位高度重视，认真研究，抓紧落实，并于%(reply_by)s前将办理情况书面报送市政府督查室。")
        % {"reply_by": chinese_date(notice.reply_by)}
    )
    if directive.responsible_leader_id:
        body(_("责任领导：%(leader)s") % {"leader": directive.responsible_leader})

    document.add_paragraph()
    for text in (settings.DUBAN_OFFICE_NAME, chinese_date(notice.issued_on)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, text)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
