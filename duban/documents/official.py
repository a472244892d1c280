"""The official-document layout (GB/T 9704-2012, approximately) as a python-docx builder.

`official_document(...)` lays out the red masthead (版头), the number or issue line, the red rule, the
title, the addressee (主送), numbered sections with paragraphs and tables, the signature and date,
the record block (版记) and page numbers, and returns a python-docx Document that callers may extend
before `document_bytes(...)`. No Django import: every text comes in as an argument.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .dates import chinese_date, chinese_number, local_moment_text

# Sizes of the Chinese type scale (字号) in points.
SIZE_1 = 26  # 一号
SIZE_2 = 22  # 二号: the title
SIZE_3 = 16  # 三号: the body
SIZE_4 = 14  # 四号: page numbers and the record block
SIZE_SMALL_4 = 12  # 小四: tables
SIZE_MASTHEAD_MAX = 36  # 小初: the masthead, smaller when the issuer's name is long

# A4 with the type area (版心) of 156 mm x 225 mm: top 37 mm, inside 28 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_AREA_WIDTH_PT = Mm(156).pt
# 22 lines of 28 characters per page: a fixed 28 pt line for 16 pt body text.
LINE = Pt(28)
RED = RGBColor(0xFF, 0x00, 0x00)


@dataclass(frozen=True)
class Fonts:
    """The faces of the official layout. The defaults are those installed in government offices; Word
    substitutes a similar face where one is missing."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading: str = "黑体"
    subheading: str = "楷体_GB2312"
    page_number: str = "宋体"
    western: str = "Times New Roman"


@dataclass
class DocumentTable:
    """A table with a header row. Cells are converted with str(); None becomes an empty cell."""

    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""
    widths_mm: Sequence[float] | None = None
    font_size: float = SIZE_SMALL_4


@dataclass
class Section:
    """A part of the body: an optional heading, then paragraphs, then tables.

    level 1 headings are numbered 一、 in 黑体, level 2 （一） in 楷体, level 3 1. and level 4 （1） in
    the body face, as GB/T 9704 orders them; numbered=False keeps the heading text as given.
    """

    heading: str = ""
    paragraphs: Sequence[str] = ()
    tables: Sequence[DocumentTable] = ()
    level: int = 1
    numbered: bool = True


def set_run_font(run, *, east_asian: str, western: str, size: float, bold: bool = False, color=None) -> None:
    """Set a run's faces, including the East Asian one (w:rFonts/@w:eastAsia) that Word uses for
    Chinese characters and python-docx's font.name does not set."""
    run.font.name = western
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def text_width(text: str) -> float:
    """Width in Chinese characters: wide characters count 1, Latin letters and digits 1/2."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def issuer_name(city_name: str, office_name: str) -> str:
    """The issuing body's full name: 云泽市 + 市政府督查室 → 云泽市政府督查室 (no 市市)."""
    if not city_name or office_name.startswith(city_name):
        return office_name
    if city_name.endswith("市") and office_name.startswith("市"):
        return city_name + office_name[1:]
    return city_name + office_name


