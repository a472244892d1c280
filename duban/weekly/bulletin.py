"""The weekly bulletin (周报 第N期) laid out: an official Word document (duban.documents) and an Excel
workbook of a cycle's reports. What goes into it is read by the selectors; the office asks for it and
the worker compiles it through `services.bulletin_request`.

A province-sized cycle has 100,000 items. The frame of the document (masthead, summary, record block)
is built with python-docx; the long parts (the themes, the red and yellow lists, the coordination
requests) are written as WordprocessingML text straight into the .docx while it is zipped, so memory
stays flat and the time is a few seconds rather than the minutes python-docx needs per paragraph.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from duban.core.excel import Sheet, write_chunks, write_workbook
from duban.documents.dates import chinese_date, chinese_number
from duban.documents.official import DocumentTable, Section, document_bytes, issuer_name, official_document

from . import providers as registry
from . import selectors
from .models import ReportingCycle, ReportState, Timeliness

PROGRESS_EVERY = 2000

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "灰灯"}


# --- Word ----------------------------------------------------------------------------------------

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FONT_HEADING = "黑体"
FONT_SUBHEADING = "楷体_GB2312"


def _t(text) -> str:
    return escape(_INVALID_XML.sub("", "" if text is None else str(text)))


def _run(text, *, bold: bool = False, face: str = "", size: int = 0) -> str:
    props = ""
    if face:
        props += f'<w:rFonts w:eastAsia="{face}" w:hint="eastAsia"/>'
    if bold:
        props += "<w:b/>"
    if size:
        props += f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_t(text)}</w:t></w:r>'


def _para(*runs: str, indent: bool = True, align: str = "both") -> str:
    ind = '<w:ind w:firstLine="640"/>' if indent else '<w:ind w:firstLine="0"/>'
    return f'<w:p><w:pPr>{ind}<w:jc w:val="{align}"/></w:pPr>{"".join(runs)}</w:p>'


def _table(headers: list[str], rows: Iterable[list], widths_mm: list[float]) -> Iterator[str]:
    twips = [int(w * 56.7) for w in widths_mm]
    yield (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
        + "</w:tblGrid>"
    )

    def cells(values, *, header: bool) -> str:
        out = []
        for value, width in zip(values, twips, strict=True):
            run = _run(value, face=FONT_HEADING if header else "", size=12)
            align = "center" if header else "left"
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
                f'<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="{align}"/>'
                f"</w:pPr>{run}</w:p></w:tc>"
            )
        return "".join(out)

    yield f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{cells(headers, header=True)}</w:tr>'
    for row in rows:
        yield f"<w:tr>{cells(row, header=False)}</w:tr>"
    # Word needs a paragraph between a table and what follows.
    yield '</w:tbl><w:p><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr></w:p>'


def _none_paragraph() -> str:
    return _para(_run(_("无。")))


def _themes_xml(cycle: ReportingCycle, on_items) -> Iterator[str]:
    counts = selectors.theme_light_counts(cycle)
    theme_number = 0
    current_theme = object()
    current_unit = None
    item_number = 0
    for done, row in enumerate(selectors.items_by_theme(cycle), start=1):
        if row["theme_id"] != current_theme:
            current_theme, current_unit = row["theme_id"], None
            theme_number += 1
            c = counts.get(current_theme, Counter())
            number = chinese_number(theme_number) if theme_number < 100 else str(theme_number)
            heading = _("（%(n)s）%(theme)s") % {"n": number, "theme": row["theme__name"] or _("其他")}
            figures = _("共%(total)d项，其中红灯%(red)d项、黄灯%(yellow)d项、绿灯%(green)d项。") % {
                "total": sum(c.values()),
                "red": c["red"],
                "yellow": c["yellow"],
                "green": c["green"],
            }
            yield _para(_run(heading, face=FONT_SUBHEADING))
            yield _para(_run(figures))
        if row["report__unit_id"] != current_unit:
            current_unit = row["report__unit_id"]
            item_number = 0
            status = Timeliness(row["report__timeliness"]).label
            if row["report__state"] != ReportState.SUBMITTED:
                status = _("未报送")
            yield _para(_run(f"{row['report__unit__name']}（{status}）", bold=True))
        item_number += 1
        yield _item_para(item_number, row)
        if done % PROGRESS_EVERY == 0 and on_items:
            on_items(done)


def _item_para(number: int, row: dict) -> str:
    facts = [LIGHT_LABELS.get(row["light"], "")] if row["light"] else []
    if row["deadline"]:
        facts.append(_("时限%(d)s") % {"d": row["deadline"]})
    if row["percent"] is not None and row["report__state"] == ReportState.SUBMITTED:
        facts.append(_("进度%(p)d%%") % {"p": row["percent"]})
    runs = [_run(f"{number}. {row['title']}", bold=True)]
    if facts:
        runs.append(_run(f"（{'，'.join(facts)}）"))
    if row["report__state"] != ReportState.SUBMITTED:
        runs.append(_run(_("本周未报送进展。")))
        return _para(*runs)
    for label, key in (
        (_("本周完成情况："), "done_this_week"),
        (_("下周工作计划："), "plan_next_week"),
        (_("存在问题："), "problems"),
    ):
        if row[key]:
            runs.append(_run(label, bold=True))
            runs.append(
                _run(row[key].strip() + ("" if row[key].strip().endswith(("。", "；", ".")) else "。"))
            )
    return _para(*runs)


def _peeked(rows: Iterator) -> Iterator | None:
    """The rows again, or None when there are none (known before anything is written)."""
    first = next(rows, None)
    return None if first is None else chain([first], rows)


def _flagged_xml(cycle: ReportingCycle, light: str) -> Iterator[str]:
    groups = [(label, rows) for label, rows in selectors.bulletin_flagged(cycle, light=light) if rows]
    if not groups:
        yield _none_paragraph()
    for label, rows in groups:
        if len(registry.providers()) > 1:
            yield _para(_run(label, face=FONT_SUBHEADING))
        yield from _table(
            [_("序号"), _("编号"), _("事项名称"), _("牵头单位"), _("责任领导"), _("办理时限"), _("进度")],
            (
                [
                    i,
                    f.number,
                    f.title,
                    f.unit_name,
                    f.leader_name,
                    f.deadline or "",
                    "" if f.percent is None else f"{f.percent}%",
                ]
                for i, f in enumerate(rows, start=1)
            ),
            [10, 14, 52, 30, 18, 20, 12],
        )


def _coordination_xml(cycle: ReportingCycle) -> Iterator[str]:
    rows = _peeked(
        [
            i,
            row["report__unit__name"],
            row["title"],
            row["coordination_request"],
            row["coordination_leader__name"] or row["coordination_unit__name"] or "",
        ]
        for i, row in enumerate(selectors.coordination_requests(cycle), start=1)
    )
    if rows is None:
        yield _none_paragraph()
        return
    yield from _table(
        [_("序号"), _("提请单位"), _("事项名称"), _("需协调解决事项"), _("提请协调")],
        rows,
        [12, 30, 40, 52, 22],
    )


def _filing_xml(cycle: ReportingCycle) -> Iterator[str]:
    lists = selectors.filing_lists(cycle)
    for label, names in ((_("迟报单位"), lists["late"]), (_("未报送单位"), lists["missing"])):
        text = "、".join(names) + "。" if names else _("无。")
        yield _para(
            _run(_("%(label)s（%(n)d个）：") % {"label": label, "n": len(names)}, bold=True), _run(text)
        )


def _section_xml(table) -> Iterator[str]:
    if not table.rows:
        yield _none_paragraph()
        return
    yield from _table(table.headers, table.rows, table.widths_mm)


def _markers() -> dict[str, str]:
    return {
        name: f"@@DUBAN-WEEKLY-{name}@@" for name in ("themes", "red", "yellow", "coordination", "filing")
    }


def _section_marker(key: str) -> str:
    return f"@@DUBAN-WEEKLY-SECTION-{key}@@"


def bulletin_frame(cycle: ReportingCycle, sections=None) -> bytes:
    """The document without its long parts: python-docx, with a marker paragraph for each part (and
    for each section another capability adds, `selectors.bulletin_sections`)."""
    marks = _markers()
    sections = selectors.bulletin_sections(cycle) if sections is None else sections
    figures = selectors.bulletin_figures(cycle)
    today = timezone.localdate()
    office = issuer_name(settings.DUBAN_CITY_NAME, settings.DUBAN_OFFICE_NAME)
    period = _("%(start)s至%(end)s") % {
        "start": chinese_date(cycle.starts_on),
        "end": chinese_date(cycle.ends_on),
    }
    overview = _("本期周报汇总%(period)s各单位报送的督办工作进展。") % {"period": period}
    document = official_document(
        issuer=_("督办工作周报"),
        number=_("%(year)d年第%(n)d期") % {"year": cycle.iso_year, "n": cycle.issue_number},
        issue_line=(_("%(office)s编") % {"office": office}, chinese_date(today)),
        sections=[
            Section(
                heading=_("总体情况"),
                paragraphs=[overview, selectors.bulletin_lights_note(cycle)],
                tables=[DocumentTable(headers=[_("项目"), _("数量")], rows=figures, widths_mm=[100, 40])],
            ),
            Section(heading=_("分主题推进情况"), paragraphs=[marks["themes"]]),
            Section(heading=_("红灯事项"), paragraphs=[marks["red"]]),
            Section(heading=_("黄灯事项"), paragraphs=[marks["yellow"]]),
            Section(heading=_("需协调解决事项"), paragraphs=[marks["coordination"]]),
            *(
                Section(heading=heading, paragraphs=[_section_marker(key)])
                for key, heading, _rows in sections
            ),
            Section(heading=_("报送情况"), paragraphs=[marks["filing"]]),
        ],
        record_lines=[_("报：市政府各位领导。"), _("送：各县（区）人民政府，市直各单位。")],
        printed_by=office,
        printed_on=today,
    )
    document.core_properties.title = str(cycle)
    return document_bytes(document)


def _paragraph_around(xml: str, marker: str) -> tuple[int, int]:
    at = xml.index(marker)
    start = max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))
    end = xml.index("</w:p>", at) + len("</w:p>")
    return start, end


def bulletin_docx(cycle: ReportingCycle, out, *, on_items=None) -> None:
    """Write the bulletin's .docx to the binary file `out`."""
    sections = selectors.bulletin_sections(cycle)
    frame = zipfile.ZipFile(io.BytesIO(bulletin_frame(cycle, sections)))
    xml = frame.read("word/document.xml").decode("utf-8")
    marks = _markers()
    parts = {
        marks["themes"]: lambda: _themes_xml(cycle, on_items),
        marks["red"]: lambda: _flagged_xml(cycle, "red"),
        marks["yellow"]: lambda: _flagged_xml(cycle, "yellow"),
        marks["coordination"]: lambda: _coordination_xml(cycle),
        marks["filing"]: lambda: _filing_xml(cycle),
        **{
            _section_marker(key): (lambda table=table: _section_xml(table))
            for key, _heading, table in sections
        },
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in frame.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, frame.read(info.filename))
                continue
            with target.open("word/document.xml", "w", force_zip64=True) as stream:
                position = 0
                for marker in sorted(parts, key=xml.index):
                    start, end = _paragraph_around(xml, marker)
                    stream.write(xml[position:start].encode("utf-8"))
                    write_chunks(stream, parts[marker]())
                    position = end
                stream.write(xml[position:].encode("utf-8"))


