"""Dates and ordinal numbers written the Chinese way, for official documents. No Django import but
the time zone setting, read when a moment (an aware datetime) is given instead of a day."""

from datetime import date, datetime

_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings 一、二、… and dates)."""
    if not 0 < n < 100:
        raise ValueError(f"chinese_number() handles 1 to 99, got {n}")
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if units == 0 else _DIGITS[units])


def local_day(value: date) -> date:
    """The day a date or a moment falls on where the users are (settings.TIME_ZONE, Asia/Shanghai):
    a decision taken at 07:37 Beijing time is dated that day, not the day before as in UTC."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value)
        return value.date()
    return value


def chinese_date(day: date, *, numerals: bool = False) -> str:
    """2026-11-05 → "2026年11月5日" (GB/T 9704-2012: Arabic numerals, no leading zero), or with
    numerals=True the older style "二〇二六年十一月五日". A moment is dated in local time."""
    day = local_day(day)
    if not numerals:
        return f"{day.year}年{day.month}月{day.day}日"
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def local_moment_text(value: datetime) -> str:
    """A moment as a document writes it, in local time: "2026年3月2日 07:37"."""
    if value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    return f"{chinese_date(value.date())} {value:%H:%M}"
