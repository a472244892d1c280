"""Deadline arithmetic in Chinese working days, with no Django dependency.

Holidays and the weekend days worked in exchange (调休) come from `chinesecalendar`; a mapping of
overrides (from the admin-editable table) wins over it. For a year the library does not know yet,
Monday to Friday are working days and a warning is logged once per year.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

logger = logging.getLogger(__name__)

ONE_DAY = timedelta(days=1)


class OutOfRange(ValueError):
    """The arithmetic left the calendar's dates (before year 1 or after 9999)."""


def _move(day: date, step: timedelta) -> date:
    try:
        return day + step
    except OverflowError:
        raise OutOfRange(f"{day.isoformat()} + {step.days} days is outside the calendar") from None


class WorkingCalendar:
    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self.overrides: dict[date, bool] = dict(overrides or {})
        self._unknown_years: set[int] = set()
        self._known_years: set[int] = set()
        # Each day's answer, once asked: the library scans its whole table of holidays on every call
        # (some 50 µs), and a page of lights counts thousands of days.
        self._days: dict[date, bool] = {}

    def _library_knows(self, year: int) -> bool:
        if year in self._known_years:
            return True
        if year in self._unknown_years:
            return False
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            self._unknown_years.add(year)
            logger.warning(
                "chinesecalendar has no holidays for %s: counting Monday to Friday as working days "
                "(add the year's holidays to the working-calendar table)",
                year,
            )
            return False
        self._known_years.add(year)
        return True

    def is_working_day(self, day: date) -> bool:
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self._ask(day)
        return known

    def _ask(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if self._library_knows(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The library's name of the holiday on that day (English, e.g. "National Day"), if any."""
        if not self._library_knows(day.year):
            return None
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        return name if on_holiday else None

    def next_working_day(self, day: date) -> date:
        """The day itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day = _move(day, ONE_DAY)
        return day

    def previous_working_day(self, day: date) -> date:
        """The day itself when it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day = _move(day, -ONE_DAY)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The count-th working day after start (before it, for a negative count); start is not
        counted, so adding 1 on a Friday before a plain weekend gives Monday."""
        step = ONE_DAY if count >= 0 else -ONE_DAY
        remaining = abs(count)
        day = start
        while remaining:
            day = _move(day, step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after start up to and including end; negative when end is before start.

        So a deadline on the next working day is 1 working day away, and today is 0.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count

    def working_days_in(self, start: date, end: date) -> list[date]:
        """Every working day from start to end, both included."""
        days = []
        day = start
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += ONE_DAY
        return days

    def last_working_day_of_week(self, day: date) -> date:
        """The last working day of the ISO week (Monday to Sunday) that holds day.

        A swapped Saturday or Sunday counts; if the whole week is off (a long holiday), the last
        working day before that week.
        """
        sunday = _move(day, timedelta(days=6 - day.weekday()))
        return self.previous_working_day(sunday)


# The library's calendar without overrides, for code that has no database at hand.
library_calendar = WorkingCalendar()
