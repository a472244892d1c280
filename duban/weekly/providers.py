"""Reportable item providers: each capability with items that units report on weekly registers one.

A provider says which items are open and which unit leads each; what the bulletin's red and yellow
lists hold; and its summary figures for the week. Directives register here; bond and PPP projects
add theirs from their own AppConfig.ready():

    from duban.weekly.providers import register
    register(BondProjectProvider())
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class OpenItem:
    unit_id: int
    object_id: int
    title: str
    theme_id: int | None
    light: str
    deadline: date | None


@dataclass(frozen=True)
class FlaggedItem:
    """A row of the bulletin's red or yellow list."""

    object_id: int
    title: str
    unit_id: int
    unit_name: str
    theme_name: str
    deadline: date | None
    percent: int | None
    leader_name: str


class ReportableProvider(Protocol):
    key: str  # stored in ReportItem.source; never change it once used

    @property
    def label(self) -> str: ...

    def open_items(self, *, unit_ids: Iterable[int] | None = None) -> Iterator[OpenItem]: ...

    def flagged(self, *, light: str) -> Iterator[FlaggedItem]: ...

    def summary(self, *, start: datetime, end: datetime) -> list[tuple[str, object]]: ...

    def url(self, object_id: int) -> str: ...


_REGISTRY: dict[str, ReportableProvider] = {}


def register(provider: ReportableProvider) -> None:
    _REGISTRY[provider.key] = provider


def providers() -> list[ReportableProvider]:
    return list(_REGISTRY.values())


def provider(key: str) -> ReportableProvider | None:
    return _REGISTRY.get(key)


class DirectiveProvider:
    """Directives in an active state, reported by their lead unit."""

    key = "directive"

    @property
    def label(self) -> str:
        return _("督办事项")

    def _active(self):
        from duban.directives.models import ACTIVE_STATES, Directive

        return Directive.objects.filter(state__in=ACTIVE_STATES)

    def open_items(self, *, unit_ids: Iterable[int] | None = None) -> Iterator[OpenItem]:
        directives = self._active()
        if unit_ids is not None:
            directives = directives.filter(lead_unit_id__in=list(unit_ids))
        rows = directives.order_by("lead_unit_id", "deadline", "id").values_list(
            "lead_unit_id", "pk", "title", "theme_id", "light", "deadline"
        )
        for unit_id, pk, title, theme_id, light, deadline in rows.iterator(chunk_size=5000):
            yield OpenItem(unit_id, pk, title, theme_id, light, deadline)

    def flagged(self, *, light: str) -> Iterator[FlaggedItem]:
        rows = (
            self._active()
            .filter(light=light)
            .order_by("lead_unit__tree_path", "deadline", "id")
            .values_list(
                "pk",
                "title",
                "lead_unit_id",
                "lead_unit__name",
                "theme__name",
                "deadline",
                "percent",
                "responsible_leader__name",
            )
        )
        for pk, title, unit_id, unit_name, theme, deadline, percent, leader in rows.iterator(chunk_size=5000):
            yield FlaggedItem(pk, title, unit_id, unit_name, theme or "", deadline, percent, leader or "")

    def summary(self, *, start: datetime, end: datetime) -> list[tuple[str, object]]:
        from duban.directives.models import ACTIVE_STATES, Directive, Light, State

        all_directives = Directive.objects.exclude(state=State.DRAFT)
        by_light = all_directives.filter(state__in=ACTIVE_STATES).aggregate(
            **{light: Count("pk", filter=Q(light=light)) for light in Light.values}
        )
        by_state = dict(all_directives.values_list("state").annotate(n=Count("pk")).order_by())
        closed = all_directives.filter(closed_at__gte=start, closed_at__lt=end).count()
        new = all_directives.filter(created_at__gte=start, created_at__lt=end).count()
        figures: list[tuple[str, object]] = [(_("督办事项总数"), sum(by_state.values()))]
        figures += [
            (str(label), by_state.get(value, 0)) for value, label in State.choices if value != State.DRAFT
        ]
        figures += [
            (_("在办事项亮%(light)s") % {"light": label}, by_light[value])
            for value, label in Light.choices
            if value != Light.GREY
        ]
        figures += [(_("本周办结"), closed), (_("本周新增"), new)]
        return figures

    def url(self, object_id: int) -> str:
        try:
            return reverse("directives:detail", args=[object_id])
        except NoReverseMatch:
            return ""
