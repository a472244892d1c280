"""The dates that decide a directive's light, in working days, with no Django import.

The rules (issue 3): red when the deadline has passed, or an open milestone is overdue by more than
`red_milestone_days` working days; yellow when the deadline is at most `yellow_days` working days
away, an open milestone is overdue at all, or the work has gone stale (no progress reported for more
than the priority's `stale_days` working days since the last report or the assignment); green
otherwise. Working days are counted as
`WorkingCalendar.working_days_between` does: the days after the first date up to and including the
second. Because those counts are monotonic in the date, each rule becomes one cut-off date, and the
database compares columns with dates instead of counting days row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
# Far enough for any real threshold (a year of holidays included); stops a runaway loop.
_MAX_STEPS = 800


@dataclass(frozen=True)
class Cutoffs:
    today: date
    # Red: deadline < overdue_before.
    overdue_before: date
    # Yellow: deadline <= due_soon_until (and not red).
    due_soon_until: date
    # Red: an open milestone due before this date (overdue by more than the threshold).
    milestone_red_before: date
    # Yellow: an open milestone due before this date (overdue at all).
    milestone_late_before: date
    # Yellow (stale): by priority, no progress reported on or after this date.
    stale_before: Mapping[int, date] = field(default_factory=dict)


def last_day_within(today: date, days: int, is_working_day: Callable[[date], bool]) -> date:
    """The last date d >= today with at most `days` working days in (today, d]."""
    day, count = today, 0
    for _step in range(_MAX_STEPS):
        following = day + ONE_DAY
        if is_working_day(following):
            if count + 1 > days:
                return day
            count += 1
        day = following
    return day


def first_day_within_since(today: date, days: int, is_working_day: Callable[[date], bool]) -> date:
    """The first date d <= today with at most `days` working days in (d, today]."""
    day, count = today, 0
    for _step in range(_MAX_STEPS):
        # Stepping back from `day` to `day - 1` adds `day` itself to the interval.
        if is_working_day(day):
            if count + 1 > days:
                return day
            count += 1
        day -= ONE_DAY
    return day


def cutoffs(
    today: date,
    *,
    yellow_days: int,
    red_milestone_days: int,
    is_working_day: Callable[[date], bool],
    stale_days: Mapping[int, int] | None = None,
) -> Cutoffs:
    return Cutoffs(
        today=today,
        overdue_before=today,
        due_soon_until=last_day_within(today, yellow_days, is_working_day),
        milestone_red_before=first_day_within_since(today, red_milestone_days, is_working_day),
        milestone_late_before=today,
        stale_before={
            priority: first_day_within_since(today, days, is_working_day)
            for priority, days in (stale_days or {}).items()
        },
    )


def is_stale(*, last_word: date, priority: int, cut: Cutoffs) -> bool:
    """No progress reported since `last_word` (the last report, or the assignment) for too long."""
    before = cut.stale_before.get(priority)
    return before is not None and last_word < before


def light_for(
    *,
    deadline: date,
    open_milestone_dues: list[date],
    cut: Cutoffs,
    active: bool = True,
    last_word: date | None = None,
    priority: int = 1,
) -> str:
    """The light of one directive, by the same rules as the bulk update (for tests and previews)."""
    if not active:
        return "grey"
    if deadline < cut.overdue_before or any(d < cut.milestone_red_before for d in open_milestone_dues):
        return "red"
    stale = last_word is not None and is_stale(last_word=last_word, priority=priority, cut=cut)
    if (
        stale
        or deadline <= cut.due_soon_until
        or any(d < cut.milestone_late_before for d in open_milestone_dues)
    ):
        return "yellow"
    return "green"