class _Builder:
    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.owed_space = 0.0
        self.doc = Document()
        self._page_setup()
        self._default_style()

    # Page and styles

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance = Mm(15)
        # The page number's rule sits 7 mm below the type area.
        section.footer_distance = Mm(22)

    def _default_style(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name = self.fonts.western
        normal.font.size = Pt(SIZE_3)
        rpr = normal.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), self.fonts.body)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = LINE
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY

    # Paragraphs

    def paragraph(
        self,
        text: str = "",
        *,
        face: str | None = None,
        size: float = SIZE_3,
        bold: bool = False,
        color=None,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent_chars: float = 0,
        right_indent_chars: float = 0,
        space_before: float = 0,
        exact_line: bool = True,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.alignment = align
        # A blank line owed by the previous part (after the title) goes to whatever comes next.
        space_before, self.owed_space = max(space_before, self.owed_space), 0
        fmt.space_before, fmt.space_after = Pt(space_before), Pt(0)
        if exact_line:
            fmt.line_spacing, fmt.line_spacing_rule = LINE, WD_LINE_SPACING.EXACTLY
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if indent_chars:
            fmt.first_line_indent = Pt(indent_chars * size)
        if right_indent_chars:
            fmt.right_indent = Pt(right_indent_chars * size)
        if text:
            self.run(p, text, face=face, size=size, bold=bold, color=color)
        return p

    def run(
        self,
        p: Paragraph,
        text: str,
        *,
        face: str | None = None,
        size: float = SIZE_3,
        bold=False,
        color=None,
    ):
        run = p.add_run(text)
        set_run_font(
            run,
            east_asian=face or self.fonts.body,
            western=self.fonts.western,
            size=size,
            bold=bold,
            color=color,
        )
        return run

    def body(self, text: str) -> Paragraph:
        # Each paragraph starts two characters in and wraps flush left.
        return self.paragraph(text, indent_chars=2)

    @staticmethod
    def border(
        p: Paragraph, edge: str, *, color: str = "000000", eighths: int = 8, space_pt: int = 1
    ) -> None:
        ppr = p._p.get_or_add_pPr()
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            ppr.append(borders)
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(eighths))
        line.set(qn("w:space"), str(space_pt))
        line.set(qn("w:color"), color)
        borders.append(line)

    # Parts of the document

    def masthead(self, issuer: str, *, space_before_mm: float) -> Paragraph:
        size = min(SIZE_MASTHEAD_MAX, int(TYPE_AREA_WIDTH_PT * 0.95 / max(text_width(issuer), 1)))
        return self.paragraph(
            issuer,
            face=self.fonts.title,
            size=size,
            color=RED,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_before=Mm(space_before_mm).pt,
            exact_line=False,
        )

    def left_right_line(self, left: str, right: str, *, space_before: float = 0) -> Paragraph:
        p = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT, space_before=space_before)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
        self.run(p, f"{left}\t{right}")
        return p

    def red_rule(self, p: Paragraph) -> None:
        # The rule 4 mm under the number line, as wide as the type area.
        self.border(p, "bottom", color="FF0000", eighths=12, space_pt=11)

    def title(self, text: str, *, space_before: float) -> None:
        for i, line in enumerate(text.split("\n")):
            self.paragraph(
                line,
                face=self.fonts.title,
                size=SIZE_2,
                align=WD_ALIGN_PARAGRAPH.CENTER,
                space_before=space_before if i == 0 else 0,
                exact_line=False,
            )

    def heading(self, section: Section, number: int) -> None:
        level = max(1, min(section.level, 4))
        text = section.heading
        if section.numbered:
            prefix = {
                1: f"{chinese_number(number)}、",
                2: f"（{chinese_number(number)}）",
                3: f"{number}.",
                4: f"（{number}）",
            }
            text = prefix[level] + text
        face = {1: self.fonts.heading, 2: self.fonts.subheading}.get(level, self.fonts.body)
        self.paragraph(text, face=face, indent_chars=2)

    def table(self, spec: DocumentTable) -> None:
        if spec.caption:
            self.paragraph(
                spec.caption, face=self.fonts.heading, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6
            )
        table = self.doc.add_table(rows=1, cols=len(spec.headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, spec.headers, strict=True):
            self._cell(cell, str(text), face=self.fonts.heading, size=spec.font_size, center=True)
        _repeat_header_row(table.rows[0])
        for values in spec.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                text = _cell_text(value)
                # Figures are centred in their column, text reads from the left.
                number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
                self._cell(cell, text, face=self.fonts.body, size=spec.font_size, center=number)
        if spec.widths_mm:
            for row in table.rows:
                for cell, width in zip(row.cells, spec.widths_mm, strict=True):
                    cell.width = Mm(width)
        self.owed_space = 6

    def _cell(self, cell, text: str, *, face: str, size: float, center: bool = False) -> None:
        p = cell.paragraphs[0]
        fmt = p.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        fmt.first_line_indent = Pt(0)
        fmt.space_before = fmt.space_after = Pt(2)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self.run(p, text, face=face, size=size)

    def signature(self, signature: str, signed_on: str) -> None:
        # As for a stamped document: the date four characters from the right, the signature centred
        # over it, room above for the seal.
        date_right = 4
        sig_right = date_right + max(0.0, (text_width(signed_on) - text_width(signature)) / 2)
        if signature:
            self.paragraph(
                signature,
                align=WD_ALIGN_PARAGRAPH.RIGHT,
                right_indent_chars=sig_right,
                space_before=2 * LINE.pt,
            )
        if signed_on:
            self.paragraph(
                signed_on,
                align=WD_ALIGN_PARAGRAPH.RIGHT,
                right_indent_chars=date_right,
                space_before=0 if signature else 2 * LINE.pt,
            )

    def record(self, lines: Sequence[str], printed_by: str, printed_on: str) -> None:
        """The record block (版记) at the end: thick rules above and below, thin ones between lines."""
        rows = [(line, "") for line in lines]
        if printed_by or printed_on:
            rows.append((printed_by, f"{printed_on}印发" if printed_on else ""))
        for i, (left, right) in enumerate(rows):
            p = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT, space_before=3 * LINE.pt if i == 0 else 0)
            fmt = p.paragraph_format
            fmt.left_indent = fmt.right_indent = Pt(SIZE_4)
            fmt.tab_stops.add_tab_stop(Mm(156) - Pt(2 * SIZE_4), WD_TAB_ALIGNMENT.RIGHT)
            self.run(p, f"{left}\t{right}" if right else left, size=SIZE_4)
            if i == 0:
                self.border(p, "top", eighths=8, space_pt=1)
            last = i == len(rows) - 1
            self.border(p, "bottom", eighths=8 if last else 4, space_pt=1)

    def field(self, p: Paragraph, instruction: str, *, face: str, size: float) -> None:
        """A Word field (PAGE, NUMPAGES) that Word computes when it lays the page out."""
        for kind in ("begin", "instr", "separate", "value", "end"):
            run = self.run(p, "1" if kind == "value" else "", face=face, size=size)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {instruction} "
                run._r.append(instr)
            elif kind != "value":
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)

    def page_numbers(self) -> None:
        # "— 1 —" in 四号 宋体: odd pages on the right, even pages on the left, one character in.
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            fmt = p.paragraph_format
            fmt.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = Pt(SIZE_4)
            else:
                fmt.left_indent = Pt(SIZE_4)
            face = self.fonts.page_number
            self.run(p, "— ", face=face, size=SIZE_4)
            self.field(p, "PAGE", face=face, size=SIZE_4)
            self.run(p, " —", face=face, size=SIZE_4)


