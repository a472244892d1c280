"""The days of a period from its label, by the scheme's period type: 2026-03, 2026-Q1, 2026."""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
YEAR = re.compile(r"^(\d{4})$")


def period_days(period_type: str, label: str) -> tuple[date, date] | None:
    """(first day, last day) of the period `label` names, or None when the label does not fit the type."""
    if period_type == "month" and (m := MONTH.match(label)):
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if period_type == "quarter" and (m := QUARTER.match(label)):
        year, quarter = int(m[1]), int(m[2])
        last = quarter * 3
        return date(year, last - 2, 1), date(year, last, calendar.monthrange(year, last)[1])
    if period_type == "year" and (m := YEAR.match(label)):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    return None


def label_for(period_type: str, day: date) -> str:
    if period_type == "month":
        return f"{day:%Y-%m}"
    if period_type == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def label_of_month(period_type: str, month_label: str) -> str | None:
    """The label of the period holding the month `YYYY-MM` (the API's `?period=`)."""
    days = period_days("month", month_label)
    return None if days is None else label_for(period_type, days[0])
