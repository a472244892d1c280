"""The weekly bulletin (周报 第N期): gathered from a cycle's reports and the providers, laid out as an
official Word document (duban.documents) and an Excel workbook, compiled in the background.

A province-sized cycle has 100,000 items. The frame of the document (masthead, summary, record block)
is built with python-docx; the long parts (the themes, the red and yellow lists, the coordination
requests) are written as WordprocessingML text straight into the .docx while it is zipped, so memory
stays flat and the time is a few seconds rather than the minutes python-docx needs per paragraph.
"""

from __future__ import annotations

import logging
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from duban.accounts.scope import is_office
from duban.core.excel import write_workbook
from duban.documents.dates import chinese_date, chinese_number
from duban.documents.official import DocumentTable, Section, document_bytes, issuer_name, official_document

from . import providers as registry
from .models import Bulletin, BulletinState, ReportingCycle, ReportItem, ReportState, Timeliness, WeeklyReport

logger = logging.getLogger(__name__)

COMPILE_FUNC = "duban.weekly.bulletin.bulletin_compile_job"
# Above this many items the bulletin is compiled by the background worker, with a progress bar.
BACKGROUND_ABOVE = getattr(settings, "DUBAN_WEEKLY_BULLETIN_BACKGROUND_ABOVE", 2000)
PROGRESS_EVERY = 2000

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "灰灯"}


# --- requesting and compiling --------------------------------------------------------------------


def bulletin_request(*, cycle: ReportingCycle, by, background: bool | None = None) -> Bulletin:
    """The office asks for the bulletin: compiled now when small, else queued for the worker."""
    if not is_office(by):
        raise PermissionDenied
    with transaction.atomic():
        bulletin, created = Bulletin.objects.select_for_update().get_or_create(cycle=cycle)
        if (
            bulletin.state in (BulletinState.QUEUED, BulletinState.RUNNING)
            and not created
            and _is_recent(bulletin)
        ):
            return bulletin
        count = ReportItem.objects.filter(report__cycle=cycle).count()
        bulletin.state = BulletinState.QUEUED
        bulletin.progress = 0
        bulletin.step = _("排队等待编制")
        bulletin.error = ""
        bulletin.item_count = count
        bulletin.requested_by = by
        bulletin.finished_at = None
        bulletin.save()
        if background is None:
            background = count > BACKGROUND_ABOVE
        if background:
            from django_q.tasks import async_task

            pk = bulletin.pk
            transaction.on_commit(lambda: async_task(COMPILE_FUNC, pk, task_name=f"weekly-bulletin-{pk}"))
            return bulletin
    bulletin_compile(bulletin_id=bulletin.pk)
    bulletin.refresh_from_db()
    return bulletin


def _is_recent(bulletin: Bulletin) -> bool:
    # A compilation that has run for longer than the worker's timeout has died; let it be redone.
    return bulletin.requested_at and timezone.now() - bulletin.requested_at < timedelta(minutes=15)


def _progress(bulletin_id: int, percent: int, step: str) -> None:
    # A derived value: a plain UPDATE, visible to the polling page at once (autocommit in the worker).
    Bulletin.objects.filter(pk=bulletin_id).update(progress=min(100, percent), step=step[:100])