# --- Excel ---------------------------------------------------------------------------------------

XLSX_HEADERS = [
    _lazy("报送单位"),
    _lazy("报送情况"),
    _lazy("提交时间"),
    _lazy("事项类型"),
    _lazy("事项编号"),
    _lazy("事项名称"),
    _lazy("工作主题"),
    _lazy("亮灯"),
    _lazy("办理时限"),
    _lazy("完成进度（%）"),
    _lazy("本周完成情况"),
    _lazy("下周工作计划"),
    _lazy("存在问题"),
    _lazy("需协调解决事项"),
    _lazy("提请协调"),
]


def bulletin_xlsx(cycle: ReportingCycle, *, on_items=None) -> bytes:
    """One row per item of every report: the office filters it by unit, theme, light or filing; then a
    sheet for each section another capability adds (the published typical experiences)."""
    labels = {p.key: p.label for p in registry.providers()}
    timeliness = {value: str(label) for value, label in Timeliness.choices}
    not_filed = _("未报送")

    def rows():
        for done, row in enumerate(selectors.items_by_unit(cycle), start=1):
            submitted = row["report__state"] == ReportState.SUBMITTED
            status = timeliness[row["report__timeliness"]] if submitted else not_filed
            if row["report__timeliness"] == Timeliness.MISSING:
                status = timeliness[Timeliness.MISSING]
            when = row["report__submitted_at"]
            yield (
                row["report__unit__name"],
                status,
                timezone.localtime(when).replace(tzinfo=None) if when else None,
                labels.get(row["source"], row["source"]),
                row["object_id"],
                row["title"],
                row["theme__name"] or "",
                LIGHT_LABELS.get(row["light"], row["light"]),
                row["deadline"],
                row["percent"] if submitted else None,
                row["done_this_week"] if submitted else "",
                row["plan_next_week"] if submitted else "",
                row["problems"] if submitted else "",
                row["coordination_request"] if submitted else "",
                (row["coordination_leader__name"] or row["coordination_unit__name"] or "")
                if submitted
                else "",
            )
            if on_items and done % PROGRESS_EVERY == 0:
                on_items(done)

    title = _("第%(n)d期周报") % {"n": cycle.issue_number}
    sections = [
        Sheet(heading, [str(h) for h in table.headers], table.rows)
        for _key, heading, table in selectors.bulletin_sections(cycle)
    ]
    return write_workbook(
        title=title, headers=[str(h) for h in XLSX_HEADERS], rows=rows(), more_sheets=sections
    )


def bulletin_compile_job(bulletin_id: int) -> str:
    """Where tasks queued before the compilation moved to `services` still find it."""
    from .services import bulletin_compile_job as job

    return job(bulletin_id)
