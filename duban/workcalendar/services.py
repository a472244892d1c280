"""Changing the working calendar's overrides (the office only)."""

from datetime import date

from duban.core.rules import require
from duban.core.services import model_create

from .models import CalendarOverride
from .rules import may_edit_calendar


def calendar_override_create(*, by, day: date, is_working_day: bool, name: str = "") -> CalendarOverride:
    require(may_edit_calendar, by)
    return model_create(CalendarOverride, day=day, is_working_day=is_working_day, name=name)


def calendar_override_delete(*, by, override: CalendarOverride) -> None:
    require(may_edit_calendar, by, override)
    override.delete()