def bulletin_compile(*, bulletin_id: int) -> Bulletin:
    """Compile the Word and Excel files of the bulletin and store them."""
    bulletin = Bulletin.objects.select_related("cycle").get(pk=bulletin_id)
    Bulletin.objects.filter(pk=bulletin_id).update(state=BulletinState.RUNNING)
    cycle = bulletin.cycle
    try:
        count = ReportItem.objects.filter(report__cycle=cycle).count()
        total = max(count, 1)
        _progress(bulletin_id, 2, _("汇总数据"))

        def on_items(done: int, share: tuple[int, int], label: str) -> None:
            low, high = share
            _progress(bulletin_id, low + (high - low) * done // total, label)

        with tempfile.TemporaryFile() as docx_file:
            bulletin_docx(cycle, docx_file, on_items=lambda n: on_items(n, (5, 70), _("编制 Word 文件")))
            _progress(bulletin_id, 70, _("编制 Excel 文件"))
            xlsx = bulletin_xlsx(cycle, on_items=lambda n: on_items(n, (70, 97), _("编制 Excel 文件")))
            _progress(bulletin_id, 98, _("保存文件"))
            name = _("周报%(year)d年第%(n)d期") % {"year": cycle.iso_year, "n": cycle.issue_number}
            for field in (bulletin.docx, bulletin.xlsx):
                if field:
                    field.delete(save=False)
            docx_file.seek(0)
            bulletin.docx.save(f"{name}.docx", File(docx_file), save=False)
            bulletin.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        bulletin.state = BulletinState.DONE
        bulletin.progress = 100
        bulletin.step = _("已完成")
        bulletin.item_count = count
        bulletin.finished_at = timezone.now()
        bulletin.save(
            update_fields=["docx", "xlsx", "state", "progress", "step", "item_count", "finished_at"]
        )
    except Exception as error:
        logger.exception("weekly bulletin %s failed", bulletin_id)
        Bulletin.objects.filter(pk=bulletin_id).update(
            state=BulletinState.FAILED, error=str(error)[:2000], step=_("编制失败")
        )
        bulletin.refresh_from_db()
    return bulletin


def bulletin_compile_job(bulletin_id: int) -> str:
    """The background task (django-q2)."""
    from duban.audit.context import audit_context
    from duban.audit.models import Channel

    with audit_context(channel=Channel.SYSTEM):
        return bulletin_compile(bulletin_id=bulletin_id).state


# --- what goes into it ---------------------------------------------------------------------------


def _week_bounds(cycle: ReportingCycle) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(cycle.starts_on, time.min))
    return start, start + timedelta(days=7)


def summary_figures(cycle: ReportingCycle) -> list[tuple[str, object]]:
    start, end = _week_bounds(cycle)
    figures: list[tuple[str, object]] = []
    for provider in registry.providers():
        figures += provider.summary(start=start, end=end)
    counts = WeeklyReport.objects.filter(cycle=cycle).aggregate(
        asked=Count("pk"),
        on_time=Count("pk", filter=_q(timeliness=Timeliness.ON_TIME)),
        late=Count("pk", filter=_q(timeliness=Timeliness.LATE)),
        not_filed=Count("pk", filter=~_q(state=ReportState.SUBMITTED)),
    )
    figures += [
        (_("应报送单位"), counts["asked"]),
        (_("按时报送"), counts["on_time"]),
        (_("迟报"), counts["late"]),
        (_("未报送"), counts["not_filed"]),
    ]
    return figures


def _q(**kwargs):
    from django.db.models import Q

    return Q(**kwargs)


def filing_lists(cycle: ReportingCycle) -> dict[str, list[str]]:
    reports = WeeklyReport.objects.filter(cycle=cycle).order_by("unit__tree_path")
    late = list(reports.filter(timeliness=Timeliness.LATE).values_list("unit__name", flat=True))
    missing = list(reports.exclude(state=ReportState.SUBMITTED).values_list("unit__name", flat=True))
    return {"late": late, "missing": missing}


ITEM_COLUMNS = (
    "report__unit__name",
    "report__state",
    "report__timeliness",
    "source",
    "object_id",
    "title",
    "theme__name",
    "light",
    "deadline",
    "percent",
    "done_this_week",
    "plan_next_week",
    "problems",
    "coordination_request",
    "coordination_leader__name",
    "coordination_unit__name",
    "report__submitted_at",
    "theme_id",
    "report__unit_id",
)


def _rows(queryset) -> Iterator[dict]:
    for values in queryset.values_list(*ITEM_COLUMNS).iterator(chunk_size=5000):
        yield dict(zip(ITEM_COLUMNS, values, strict=True))


def items_by_theme(cycle: ReportingCycle) -> Iterator[dict]:
    return _rows(
        ReportItem.objects.filter(report__cycle=cycle).order_by(
            "theme__sort_order", "theme_id", "report__unit__tree_path", "deadline", "id"
        )
    )


def items_by_unit(cycle: ReportingCycle) -> Iterator[dict]:
    return _rows(
        ReportItem.objects.filter(report__cycle=cycle).order_by("report__unit__tree_path", "deadline", "id")
    )


