import logging
from datetime import date

import pytest

from duban.workcalendar.days import WorkingCalendar


@pytest.fixture
def calendar():
    return WorkingCalendar()


def test_national_day_week_2024_is_off(calendar):
    for day in range(1, 8):
        assert not calendar.is_working_day(date(2024, 10, day))


def test_swapped_weekend_days_around_national_day_2024_are_worked(calendar):
    assert calendar.is_working_day(date(2024, 9, 29))  # a Sunday
    assert calendar.is_working_day(date(2024, 10, 12))  # a Saturday


def test_adding_one_working_day_before_national_day_2024_lands_after_the_holiday(calendar):
    # Monday 30 September is a working day; the next one is Tuesday 8 October.
    assert calendar.add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)


def test_adding_working_days_counts_the_swapped_sunday(calendar):
    # Friday 27 September + 1 working day = Sunday 29 September (worked in exchange).
    assert calendar.add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)


def test_working_days_between_spans_the_national_day_week(calendar):
    # 29 Sep (Sun, worked), 30 Sep, then 8, 9, 10, 11 Oct and Saturday 12 Oct.
    assert calendar.working_days_between(date(2024, 9, 28), date(2024, 10, 12)) == 7
    assert calendar.working_days_between(date(2024, 10, 12), date(2024, 9, 28)) == -7


def test_last_working_day_of_national_day_week_2024_is_the_friday_before_the_swap(calendar):
    # The week of 30 Sep - 6 Oct has only Monday 30 September as a working day.
    assert calendar.last_working_day_of_week(date(2024, 10, 3)) == date(2024, 9, 30)
    # The week of 7 - 13 Oct ends on the swapped Saturday 12 October.
    assert calendar.last_working_day_of_week(date(2024, 10, 8)) == date(2024, 10, 12)


def test_spring_festival_2025_is_off_and_its_swapped_days_are_worked(calendar):
    for day in range(28, 32):
        assert not calendar.is_working_day(date(2025, 1, day))
    for day in range(1, 5):
        assert not calendar.is_working_day(date(2025, 2, day))
    assert calendar.is_working_day(date(2025, 1, 26))  # Sunday, worked in exchange
    assert calendar.is_working_day(date(2025, 2, 8))  # Saturday, worked in exchange
    assert calendar.holiday_name(date(2025, 1, 29)) == "Spring Festival"


def test_adding_working_days_across_spring_festival_2025(calendar):
    # Monday 27 January + 1 working day = Wednesday 5 February.
    assert calendar.add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


def test_a_year_the_library_does_not_know_counts_monday_to_friday_and_warns(calendar, caplog):
    with caplog.at_level(logging.WARNING, logger="duban.workcalendar.days"):
        assert calendar.is_working_day(date(2099, 1, 2))  # a Friday
        assert not calendar.is_working_day(date(2099, 1, 3))  # a Saturday
    assert "2099" in caplog.text
    assert caplog.text.count("2099") == 1  # warned once, not for every day


def test_overrides_win_over_the_library():
    calendar = WorkingCalendar({date(2024, 10, 1): True, date(2099, 1, 2): False})
    assert calendar.is_working_day(date(2024, 10, 1))
    assert not calendar.is_working_day(date(2099, 1, 2))


def test_adding_negative_working_days_goes_back(calendar):
    assert calendar.add_working_days(date(2024, 10, 8), -1) == date(2024, 9, 30)
