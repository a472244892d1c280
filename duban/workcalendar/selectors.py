"""The working calendar in force: the library's calendar with the table's overrides on top."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from django.core.cache import cache
from django.utils.translation import gettext as _

from duban.accounts.scope import visible_to
from duban.core.errors import Invalid

from .days import OutOfRange, WorkingCalendar
from .models import CalendarOverride

_CACHE_KEY = "workcalendar:overrides:v1"
# The overrides are kept in the cache that every process shares; an edit forgets them (signals.py),
# so every process sees it at once. The timeout only bounds how long an entry lives.
_CACHE_SECONDS = 300

_local: dict[str, object] = {}


def forget_calendar() -> None:
    _local.clear()
    cache.delete(_CACHE_KEY)


def working_calendar() -> WorkingCalendar:
    overrides = cache.get(_CACHE_KEY)
    if overrides is None:
        overrides = dict(CalendarOverride.objects.values_list("day", "is_working_day"))
        cache.set(_CACHE_KEY, overrides, _CACHE_SECONDS)
    calendar = _local.get("calendar")
    if calendar is None or calendar.overrides != overrides:
        calendar = WorkingCalendar(overrides)
        _local["calendar"] = calendar
    return calendar


def is_working_day(day: date) -> bool:
    return working_calendar().is_working_day(day)


def add_working_days(start: date, count: int) -> date:
    with _in_calendar():
        return working_calendar().add_working_days(start, count)


def working_days_between(start: date, end: date) -> int:
    return working_calendar().working_days_between(start, end)


def last_working_day_of_week(day: date) -> date:
    with _in_calendar():
        return working_calendar().last_working_day_of_week(day)


@contextmanager
def _in_calendar():
    """Arithmetic that runs off the calendar's ends is the user's date at fault (400), not a 500."""
    try:
        yield
    except OutOfRange as error:
        raise Invalid(_("日期超出可计算的范围，请检查输入的日期。")) from error


def calendar_override_list(*, user):
    """The overrides, for the office's page (public data: every signed-in user may read them)."""
    return visible_to(user, CalendarOverride.objects.all())
