"""Formatting of ratios, shares and amounts on the bond pages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def pct(value, places: int = 1):
    """0.4567 → 45.7%; blank for None."""
    if value in (None, ""):
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    return f"{(Decimal(value) * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"


@register.filter
def ratio(value, places: int = 4):
    if value in (None, ""):
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    return str(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))


@register.filter
def wan(value):
    """An amount in 万元 with two decimals and thousands separators."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def plus(value, other):
    """Decimal addition (Django's `add` truncates Decimals to integers first)."""
    return Decimal(value or 0) + Decimal(other or 0)
