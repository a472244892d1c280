"""The weekly meeting's minutes: an official Word document holding each decision."""

import io

from docx import Document

from duban.weekly import selectors, services
from duban.weekly.models import AgendaKind
from duban.weekly.word import minutes_docx


def test_the_minutes_open_with_python_docx(city, weekly):
    item = weekly.agenda.get(kind=AgendaKind.RED)
    services.agenda_decide(item=item, by=city.office, decision="本周内拿出解决方案")
    document = Document(
        io.BytesIO(
            minutes_docx(weekly, agenda=selectors.agenda_list(user=city.office, weekly_meeting=weekly))
        )
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "周例会纪要" in text
    assert "本周内拿出解决方案" in text
    assert "专项债券项目申报" in text


def test_the_minutes_hold_the_agenda_they_are_given(city, weekly):
    red = weekly.agenda.filter(kind=AgendaKind.RED)
    text = "\n".join(p.text for p in Document(io.BytesIO(minutes_docx(weekly, agenda=red))).paragraphs)
    assert "专项债券项目申报" in text and "请协调住建局" not in text
