"""The weekly meeting's minutes (周例会纪要) as an official Word document (duban.documents)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.documents.dates import chinese_date
from duban.documents.official import Section, document_bytes, issuer_name, official_document

from .models import AgendaItem, AgendaKind, DecisionAction, WeeklyMeeting


def minutes_docx(weekly_meeting: WeeklyMeeting, *, agenda: Iterable[AgendaItem]) -> bytes:
    """The minutes of the meeting, with the agenda items (and decisions) given, in their order."""
    meeting = weekly_meeting.meeting
    cycle = weekly_meeting.cycle
    office = issuer_name(settings.DUBAN_CITY_NAME, settings.DUBAN_OFFICE_NAME)
    chair = meeting.chair.name if meeting.chair_id else ""
    opening = _(
        "%(date)s，%(chair)s主持召开周例会，听取%(issue)s周报汇总情况，研究需协调解决事项和红灯事项。"
    ) % {
        "date": chinese_date(meeting.held_on),
        "chair": chair or _("市政府"),
        "issue": cycle.issue_label,
    }
    leaders = "、".join(leader.name for leader in meeting.leaders.all())
    if leaders:
        opening += _("出席领导：%(leaders)s。") % {"leaders": leaders}
    agenda = list(agenda)
    sections: list[Section | str] = [opening, _("会议议定事项如下：")]
    for kind in (AgendaKind.COORDINATION, AgendaKind.RED, AgendaKind.OTHER):
        items = [item for item in agenda if item.kind == kind]
        if not items:
            continue
        paragraphs = []
        for number, item in enumerate(items, start=1):
            text = f"{number}. {item.title}"
            if item.unit_id:
                text += f"（{item.unit}）"
            text += "。" + (item.detail.strip() if item.detail else "")
            if item.is_decided:
                text += _("会议决定：%(decision)s") % {"decision": item.decision}
                if item.action and item.action != DecisionAction.NOTE:
                    text += _("（%(action)s）") % {"action": DecisionAction(item.action).label}
            else:
                text += _("会议未作决定。")
            paragraphs.append(text)
        sections.append(Section(heading=str(kind.label), paragraphs=paragraphs))
    document = official_document(
        issuer=_("周例会纪要"),
        number=_("%(year)d年第%(n)d期") % {"year": cycle.iso_year, "n": cycle.issue_number},
        issue_line=(_("%(office)s编") % {"office": office}, chinese_date(timezone.localdate())),
        title=meeting.title,
        sections=sections,
        record_lines=[_("发：出席会议领导，各相关单位。")],
        printed_by=office,
        printed_on=timezone.localdate(),
    )
    return document_bytes(document)
