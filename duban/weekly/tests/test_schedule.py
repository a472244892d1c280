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
def test_an_ordinary_week_is_due_on_friday_at_five_and_closes_monday_noon():
    t = times(date(2026, 11, 23))
    assert t.due_at == datetime(2026, 11, 27, 17, 0)
    assert t.remind_at == datetime(2026, 11, 27, 9, 0)
    assert t.close_at == datetime(2026, 11, 30, 12, 0)


@pytest.mark.django_db
def test_a_week_whose_friday_is_a_holiday_is_due_on_thursday():
    # Dragon Boat Festival 2026: Friday 19 June.
    t = times(date(2026, 6, 17))
    assert t.due_at == datetime(2026, 6, 18, 17, 0)
    assert t.close_at == datetime(2026, 6, 22, 12, 0)


@pytest.mark.django_db
def test_a_swapped_saturday_is_the_due_day_when_it_is_the_last_working_day():
    # After National Day 2026, Saturday 10 October is worked.
    t = times(date(2026, 10, 8))
    assert t.due_at == datetime(2026, 10, 10, 17, 0)
    assert t.close_at == datetime(2026, 10, 12, 12, 0)


@pytest.mark.django_db
def test_a_swapped_sunday_is_the_due_day_and_closing_waits_for_the_next_working_day():
    # Sunday 20 September 2026 is worked for the National Day holiday.
    t = times(date(2026, 9, 14))
    assert t.due_at == datetime(2026, 9, 20, 17, 0)
    assert t.close_at == datetime(2026, 9, 21, 12, 0)


@pytest.mark.django_db
def test_the_week_before_national_day_is_due_on_wednesday_and_closes_after_the_holiday():
    t = times(date(2026, 9, 28))
    assert t.due_at == datetime(2026, 9, 30, 17, 0)
    assert t.close_at == datetime(2026, 10, 8, 12, 0)


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
