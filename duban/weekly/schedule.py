"""When a weekly cycle opens, is reminded, falls due and closes. Pure date arithmetic, no Django.

The due time is the last working day of the ISO week at 17:00 (Friday; Thursday when Friday is a
holiday; a swapped Saturday when that is worked). The reminder goes out that morning; the cycle closes
at noon on the next working day, so reports filed between the due time and the close count as late.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

DUE_TIME = time(17, 0)
REMIND_TIME = time(9, 0)
CLOSE_TIME = time(12, 0)


@dataclass(frozen=True)
class CycleTimes:
    iso_year: int
    iso_week: int
    starts_on: date  # Monday
    ends_on: date  # Sunday
    due_at: datetime  # naive, local time
    remind_at: datetime
    close_at: datetime
    working_week: bool = True  # False when every day of the week is a holiday: no cycle


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def cycle_times(
    day: date,
    *,
    last_working_day_of_week: Callable[[date], date],
    next_working_day: Callable[[date], date],
    due_time: time = DUE_TIME,
    remind_time: time = REMIND_TIME,
    close_time: time = CLOSE_TIME,
) -> CycleTimes:
    """The times of the cycle of the ISO week that holds day (naive datetimes in local time)."""
    monday = week_monday(day)
    iso_year, iso_week, _weekday = monday.isocalendar()
    due_day = last_working_day_of_week(monday)
    # A week that is a holiday throughout (the Spring Festival week in some years) asks for nothing:
    # its last working day lies in the week before.
    working_week = due_day >= monday
    due_day = max(due_day, monday)
    due_at = datetime.combine(due_day, due_time)
    remind_at = min(datetime.combine(due_day, remind_time), due_at)
    # next_working_day(d) is d itself when d is a working day, so start from the day after.
    close_at = datetime.combine(next_working_day(due_day + timedelta(days=1)), close_time)
    return CycleTimes(
        iso_year=iso_year,
        iso_week=iso_week,
        starts_on=monday,
        ends_on=monday + timedelta(days=6),
        due_at=due_at,
        remind_at=remind_at,
        close_at=close_at,
        working_week=working_week,
    )