def coordination_requests(cycle: ReportingCycle) -> Iterator[dict]:
    return _rows(
        ReportItem.objects.filter(report__cycle=cycle, report__state=ReportState.SUBMITTED)
        .exclude(coordination_request="")
        .order_by("report__unit__tree_path", "id")
    )


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
    counts: dict[object, Counter] = {}
    for theme_id, light, n in (
        ReportItem.objects.filter(report__cycle=cycle)
        .values_list("theme_id", "light")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(theme_id, Counter())[light] += n
    theme_number = 0
    current_theme = object()
    current_unit = None
    item_number = 0
    for done, row in enumerate(items_by_theme(cycle), start=1):
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


def _flagged_xml(light: str) -> Iterator[str]:
    any_rows = False
    for provider in registry.providers():
        rows = (
            [
                i,
                f.title,
                f.unit_name,
                f.leader_name,
                f.deadline or "",
                "" if f.percent is None else f"{f.percent}%",
            ]
            for i, f in enumerate(provider.flagged(light=light), start=1)
        )
        first = next(rows, None)
        if first is None:
            continue
        any_rows = True
        if len(registry.providers()) > 1:
            yield _para(_run(provider.label, face=FONT_SUBHEADING))

        def chain(first=first, rows=rows):
            yield first
            yield from rows

        yield from _table(
            [_("序号"), _("事项名称"), _("牵头单位"), _("责任领导"), _("办理时限"), _("进度")],
            chain(),
            [12, 62, 32, 18, 20, 12],
        )
    if not any_rows:
        yield _none_paragraph()


def _coordination_xml(cycle: ReportingCycle) -> Iterator[str]:
    rows = (
        [
            i,
            row["report__unit__name"],
            row["title"],
            row["coordination_request"],
            row["coordination_leader__name"] or row["coordination_unit__name"] or "",
        ]
        for i, row in enumerate(coordination_requests(cycle), start=1)
    )
    first = next(rows, None)
    if first is None:
        yield _none_paragraph()
        return

    def chain():
        yield first
        yield from rows

    yield from _table(
        [_("序号"), _("提请单位"), _("事项名称"), _("需协调解决事项"), _("提请协调")],
        chain(),
        [12, 30, 40, 52, 22],
    )


def _filing_xml(cycle: ReportingCycle) -> Iterator[str]:
    lists = filing_lists(cycle)
    for label, names in ((_("迟报单位"), lists["late"]), (_("未报送单位"), lists["missing"])):
        text = "、".join(names) + "。" if names else _("无。")
        yield _para(
            _run(_("%(label)s（%(n)d个）：") % {"label": label, "n": len(names)}, bold=True), _run(text)
        )


def _markers() -> dict[str, str]:
    return {
        name: f"@@DUBAN-WEEKLY-{name}@@" for name in ("themes", "red", "yellow", "coordination", "filing")
    }


def bulletin_frame(cycle: ReportingCycle) -> bytes:
    """The document without its long parts: python-docx, with a marker paragraph for each part."""
    marks = _markers()
    figures = summary_figures(cycle)
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
                paragraphs=[overview],
                tables=[DocumentTable(headers=[_("项目"), _("数量")], rows=figures, widths_mm=[100, 40])],
            ),
            Section(heading=_("分主题推进情况"), paragraphs=[marks["themes"]]),
            Section(heading=_("红灯事项"), paragraphs=[marks["red"]]),
            Section(heading=_("黄灯事项"), paragraphs=[marks["yellow"]]),
            Section(heading=_("需协调解决事项"), paragraphs=[marks["coordination"]]),
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
    import io

    frame = zipfile.ZipFile(io.BytesIO(bulletin_frame(cycle)))
    xml = frame.read("word/document.xml").decode("utf-8")
    marks = _markers()
    parts = {
        marks["themes"]: lambda: _themes_xml(cycle, on_items),
        marks["red"]: lambda: _flagged_xml("red"),
        marks["yellow"]: lambda: _flagged_xml("yellow"),
        marks["coordination"]: lambda: _coordination_xml(cycle),
        marks["filing"]: lambda: _filing_xml(cycle),
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
                    buffer: list[str] = []
                    size = 0
                    for chunk in parts[marker]():
                        buffer.append(chunk)
                        size += len(chunk)
                        if size > 1 << 20:
                            stream.write("".join(buffer).encode("utf-8"))
                            buffer, size = [], 0
                    stream.write("".join(buffer).encode("utf-8"))
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
    """One row per item of every report: the office filters it by unit, theme, light or filing."""
    labels = {p.key: p.label for p in registry.providers()}
    timeliness = {value: str(label) for value, label in Timeliness.choices}
    not_filed = _("未报送")

    def rows():
        for done, row in enumerate(items_by_unit(cycle), start=1):
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
    return write_workbook(title=title, headers=[str(h) for h in XLSX_HEADERS], rows=rows())
