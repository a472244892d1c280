"""Deadlines in requirements, resolved against the meeting date."""

from __future__ import annotations

from datetime import date

import pytest

from duban.minutes.engine import extract_minutes
from duban.minutes.engine.deadlines import add_workdays, find_deadline, spring_festival
from duban.workcalendar.days import WorkingCalendar

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


@pytest.mark.parametrize(
    ("phrase", "meeting", "text", "expected"),
    [
        pytest.param(
            "确保“十一”前主体完工", date(2022, 6, 27), "“十一”前", date(2022, 9, 30), id="shi yi quoted"
        ),
        pytest.param("十一前完成", date(2022, 6, 27), "十一前", date(2022, 9, 30), id="shi yi bare"),
        pytest.param("力争“五一”前通车", date(2023, 4, 6), "“五一”前", date(2023, 4, 30), id="wu yi"),
        pytest.param("国庆前完成整治", date(2025, 8, 11), "国庆前", date(2025, 9, 30), id="national day"),
        pytest.param(
            "清明节前开展一次清洁行动", date(2025, 3, 5), "清明节前", date(2025, 4, 3), id="qingming"
        ),
        pytest.param("中秋节前完成", date(2025, 8, 1), "中秋节前", date(2025, 10, 5), id="mid-autumn, lunar"),
        pytest.param(
            "端午节前完成", date(2025, 3, 1), "端午节前", date(2025, 5, 30), id="dragon boat, lunar"
        ),
        pytest.param("开学前完成校舍检查", date(2025, 8, 11), "开学前", date(2025, 8, 31), id="before term"),
        pytest.param("一个星期内报送", date(2024, 10, 8), "一个星期内", date(2024, 10, 15), id="a week"),
        pytest.param("两天内完成整改", date(2025, 8, 21), "两天内", date(2025, 8, 23), id="two days"),
        pytest.param(
            "第三季度末全部开工", date(2025, 8, 11), "第三季度末", date(2025, 9, 30), id="quarter end"
        ),
        pytest.param("年内完成", date(2024, 5, 13), "年内", date(2024, 12, 31), id="within the year"),
        pytest.param(
            "确保在2024年底全部完工", date(2023, 5, 1), "2024年底", date(2024, 12, 31), id="year end"
        ),
        pytest.param(
            "2027年元旦前全部办结", date(2026, 11, 20), "2027年元旦前", date(2026, 12, 31), id="new year"
        ),
        pytest.param(
            "明年上半年完成", date(2025, 11, 1), "明年上半年", date(2026, 6, 30), id="next half year"
        ),
        pytest.param("6月份完成验收", date(2025, 3, 1), "6月份", date(2025, 6, 30), id="a month with a verb"),
        pytest.param("元月底前完成拆除", date(2024, 12, 18), "元月底前", date(2025, 1, 31), id="first month"),
        pytest.param("月底前上报", date(2025, 3, 5), "月底前", date(2025, 3, 31), id="this month end"),
        pytest.param("下周三前报送", date(2025, 3, 5), "下周三前", date(2025, 3, 12), id="a day next week"),
        pytest.param("下星期五前报送", date(2025, 3, 5), "下星期五前", date(2025, 3, 14), id="xingqi"),
        pytest.param("半个月内完成", date(2025, 3, 5), "半个月内", date(2025, 3, 20), id="half a month"),
    ],
)
def test_each_deadline_form_is_read_as_written_and_dated(phrase, meeting, text, expected):
    deadline = find_deadline(phrase, reference=meeting)
    assert deadline is not None
    assert (deadline.text, deadline.date) == (text, expected)


@pytest.mark.parametrize(
    "phrase",
    [
        pytest.param("每月5日前通报上月进展", id="a recurrence"),
        pytest.param("于2021年4月2日完成并网以来", id="a past date"),
        pytest.param("为二月份集中验收做好准备", id="a month that scopes a target"),
        pytest.param("紧盯9月份关键节点", id="a month that is a milestone"),
        pytest.param("确保二季度新签约项目全部入库", id="a quarter that scopes a target"),
        pytest.param("按时按期完成，限期整改", id="unspecified limits"),
        pytest.param("尽快启动试点工作", id="vague urgency"),
        pytest.param("中秋国庆期间要加强值班值守", id="a holiday period"),
        pytest.param("7月1日起正式施行", id="a start date"),
    ],
)
def test_what_only_looks_like_a_deadline_is_none(phrase):
    assert find_deadline(phrase, reference=date(2025, 3, 1)) is None


def test_working_days_are_counted_on_the_calendar_given():
    # The office declared 2025-08-12 a holiday: ten working days from 11 August end a day later.
    calendar = WorkingCalendar({date(2025, 8, 12): False})
    assert find_deadline("10个工作日内报送", reference=date(2025, 8, 11)).date == date(2025, 8, 25)
    assert find_deadline("10个工作日内报送", reference=date(2025, 8, 11), working=calendar).date == date(
        2025, 8, 26
    )


def test_a_meeting_without_a_date_counts_deadlines_from_the_year_it_names():
    report = "近日，2023年度全市河湖长制工作会议召开。从会上获悉，各河段整治工程9月底前要完工。"
    directive = extract_minutes(report, today=date(2026, 12, 1)).directives[0]
    assert (directive.deadline_text, directive.deadline) == ("9月底前", date(2023, 9, 30))
