"""What the weekly services share: gathering a unit's open items into its report, and telling a
unit's liaisons."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from duban.accounts.selectors import unit_heads, unit_liaisons
from duban.notifications.services import notify

from .. import providers as registry
from ..models import ReportItem, WeeklyReport


def gathered_item(report_id: int, source: str, item: registry.OpenItem) -> ReportItem:
    """An item of a report as the provider describes it now (a snapshot: the bulletin says what was
    true that week)."""
    return ReportItem(
        report_id=report_id,
        source=source,
        object_id=item.object_id,
        title=item.title[:200],
        theme_id=item.theme_id,
        light=item.light,
        deadline=item.deadline,
    )


def add_missing_items(report: WeeklyReport) -> int:
    """Add the open items the unit took on since its report was gathered; returns how many."""
    have = set(report.items.values_list("source", "object_id"))
    new = [
        gathered_item(report.pk, provider.key, item)
        for provider in registry.providers()
        for item in provider.open_items(unit_ids=[report.unit_id])
        if (provider.key, item.object_id) not in have
    ]
    ReportItem.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def report_url(report_id: int | None = None) -> str:
    """A report's page; without one, the liaison's own report of the open cycle."""
    if report_id is None:
        return reverse("weekly:my_report")
    return reverse("weekly:report_detail", args=[report_id])


def notify_liaisons(
    unit_ids: Iterable[int], *, kind: str, title: str, body: str = "", url: str = "", sender=None
):
    """Tell the liaisons of these units (through the notifications app, in the caller's transaction)."""
    return notify(
        recipients=unit_liaisons(unit_ids), kind=kind, title=title, body=body, url=url, sender=sender
    )


def notify_heads(unit_id: int, *, title: str, body: str = "", url: str = "", sender=None):
    """Tell the heads of a unit that something waits for their approval (单位领导审核)."""
    return notify(
        recipients=unit_heads([unit_id]), kind="approval", title=title, body=body, url=url, sender=sender
    )
