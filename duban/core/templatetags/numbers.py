"""How Duban shows numbers, on every page: amounts in 万元 with thousands separators (`wan`), fractions as
percentages (`pct`), ratios to a fixed number of places (`ratio`), and the current year marked in year
tables (`this_year`). `{% load numbers %}`; a missing value shows as "—"."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone

register = template.Library()

MISSING = "—"


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _places(places) -> Decimal:
    return Decimal(1).scaleb(-int(places))


@register.filter
def wan(value, places: int = 2):
    """An amount in 万元: 277984.15 → 277,984.15 (two decimals unless told)."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"{number.quantize(_places(places), rounding=ROUND_HALF_UP):,}"


@register.filter
def pct(value, places: int = 1):
    """A fraction as a percentage: 0.4567 → 45.7%."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"{(number * 100).quantize(_places(places), rounding=ROUND_HALF_UP)}%"


@register.filter
def ratio(value, places: int = 4):
    """A ratio to a fixed number of places: 1.13066 → 1.1307."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return str(number.quantize(_places(places), rounding=ROUND_HALF_UP))


@register.filter
def plus(value, other):
    """Decimal addition (Django's `add` truncates Decimals to integers first)."""
    return (_decimal(value) or Decimal(0)) + (_decimal(other) or Decimal(0))


@register.filter
def this_year(year) -> bool:
    """Whether a row of a year table is the current year (local time), to mark it."""
    try:
        return int(year) == timezone.localdate().year
    except (TypeError, ValueError):
        return False
