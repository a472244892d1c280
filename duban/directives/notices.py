"""The supervision notice (督办通知单) as a Word document, in the platform's official layout
(`duban.documents`, GB/T 9704)."""

from __future__ import annotations

from django.conf import settings

from duban.documents.notices import supervision_notice_docx


def notice_docx(notice, *, title: str = "") -> bytes:
    """Title, number, addressee, the matters, the reply deadline, the issuing office and date. A step
    of the escalation ladder names itself (`title`: 蓝色督办单) and carries its coloured number."""
    directive = notice.directive
    return supervision_notice_docx(
        number=notice.number if notice.series else str(notice.sequence),
        title=title or None,
        year=notice.year,
        addressee=notice.unit.name,
        matters=[{"title": directive.title, "deadline": directive.deadline, "requirement": notice.matters}],
        reply_deadline=notice.reply_by,
        office_name=settings.DUBAN_OFFICE_NAME,
        issued_on=notice.issued_on,
        city_name=settings.DUBAN_CITY_NAME,
    )
