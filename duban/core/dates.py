"""Reading the dates users type or keep in Excel: 2026-03-31, 2026/3/31, 2026.3.31, 2026年3月31日."""

from __future__ import annotations

import re
from datetime import date, datetime

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value) -> date | None:
    """The date, or None when the value is empty or not a real date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value or "").strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
