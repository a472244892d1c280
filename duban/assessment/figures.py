"""The automatic indicators: for a period, each source's value for every unit, as a rate, never a raw count.

Each source is read through its capability's selectors in one aggregate query over all units (no
per-unit query); a unit with nothing to measure gets no value (not applicable). `records_url` is the
capability's list page filtered to the unit and period: the records behind the value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from duban.bonds import selectors as bonds
from duban.directives import selectors as directives
from duban.ppp import selectors as ppp
from duban.surveys import selectors as surveys
from duban.weekly import selectors as weekly
from duban.workcalendar.selectors import is_working_day

from .models import ExperienceState, Source, TypicalExperience

SIX = Decimal("0.000001")

Figures = dict[int, Decimal]


def _rates(counts: dict[int, tuple[int, int]]) -> Figures:
    return {
        unit: (Decimal(done) / Decimal(total)).quantize(SIX)
        for unit, (done, total) in counts.items()
        if total
    }


class WorkingDays:
    """Working days between two dates in O(1) after one pass over the span (the calendar's own count walks
    day by day, too slow for every late directive of a province)."""

    def __init__(self, first: date, last: date):
        self.first = first
        self.before: list[int] = [0]
        day = first
        while day <= last:
            self.before.append(self.before[-1] + (1 if is_working_day(day) else 0))
            day += timedelta(days=1)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (as `working_days_between`)."""
        index = lambda day: (day - self.first).days + 1  # noqa: E731
        return self.before[index(end)] - self.before[index(start)]


def overdue_days(*, start: date, end: date, today: date) -> Figures:
    due = {
        unit: total for unit, (_, total) in directives.closure_counts_by_unit(start=start, end=end).items()
    }
    late = directives.late_directive_rows(start=start, end=end, today=today)
    days: dict[int, int] = dict.fromkeys(due, 0)
    if late:
        calendar = WorkingDays(min(row[1] for row in late), max(row[2] for row in late))
        for unit, deadline, finished in late:
            days[unit] = days.get(unit, 0) + calendar.between(deadline, finished)
    return {
        unit: (Decimal(days[unit]) / Decimal(total)).quantize(SIX) for unit, total in due.items() if total
    }


def _bonds(kind: str) -> Callable[..., Figures]:
    def read(*, start: date, end: date, today: date) -> Figures:
        rows = bonds.application_outcomes_by_unit(start=start, end=end)
        part, whole = ("approved", "decided") if kind == "count" else ("approved_amount", "decided_amount")
        return {
            unit: (Decimal(r[part]) / Decimal(r[whole])).quantize(SIX) for unit, r in rows.items() if r[whole]
        }

    return read


def _progress(part: str, whole: str) -> Callable[..., Figures]:
    """Issuance (issued ÷ quota) or spending (spent ÷ issued × the month's target) against plan, per
    applying unit as at the period's end; a unit with no plan (no quota, nothing issued, or a month
    without a spending target) has no value."""

    def read(*, start: date, end: date, today: date) -> Figures:
        rows = bonds.progress_by_unit(start=start, end=end)
        return {
            unit: (Decimal(r[part]) / Decimal(r[whole])).quantize(SIX) for unit, r in rows.items() if r[whole]
        }

    return read


def experiences(*, start: date, end: date, today: date) -> Figures:
    published = TypicalExperience.objects.filter(
        state=ExperienceState.PUBLISHED, published_on__range=(start, end)
    )
    counts = published.order_by().values("unit_id").annotate(n=Count("pk"))
    return {row["unit_id"]: Decimal(row["n"]) for row in counts}


def _counted(read) -> Callable[..., Figures]:
    return lambda *, start, end, today: _rates(read(start=start, end=end))


