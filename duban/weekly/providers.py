"""Reportable item providers: each capability with items that units report on weekly registers one.

A provider says which items are open and which unit leads each; what the bulletin's red and yellow
lists hold; and its summary figures for the week. Directives register here; bond and PPP projects
add theirs from their own AppConfig.ready():

    from duban.weekly.providers import register
    register(BondProjectProvider())

A capability with something the weekly bulletin should carry (the assessment's published typical
experiences) registers a bulletin section the same way (`register_bulletin_section`): a heading and a
table of what happened in the cycle's week, in the Word after the coordination requests and as a
sheet of its own in the Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

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
    source: str = ""  # the provider's key (ReportItem.source), for the agenda's rows
    theme_id: int | None = None  # who reads it (the snapshot's scope), where the provider knows
    leader_id: int | None = None

    @property
    def number(self) -> str:
        """What the item is found by (the directive's 编号 on its page, the board's search)."""
        return str(self.object_id)

    @property
    def url(self) -> str:
        """The item's own page ("" when its provider has none)."""
        found = provider(self.source)
        return found.url(self.object_id) if found is not None else ""


class ReportableProvider(Protocol):
    key: str  # stored in ReportItem.source; never change it once used

    @property
    def label(self) -> str: ...

    def open_items(self, *, unit_ids: Iterable[int] | None = None) -> Iterator[OpenItem]: ...

    def flagged(self, *, light: str) -> Iterator[FlaggedItem]: ...

    def summary(self, *, start: datetime, end: datetime) -> list[tuple[str, object]]: ...

    def url(self, object_id: int) -> str: ...

    # Optional: a provider whose items carry a percent and progress reports of their own (directives)
    # keeps one source of truth with the weekly report through these two.
    #
    # def starting_points(self, object_ids, *, start, end) -> dict[int, StartingPoint]: ...
    # def record_progress(self, object_id: int, *, by, text: str, percent: int) -> bool: ...


@dataclass(frozen=True)
class StartingPoint:
    """Where an item stands when its unit opens the weekly report: its current percent and what the unit
    already reported this week (one text)."""

    percent: int | None
    text: str


_REGISTRY: dict[str, ReportableProvider] = {}


def register(provider: ReportableProvider) -> None:
    _REGISTRY[provider.key] = provider


def providers() -> list[ReportableProvider]:
    return list(_REGISTRY.values())


def provider(key: str) -> ReportableProvider | None:
    return _REGISTRY.get(key)


@dataclass(frozen=True)
class SectionTable:
    """A bulletin section's table: its column headers, their widths in the Word (millimetres, 156 in
    all), and its rows."""

    headers: list[str]
    widths_mm: list[float]
    rows: list[list]


class BulletinSection(Protocol):
    key: str  # names the section's place in the document; never two alike

    @property
    def heading(self) -> str: ...

    def table(self, *, start: date, end: date) -> SectionTable:
        """What the section lists for the week from `start` to `end` (both included). It must read the
        same whenever the bulletin is compiled (what was published that week, not what is now)."""
        ...


_SECTIONS: dict[str, BulletinSection] = {}


def register_bulletin_section(section: BulletinSection) -> None:
    _SECTIONS[section.key] = section


def bulletin_sections() -> list[BulletinSection]:
    return list(_SECTIONS.values())


class DirectiveProvider:
    """Directives in an active state, reported by their lead unit."""

    key = "directive"

    @property
    def label(self) -> str:
        return _("督办事项")

    def open_items(self, *, unit_ids: Iterable[int] | None = None) -> Iterator[OpenItem]:
        from duban.directives.selectors import open_directive_rows

        for unit_id, pk, title, theme_id, light, deadline in open_directive_rows(unit_ids=unit_ids):
            yield OpenItem(unit_id, pk, title, theme_id, light, deadline)

    def flagged(self, *, light: str) -> Iterator[FlaggedItem]:
        from duban.directives.selectors import flagged_directive_rows

        for row in flagged_directive_rows(light=light):
            pk, title, unit_id, unit_name, theme, deadline, percent, leader, theme_id, leader_id = row
            yield FlaggedItem(
                pk,
                title,
                unit_id,
                unit_name,
                theme or "",
                deadline,
                percent,
                leader or "",
                self.key,
                theme_id=theme_id,
                leader_id=leader_id,
            )

    def summary(
        self, *, start: datetime, end: datetime, lights: dict | None = None
    ) -> list[tuple[str, object]]:
        """The week's figures; the lights given (the cycle's snapshot) instead of today's, if any."""
        from duban.directives.selectors import directive_figures

        return directive_figures(start=start, end=end, lights=lights)

    def url(self, object_id: int) -> str:
        try:
            return reverse("directives:detail", args=[object_id])
        except NoReverseMatch:
            return ""

    def starting_points(self, object_ids, *, start: datetime, end: datetime) -> dict[int, StartingPoint]:
        from duban.directives.selectors import progress_this_week

        state = progress_this_week(object_ids, start=start, end=end)
        return {pk: StartingPoint(percent, "\n".join(texts)) for pk, (percent, texts) in state.items()}

    def record_progress(self, object_id: int, *, by, text: str, percent: int) -> bool:
        """The item as submitted becomes the directive's progress report (its percent, its timeline, the
        audit trail), unless it says nothing new or the directive is no longer being worked on."""
        from duban.directives import rules, services
        from duban.directives.selectors import latest_progress, linked_directive

        directive = linked_directive(object_id, for_update=True)
        if directive is None or not rules.is_reportable(directive):
            return False
        if latest_progress(object_id) == (text, percent):
            return False
        services.progress_report_add(directive=directive, by=by, text=text, percent=percent)
        return True
