"""The weekly bulletin's section of typical experiences (典型经验): those the office published in the
cycle's week, registered with the weekly app's bulletin sections (`weekly.providers`) when the app is
ready, so the weekly app knows nothing of the assessment."""

from __future__ import annotations

from datetime import date

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from duban.weekly.providers import SectionTable

from . import selectors

SUMMARY_CHARS = 60


def one_line(text: str) -> str:
    """The summary's first line that says something, cut to a line of the bulletin's table."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Truncator(first).chars(SUMMARY_CHARS)


class ExperienceSection:
    key = "assessment-experiences"

    @property
    def heading(self) -> str:
        return _("典型经验")

    def table(self, *, start: date, end: date) -> SectionTable:
        return SectionTable(
            headers=[_("序号"), _("标题"), _("报送单位"), _("主要做法与成效")],
            widths_mm=[12, 50, 34, 60],
            rows=[
                [number, experience.title, experience.unit.name, one_line(experience.summary)]
                for number, experience in enumerate(
                    selectors.published_between(start=start, end=end), start=1
                )
            ],
        )
