"""The ranking bulletin (考核排名通报) in the official layout (Word) and the ranking as Excel."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.excel import write_workbook
from duban.documents.dates import chinese_date
from duban.documents.official import DocumentTable, Section, document_bytes, issuer_name, official_document

from .models import Period, SnapshotRow


def _change(row: SnapshotRow) -> str:
    if row.rank_change is None:
        return "—"
    if row.rank_change > 0:
        return f"↑{row.rank_change}"
    if row.rank_change < 0:
        return f"↓{-row.rank_change}"
    return "—"


def ranking_workbook(period: Period, rows: list[SnapshotRow]) -> bytes:
    headers = [_("分组"), _("单位"), _("得分"), _("名次"), _("名次变化"), _("等次")]
    table = [
        [
            row.group,
            row.unit.name,
            row.score,
            row.rank if row.rank is not None else _("单列"),
            _change(row),
            row.grade,
        ]
        for row in rows
    ]
    return write_workbook(title=f"{period.scheme.name} {period.label}", headers=headers, rows=table)


def ranking_docx(period: Period, rows: list[SnapshotRow], *, spreads: dict, experiences=()) -> bytes:
    """The bulletin: one table per group, the spread between its first and last, the experiences published."""
    office = issuer_name(settings.DUBAN_CITY_NAME, settings.DUBAN_OFFICE_NAME)
    snapshot = period.current
    opening = _(
        "根据《%(scheme)s》，现将%(label)s考核排名情况通报如下（第%(version)s版，规则版本%(rule)s）。"
    ) % {
        "scheme": period.scheme.name,
        "label": period.label,
        "version": snapshot.version,
        "rule": snapshot.rule_version,
    }
    sections: list[Section | str] = [opening]
    groups: dict[str, list[SnapshotRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    headers = [_("名次"), _("单位"), _("得分"), _("名次变化"), _("等次")]
    for group, members in groups.items():
        table = DocumentTable(
            headers=headers,
            rows=[
                [
                    row.rank if row.rank is not None else _("单列"),
                    row.unit.name,
                    f"{row.score:.2f}",
                    _change(row),
                    row.grade,
                ]
                for row in members
            ],
        )
        paragraphs = []
        if group in spreads:
            paragraphs.append(_("首末位分差 %(spread)s 分。") % {"spread": f"{spreads[group]:.2f}"})
        sections.append(Section(heading=group, paragraphs=paragraphs, tables=[table]))
    experiences = list(experiences)
    if experiences:
        sections.append(
            Section(
                heading=_("典型经验"),
                paragraphs=[f"{n}. {e.unit.name}：{e.title}。" for n, e in enumerate(experiences, start=1)],
            )
        )
    if period.appeal_until:
        sections.append(
            _("公示期至%(day)s。对本单位得分有异议的，可在公示期内通过平台提出申诉并附佐证材料。")
            % {"day": chinese_date(period.appeal_until)}
        )
    document = official_document(
        issuer=_("考核排名通报"),
        number=f"{period.scheme.name} {period.label}",
        issue_line=(_("%(office)s编") % {"office": office}, chinese_date(timezone.localdate())),
        title=_("关于%(label)s考核排名情况的通报") % {"label": period.label},
        sections=sections,
        record_lines=[_("发：各县区、市直各部门。")],
        printed_by=office,
        printed_on=timezone.localdate(),
    )
    return document_bytes(document)
