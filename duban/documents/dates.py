"""Dates and ordinal numbers written the Chinese way, for official documents. No Django import."""

from datetime import date

_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings 一、二、… and dates)."""
    if not 0 < n < 100:
        raise ValueError(f"chinese_number() handles 1 to 99, got {n}")
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if units == 0 else _DIGITS[units])


def chinese_date(day: date, *, numerals: bool = False) -> str:
    """2026-11-05 → "2026年11月5日" (GB/T 9704-2012: Arabic numerals, no leading zero), or with
    numerals=True the older style "二〇二六年十一月五日"."""
    if not numerals:
        return f"{day.year}年{day.month}月{day.day}日"
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"