def _repeat_header_row(row) -> None:
    # A long table repeats its header on every page.
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def official_document(
    *,
    issuer: str,
    title: str = "",
    number: str = "",
    issue_line: tuple[str, str] | None = None,
    addressee: str = "",
    sections: Sequence[Section | str] = (),
    signature: str = "",
    signed_on: date | None = None,
    chinese_numeral_date: bool = False,
    record_lines: Sequence[str] = (),
    printed_by: str = "",
    printed_on: date | None = None,
    masthead_space_mm: float = 35,
    page_numbers: bool = True,
    fonts: Fonts = Fonts(),  # noqa: B008  (frozen, so one shared default is safe)
) -> DocxDocument:
    """Lay out an official document and return it (python-docx) for the caller to extend or save.

    issuer:      the red masthead (发文机关标志), e.g. "云泽市政府督查室" or "督查工作简报".
    number:      the centred line under the masthead: a document number (〔2026〕第12号) or an issue
                 number (第48期).
    issue_line:  (left, right) above the red rule, e.g. ("云泽市政府督查室编", "2026年11月25日") for a
                 bulletin.
    addressee:   the 主送 line; the full-width colon is added.
    sections:    strings are body paragraphs; Section adds numbered headings, paragraphs and tables.
    signature, signed_on: the issuing body and the date at the end.
    record_lines, printed_by, printed_on: the record block (版记), e.g. ["抄送：市委督查室。"].
    """
    b = _Builder(fonts)
    masthead = b.masthead(issuer, space_before_mm=masthead_space_mm)
    last_header = masthead
    if number:
        last_header = b.paragraph(number, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=2 * LINE.pt)
    if issue_line:
        last_header = b.left_right_line(*issue_line, space_before=0 if number else LINE.pt)
    b.red_rule(last_header)
    if title:
        b.title(title, space_before=2 * LINE.pt)
        b.owed_space = LINE.pt
    if addressee:
        b.paragraph(addressee.rstrip(":：") + "：", align=WD_ALIGN_PARAGRAPH.LEFT, space_before=LINE.pt)
    counters = [0, 0, 0, 0]
    for section in sections:
        if isinstance(section, str):
            b.body(section)
            continue
        if section.heading:
            level = max(1, min(section.level, 4))
            counters[level - 1] += 1
            counters[level:] = [0] * (4 - level)
            b.heading(section, counters[level - 1])
        for text in section.paragraphs:
            b.body(text)
        for spec in section.tables:
            b.table(spec)
    signed = chinese_date(signed_on, numerals=chinese_numeral_date) if signed_on else ""
    if signature or signed:
        b.signature(signature, signed)
    if record_lines or printed_by or printed_on:
        b.record(record_lines, printed_by, chinese_date(printed_on) if printed_on else "")
    if page_numbers:
        b.page_numbers()
    props = b.doc.core_properties
    props.title = title.replace("\n", "") or issuer
    props.author = props.last_modified_by = signature or issuer
    props.language = "zh-CN"
    props.comments = ""
    return b.doc


def document_bytes(document: DocxDocument) -> bytes:
    """The .docx file's bytes, for a response or a FileField."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cell_text(value) -> str:
    """A table cell's text: a moment in local time (never UTC, never Python's repr), anything else as
    its text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_moment_text(value)
    return str(value)
