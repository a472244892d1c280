"""Deadlines in requirements, resolved against the meeting date."""

from __future__ import annotations

from datetime import date

import pytest

from duban.minutes.engine.deadlines import add_workdays, find_deadline, spring_festival

MEETING = date(2018, 12, 25)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("12月底前完成发行", date(2018, 12, 31)),
        ("一季度末完成年度任务的40%", date(2019, 3, 31)),
        ("第二季度末前", date(2019, 6, 30)),
        ("3月15日前报送清单", date(2019, 3, 15)),
        ("本周内完成全覆盖检查", date(2018, 12, 30)),
        ("下周内拿出方案", date(2019, 1, 6)),
        ("年底前全部完成", date(2018, 12, 31)),
        ("明年底前建成投用", date(2019, 12, 31)),
        ("2019年6月30日前", date(2019, 6, 30)),
        ("明年3月底前", date(2019, 3, 31)),
        ("十二月二十日前", date(2019, 12, 20)),
        ("上半年完成", date(2019, 6, 30)),
        ("本月底前", date(2018, 12, 31)),
        ("3月中旬前", date(2019, 3, 20)),
        ("国庆节前", date(2019, 9, 30)),
    ],
)
def test_deadline_phrase_resolves_against_the_meeting_date(phrase, expected):
    deadline = find_deadline(phrase, reference=MEETING)
    assert deadline is not None
    assert deadline.date == expected
    assert phrase.startswith(deadline.text)


def test_spring_festival_deadline_is_the_eve_of_the_next_lunar_new_year():
    deadline = find_deadline("春节前开展一次市场价格专项检查", reference=MEETING)
    assert deadline.date == date(2019, 2, 4)
    assert deadline.text == "春节前"


def test_spring_festival_already_past_means_the_next_one():
    assert find_deadline("春节前完成", reference=date(2024, 3, 1)).date == date(2025, 1, 28)


def test_lunar_new_year_dates_come_from_the_lunar_calendar():
    assert spring_festival(2024) == date(2024, 2, 10)
    assert spring_festival(2026) == date(2026, 2, 17)


def test_colloquial_nian_qian_means_before_the_lunar_new_year():
    assert find_deadline("年前全部完成", reference=MEETING).date == date(2019, 2, 4)


def test_working_days_skip_holidays_and_count_exchanged_weekend_days():
    # 2018-12-29 (Saturday) was worked in exchange for the new year holiday of 12-31 and 1-1.
    assert find_deadline("10个工作日内办结", reference=MEETING).date == date(2019, 1, 9)
    assert add_workdays(date(2018, 12, 28), 1) == date(2018, 12, 29)


def test_a_bare_date_that_is_not_a_deadline_is_ignored():
    assert find_deadline("12月25日，市长主持召开会议", reference=MEETING) is None
    assert find_deadline("截至12月20日，已完成任务", reference=MEETING) is None


def test_a_past_period_is_not_a_deadline():
    assert find_deadline("今年以来取得明显成效", reference=MEETING) is None


def test_a_text_without_deadline_has_none():
    assert find_deadline("要强化责任、主动作为", reference=MEETING) is None
