"""Reading the meeting out of a report: type, date, chair and attendees."""

from __future__ import annotations

from datetime import date

from duban.minutes.engine import extract_minutes

from .helpers import text

TODAY = date(2026, 11, 25)


def test_seed_meeting_is_a_mayors_council_chaired_by_the_mayor():
    meeting = extract_minutes(text("seed.txt"), meeting_date=date(2018, 12, 25)).meeting
    assert meeting.type == "市长议事会"
    assert meeting.chair == "朱是西"
    assert meeting.attendees == [
        "金冬江",
        "冯玉梅",
        "刘晓文",
        "何晞",
        "贺振华",
        "郭渊",
        "贾迎战",
        "毕俊德",
        "杜晓伟",
    ]


def test_date_without_year_takes_the_year_of_the_given_meeting_date():
    meeting = extract_minutes(text("seed.txt"), meeting_date=date(2018, 12, 26)).meeting
    assert meeting.date == date(2018, 12, 25)


def test_date_without_year_next_to_a_january_reference_is_last_december():
    meeting = extract_minutes(text("seed.txt"), meeting_date=date(2019, 1, 3)).meeting
    assert meeting.date == date(2018, 12, 25)


def test_date_without_year_takes_the_publication_year_from_the_text():
    report = "发布时间：2019-01-02 09:30\n12月25日，市长朱是西主持召开市长议事会。会议强调，要加快推进。"
    assert extract_minutes(report, today=TODAY).meeting.date == date(2018, 12, 25)


def test_date_without_year_and_without_reference_is_the_most_recent_such_day_not_after_today():
    # Read on 25 November (or 1 December), a report of 12月25日 is of last December, not next.
    assert extract_minutes(text("seed.txt"), today=TODAY).meeting.date == date(2025, 12, 25)
    assert extract_minutes(text("seed.txt"), today=date(2026, 12, 1)).meeting.date == date(2025, 12, 25)
    # On the day itself, and after it, it is this year's.
    assert extract_minutes(text("seed.txt"), today=date(2026, 12, 25)).meeting.date == date(2026, 12, 25)
    assert extract_minutes(text("seed.txt"), today=date(2027, 1, 4)).meeting.date == date(2026, 12, 25)


def test_date_without_year_of_a_meeting_the_text_says_is_to_come_is_the_next_such_day():
    notice = "市政府定于12月25日召开市长议事会，研究部署专项债券工作。会议要求，各单位要提前准备汇报材料。"
    assert extract_minutes(notice, today=date(2026, 12, 1)).meeting.date == date(2026, 12, 25)


def test_date_with_its_year_is_taken_as_written():
    meeting = extract_minutes(text("traditional_speech.txt"), today=TODAY).meeting
    assert meeting.date == date(2023, 11, 20)
    assert meeting.type == "办公会议"
    assert meeting.chair == "李明远"


def test_standing_committee_meeting_type_chair_and_attendees():
    meeting = extract_minutes(text("changwu_numbered.txt"), today=TODAY).meeting
    assert meeting.type == "常务会议"
    assert meeting.chair == "张建国"
    assert meeting.attendees == ["刘明", "陈静", "赵卫东", "周平"]


def test_chair_named_after_you_zhu_chi_is_found():
    report = "2024年5月6日，市政府周例会由副市长何晞主持。会议要求，各县区要加快项目建设。"
    meeting = extract_minutes(report).meeting
    assert meeting.type == "周例会"
    assert meeting.chair == "何晞"


def test_unit_representatives_are_not_taken_for_attendees():
    meeting = extract_minutes(text("jiyao_items.txt")).meeting
    assert meeting.attendees == []
    assert meeting.chair == "王海涛"


def test_meeting_date_is_the_one_of_the_convening_sentence_not_the_publication_line():
    meeting = extract_minutes(text("headline_points.txt")).meeting
    assert meeting.date == date(2023, 6, 9)
    assert meeting.type == "专题会议"
    assert meeting.chair == "吴刚"


def test_promotion_meeting_type_is_read_from_the_headline():
    meeting = extract_minutes(text("speech_quotes.txt"), meeting_date=date(2024, 3, 28)).meeting
    assert meeting.type == "推进会"
    assert meeting.chair == "邓宏"
    assert meeting.attendees == ["黄海波"]
