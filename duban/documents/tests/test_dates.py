from datetime import UTC, date, datetime

import pytest

from duban.documents import chinese_date, chinese_number
from duban.documents.dates import local_moment_text


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (25, "二十五"), (99, "九十九")]
)
def test_chinese_number_writes_ordinals_as_in_headings(n, text):
    assert chinese_number(n) == text


@pytest.mark.parametrize("n", [0, 100, -1])
def test_chinese_number_refuses_numbers_outside_one_to_ninety_nine(n):
    with pytest.raises(ValueError):
        chinese_number(n)


def test_dates_use_arabic_numerals_without_leading_zeros_by_default():
    assert chinese_date(date(2026, 3, 5)) == "2026年3月5日"


def test_dates_can_be_written_in_chinese_numerals():
    assert chinese_date(date(2026, 11, 25), numerals=True) == "二〇二六年十一月二十五日"
    assert chinese_date(date(2030, 10, 1), numerals=True) == "二〇三〇年十月一日"


def test_a_moment_is_dated_in_local_time_not_utc():
    # 07:37 on 2 March in Beijing is 23:37 UTC on 1 March.
    decided = datetime(2026, 3, 1, 23, 37, tzinfo=UTC)
    assert chinese_date(decided) == "2026年3月2日"
    assert local_moment_text(decided) == "2026年3月2日 07:37"
