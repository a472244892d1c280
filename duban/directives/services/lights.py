"""The lights (red, yellow, green, grey): recomputed with a handful of set-based UPDATEs, by the
services after each change and by the scheduled job for every directive."""

from __future__ import annotations

import operator
from datetime import date, datetime, time
from functools import reduce

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel

from .. import lights as light_rules
from ..models import (
    ACTIVE_STATES,
    CLOCK_STARTS,
    Directive,
    Light,
    Milestone,
    MilestoneState,
    ProgressReport,
    TimelineEvent,
)
from ..selectors import light_cutoffs
from .common import notify_units

ANALYZE_AFTER_CHANGES = 1000


def stale_condition(cut: light_rules.Cutoffs) -> Q:
    """The directives gone stale: by priority, nothing heard (no progress report, no assignment or
    restart, not even their creation) since the priority's cut-off. Anti-joins, no loop over rows."""
    parts = []
    for priority, before in cut.stale_before.items():
        since = timezone.make_aware(datetime.combine(before, time.min))
        reported = ProgressReport.objects.filter(created_at__gte=since).values("directive_id")
        restarted = TimelineEvent.objects.filter(kind__in=CLOCK_STARTS, created_at__gte=since)
        parts.append(
            Q(priority=priority, created_at__lt=since)
            & ~Q(pk__in=reported)
            & ~Q(pk__in=restarted.values("directive_id"))
        )
    return reduce(operator.or_, parts) if parts else Q(pk__in=[])


def _targets(base: QuerySet[Directive], cut: light_rules.Cutoffs) -> dict[str, QuerySet[Directive]]:
    """The directives that should show each light."""
    open_milestones = Milestone.objects.exclude(state=MilestoneState.DONE)
    # "pk IN (subquery)" rather than EXISTS: PostgreSQL hashes the late milestones once instead of
    # probing them row by row inside an OR.
    late_red = open_milestones.filter(due_on__lt=cut.milestone_red_before).values("directive_id")
    late = open_milestones.filter(due_on__lt=cut.milestone_late_before).values("directive_id")
    red = Q(deadline__lt=cut.overdue_before) | Q(pk__in=late_red)
    yellow = Q(deadline__lte=cut.due_soon_until) | Q(pk__in=late) | stale_condition(cut)
    active = base.filter(state__in=ACTIVE_STATES)
    return {
        Light.GREY: base.exclude(state__in=ACTIVE_STATES),
        Light.RED: active.filter(red),
        Light.YELLOW: active.exclude(red).filter(yellow),
        Light.GREEN: active.exclude(red).exclude(yellow),
    }


def recompute_lights(
    queryset: QuerySet[Directive] | None = None, *, today: date | None = None, notify_changes: bool = False
) -> dict[str, int]:
    """Set every directive's light with a handful of set-based UPDATEs (no loop over rows).

    Returns how many rows changed to each light. With notify_changes, the lead units of directives
    that just turned red or yellow are told (one message per unit).
    """
    base = queryset if queryset is not None else Directive.objects.all()
    if connection.vendor == "postgresql" and not connection.get_autocommit():
        with connection.cursor() as cursor:
            # Compiling these few statements costs more than running them.
            cursor.execute("SET LOCAL jit = off")
    cut = light_cutoffs(today)
    targets = _targets(base, cut)
    if notify_changes:
        for light, kind in ((Light.RED, "overdue"), (Light.YELLOW, "nearing_deadline")):
            per_unit = (
                targets[light].exclude(light=light).values("lead_unit").annotate(n=Count("pk")).order_by()
            )
            for row in per_unit:
                _notify_light(row["lead_unit"], row["n"], light, kind)
    # Only rows whose light (or stale mark) actually changes are written.
    stale = base.filter(state__in=ACTIVE_STATES).filter(stale_condition(cut))
    stale.exclude(stale=True).update(stale=True)
    base.filter(stale=True).exclude(pk__in=stale.values("pk")).update(stale=False)
    return {str(light): rows.exclude(light=light).update(light=light) for light, rows in targets.items()}


def _notify_light(unit_id: int, count: int, light: str, kind: str) -> None:
    if light == Light.RED:
        title = _("%(n)d 项督办事项已逾期（红灯）") % {"n": count}
    else:
        title = _("%(n)d 项督办事项临近办理时限（黄灯）") % {"n": count}
    notify_units([unit_id], kind=kind, title=title, url=reverse("directives:my_work") + f"?light={light}")


def recompute_lights_job(*, today: date | None = None, notify: bool = True) -> dict[str, int]:
    """The scheduled job (django-q2) and `duban directives recompute-lights`: every directive, and
    the lead units told about their new red and yellow work."""
    with audit_context(channel=Channel.SYSTEM), transaction.atomic():
        changed = recompute_lights(today=today, notify_changes=notify)
        if connection.vendor == "postgresql" and sum(changed.values()) > ANALYZE_AFTER_CHANGES:
            # Fresh statistics, so that the board's plans follow the lights that just moved.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE directives_directive")
    return changed
