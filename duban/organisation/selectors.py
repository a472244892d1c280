"""Reading the organisation: every function takes the user and applies the data scope."""

from __future__ import annotations

from django.db.models import QuerySet

from duban.accounts.scope import visible_to
from duban.core.filters import filtered

from .filters import UnitFilterSet
from .models import Leader, Theme, Unit
from .naming import UnitNames


def unit_list(*, user, filters=None) -> QuerySet[Unit]:
    """The units the user may see, narrowed by the unit directory's filters (a dict or QueryDict)."""
    units = visible_to(user, Unit.objects.select_related("parent"))
    return filtered(UnitFilterSet, units, filters, user=user)


def leader_list(*, user) -> QuerySet[Leader]:
    return visible_to(user, Leader.objects.select_related("user"))


def theme_list(*, user, active_only: bool = False) -> QuerySet[Theme]:
    themes = visible_to(user, Theme.objects.all())
    return themes.filter(is_active=True) if active_only else themes


def resolve_unit(name: str, *, units: list[Unit] | None = None) -> Unit | None:
    """The one active unit known by this full name, short name or alias (市财政局, 财政局, 市财政)."""
    name = (name or "").strip()
    if not name:
        return None
    if units is None:
        units = list(Unit.objects.filter(is_active=True))
    matches = [u for u in units if name in u.names()]
    return matches[0] if len(matches) == 1 else None


def unit_directory() -> list[dict]:
    """The active units with every name they go by, for matching names in free text."""
    return [
        {"id": pk, "name": name, "short_name": short_name, "aliases": list(aliases or [])}
        for pk, name, short_name, aliases in Unit.objects.filter(is_active=True).values_list(
            "pk", "name", "short_name", "aliases"
        )
    ]


def unit_names() -> UnitNames:
    """Every name the active units go by, to find which units a text names (`naming.UnitNames`);
    read once, then asked for as many texts as needed."""
    rows = Unit.objects.filter(is_active=True).values_list("pk", "name", "short_name", "aliases")
    return UnitNames((pk, [name, short_name, *(aliases or [])]) for pk, name, short_name, aliases in rows)


def leader_directory() -> list[dict]:
    """The serving leaders, for matching names in free text."""
    return [
        {"id": leader.pk, "name": leader.name, "title": leader.title or leader.get_post_display()}
        for leader in Leader.objects.filter(is_active=True)
    ]


# The history page (`audit:object_history`) reads these models through the selectors of their own pages.
HISTORY_READERS = {Unit: unit_list, Leader: leader_list}