READERS: dict[str, Callable[..., Figures]] = {
    Source.CLOSURE_RATE: _counted(directives.closure_counts_by_unit),
    Source.OVERDUE_DAYS: overdue_days,
    Source.MILESTONE_RATE: _counted(directives.milestone_counts_by_unit),
    Source.WEEKLY_RATE: _counted(weekly.timeliness_counts_by_unit),
    Source.REPLY_RATE: _counted(directives.reply_counts_by_unit),
    Source.BOND_COUNT_RATE: _bonds("count"),
    Source.BOND_AMOUNT_RATE: _bonds("amount"),
    Source.BOND_ISSUANCE_RATE: _progress("issued", "quota"),
    Source.BOND_SPENDING_RATE: _progress("spent", "planned_spending"),
    Source.PPP_RECTIFICATION_RATE: _counted(ppp.rectification_counts_by_unit),
    Source.PPP_REVIEW_RATE: _counted(ppp.rating_counts_by_unit),
    Source.SURVEY_RATE: _counted(surveys.timeliness_counts_by_unit),
    Source.TYPICAL_EXPERIENCE: experiences,
}
# Sources counted from zero: a unit with no published experience has 0, not "not applicable".
ZERO_WHEN_ABSENT = {Source.TYPICAL_EXPERIENCE}


def source_figures(sources, *, start: date, end: date, today: date) -> dict[str, Figures]:
    """{source: {unit id: value}} for the automatic sources named, one query (or two) per source.

    A period computed before it ends (a preview) counts what has fallen due by `today`: a directive,
    report or response due later in the period is not yet late, and counting it would mark it so."""
    end = counted_until(end, today)
    return {
        source: READERS[source](start=start, end=end, today=today) for source in sources if source in READERS
    }


def counted_until(end: date, today: date) -> date:
    """The last day a period's figures count: its end, or `today` while it runs."""
    return min(end, today)


def _url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def records_url(source: str, *, unit_id: int, start: date, end: date, period_id: int | None = None) -> str:
    """The list page of the records behind a unit's value, filtered to the unit and the period as the
    figure counts them: where the figure is a count, the page lists exactly what its denominator counted."""
    first, last = start.isoformat(), end.isoformat()
    directives_due = {"lead_unit": unit_id, "due_after": first, "due_before": last, "given": "true"}
    # The unit's bond applications approved or returned in the period (the success rates' denominator).
    decided = {"applying_unit": unit_id, "decided": "true", "decided_after": first, "decided_before": last}
    urls = {
        # The lead unit's directives (not those it co-operates on), given to it and due in the period.
        Source.CLOSURE_RATE: lambda: _url("directives:board", **directives_due),
        Source.OVERDUE_DAYS: lambda: _url("directives:board", **directives_due),
        # The directives carrying the milestones counted, those due in the period (each directive's
        # page lists its milestones): the lead unit's, given to it.
        Source.MILESTONE_RATE: lambda: _url(
            "directives:board",
            lead_unit=unit_id,
            given="true",
            milestone_due_after=first,
            milestone_due_before=last,
        ),
        # The reminders to answer by a day of the period (the supervision notices counted with them
        # are on the notice list, under the same filters).
        Source.REPLY_RATE: lambda: _url(
            "directives:reminder_list", unit=unit_id, reply_by_after=first, reply_by_before=last
        ),
        Source.WEEKLY_RATE: lambda: _url(
            "weekly:report_list", unit=unit_id, ends_after=first, ends_before=last, settled="true"
        ),
        Source.BOND_COUNT_RATE: lambda: _url("bonds:application_list", **decided),
        Source.BOND_AMOUNT_RATE: lambda: _url("bonds:application_list", **decided),
        Source.BOND_ISSUANCE_RATE: lambda: _url("bonds:project_list", applying_unit=unit_id, quota_by=last),
        Source.BOND_SPENDING_RATE: lambda: _url("bonds:project_list", applying_unit=unit_id, issued_by=last),
        Source.PPP_RECTIFICATION_RATE: lambda: _url(
            "ppp:task_list", owner_unit=unit_id, due_after=first, due_before=last, cancelled="false"
        ),
        Source.PPP_REVIEW_RATE: lambda: _url(
            "ppp:review_list", implementing_agency=unit_id, rated_after=first, rated_before=last, rated="true"
        ),
        Source.SURVEY_RATE: lambda: _url(
            "surveys:round_list", unit=unit_id, deadline_after=first, deadline_before=last
        ),
        Source.TYPICAL_EXPERIENCE: lambda: _url("assessment:experience_list", unit=unit_id),
    }
    if source in urls:
        return urls[source]()
    return _url("assessment:entry_list", unit=unit_id, **({"period": period_id} if period_id else {}))
