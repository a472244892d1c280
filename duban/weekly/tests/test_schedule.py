"""Due, reminder and closing times around holidays and swapped workdays."""

from datetime import date, datetime, time

import pytest

from duban.weekly import services
from duban.weekly.schedule import cycle_times
from duban.workcalendar.models import CalendarOverride
from duban.workcalendar.selectors import forget_calendar


def times(day):
    return services.times_for(day)


def test_pure_schedule_uses_the_last_working_day_and_the_next_one_after_it():
    result = cycle_times(
        date(2026, 11, 25),
        last_working_day_of_week=lambda d: date(2026, 11, 27),
        next_working_day=lambda d: d,
    )
    assert result.starts_on == date(2026, 11, 23)
    assert result.ends_on == date(2026, 11, 29)
    assert (result.iso_year, result.iso_week) == (2026, 48)
    assert result.due_at == datetime(2026, 11, 27, 17, 0)
    assert result.remind_at == datetime(2026, 11, 27, 9, 0)
    assert result.close_at == datetime(2026, 11, 28, 12, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "due_at", "close_at"),
    [
        # An ordinary week: due on Friday at five, closed on Monday at noon.
        (date(2026, 11, 23), datetime(2026, 11, 27, 17, 0), datetime(2026, 11, 30, 12, 0)),
        # Dragon Boat Festival 2026 is Friday 19 June: due on Thursday.
        (date(2026, 6, 17), datetime(2026, 6, 18, 17, 0), datetime(2026, 6, 22, 12, 0)),
        # After National Day 2026, Saturday 10 October is worked: the last working day is the due day.
        (date(2026, 10, 8), datetime(2026, 10, 10, 17, 0), datetime(2026, 10, 12, 12, 0)),
        # Sunday 20 September 2026 is worked: due then, closed on the next working day.
        (date(2026, 9, 14), datetime(2026, 9, 20, 17, 0), datetime(2026, 9, 21, 12, 0)),
        # The week before National Day is due on Wednesday and closes after the holiday.
        (date(2026, 9, 28), datetime(2026, 9, 30, 17, 0), datetime(2026, 10, 8, 12, 0)),
    ],
    ids=["ordinary", "friday holiday", "swapped saturday", "swapped sunday", "before national day"],
)
def test_a_week_is_due_on_its_last_working_day_and_closes_on_the_next_one(day, due_at, close_at):
    t = times(day)
    assert (t.due_at, t.close_at) == (due_at, close_at)
    assert t.remind_at == due_at.replace(hour=9)


@pytest.mark.django_db
def test_a_week_that_is_a_holiday_throughout_opens_no_cycle(city):
    # Spring Festival 2026: 15 to 23 February; the week of Monday 16 February has no working day.
    assert times(date(2026, 2, 18)).working_week is False
    cycle, created = services.cycle_open(day=date(2026, 2, 18))
    assert cycle is None and created is False


@pytest.mark.django_db
def test_an_override_of_the_office_moves_the_due_time():
    CalendarOverride.objects.create(day=date(2026, 11, 27), is_working_day=False, name="临时调整")
    forget_calendar()
    t = times(date(2026, 11, 23))
    assert t.due_at.date() == date(2026, 11, 26)
    assert t.due_at.time() == time(17, 0)
    assert t.close_at == datetime(2026, 11, 30, 12, 0)
