"""The lights when a weekly cycle closes: counted per lead unit, theme and responsible leader, and the red
and yellow items listed, once per cycle, in the transaction that closes it. The cockpit's weekly trend
and the bulletin read these figures, so a week shows what was true that week, not today's data.

Set-based: one aggregate query of the directives (`directives.selectors.light_snapshot_rows`) written by
one bulk INSERT, and the providers' red and yellow lists written by bulk INSERTs in batches.
"""

from __future__ import annotations

from itertools import islice

from django.db import transaction
from django.utils import timezone

from duban.directives.selectors import light_snapshot_rows

from .. import providers as registry
from ..models import CycleState, LightSnapshot, ReportingCycle, SnapshotItem

BATCH = 5000
FLAGGED_LIGHTS = ("red", "yellow")


def _items(cycle: ReportingCycle):
    order = 0
    for provider in registry.providers():
        for light in FLAGGED_LIGHTS:
            for item in provider.flagged(light=light):
                order += 1
                yield SnapshotItem(
                    cycle=cycle,
                    source=item.source or provider.key,
                    object_id=item.object_id,
                    light=light,
                    title=item.title[:200],
                    unit_id=item.unit_id,
                    unit_name=item.unit_name[:120],
                    theme_id=item.theme_id,
                    theme_name=(item.theme_name or "")[:120],
                    leader_id=item.leader_id,
                    leader_name=(item.leader_name or "")[:60],
                    deadline=item.deadline,
                    percent=item.percent,
                    order=order,
                )


def cycle_snapshot(*, cycle: ReportingCycle, backfilled: bool = False) -> bool:
    """Take the cycle's snapshot of the lights unless it has one; True when taken now (idempotent)."""
    with transaction.atomic():
        current = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
        if current.snapshot_at is not None:
            return False
        rows = light_snapshot_rows(on=timezone.localdate())
        LightSnapshot.objects.bulk_create(
            (
                LightSnapshot(
                    cycle=current,
                    unit_id=row["lead_unit_id"],
                    theme_id=row["theme_id"],
                    leader_id=row["responsible_leader_id"],
                    red=row["red"],
                    yellow=row["yellow"],
                    green=row["green"],
                    overdue=row["overdue"],
                    stale=row["stale"],
                )
                for row in rows
            ),
            batch_size=BATCH,
        )
        items = _items(current)
        while batch := list(islice(items, BATCH)):
            SnapshotItem.objects.bulk_create(batch)
        # A derived mark (like the lights): a plain UPDATE.
        now = timezone.now()
        ReportingCycle.objects.filter(pk=current.pk).update(snapshot_at=now, snapshot_backfilled=backfilled)
        cycle.snapshot_at, cycle.snapshot_backfilled = now, backfilled
        return True


def snapshot_backfill() -> int:
    """Snapshot the closed cycles that have none (closed before snapshots were taken), with today's
    figures, marked as backfilled (the bulletin says so). Returns how many were taken."""
    missing = ReportingCycle.objects.filter(state=CycleState.CLOSED, snapshot_at__isnull=True)
    return sum(cycle_snapshot(cycle=cycle, backfilled=True) for cycle in missing.order_by("starts_on"))
