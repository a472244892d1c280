"""Writes to the audit logs beyond appending: the purge of security events past their retention."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.errors import Invalid

from .chain import SECURITY, locked_heads
from .models import ChainHead, SecurityEvent, SecurityEventKind
from .security import record
from .selectors import security_log_purge_cutoff


@transaction.atomic
def security_log_purge(*, before: date) -> int:
    """Delete the security events from before `before`, outside the retention period: housekeeping
    (`duban purge_security_log`), which on PostgreSQL needs the tables' owner's connection (the
    application's role may not delete from the log); no user of the application purges.

    The hash chain loses its beginning, never a middle: the purge stops at the first entry in chain
    order that is to be kept, and the chain head remembers where the remaining chain starts (its
    anchor), so that `duban audit verify` still checks every entry left. The purge is recorded.
    """
    cutoff = security_log_purge_cutoff()
    if before > timezone.localdate(cutoff):
        raise Invalid(
            _("安全日志至少保存 %(days)d 天：只能删除 %(day)s 及以前的记录。")
            % {"days": (timezone.now() - cutoff).days, "day": timezone.localdate(cutoff).isoformat()}
        )
    with connection.cursor() as cursor:
        locked_heads(cursor, connection.vendor)  # no commit chains events while the anchor moves
    start = timezone.make_aware(datetime.combine(before, time.min))
    old = SecurityEvent.objects.filter(at__lt=start)
    first_kept = (
        SecurityEvent.objects.filter(at__gte=start, chain_seq__isnull=False)
        .order_by("chain_seq")
        .values_list("chain_seq", flat=True)
        .first()
    )
    chained = old.filter(chain_seq__isnull=False)
    if first_kept is not None:
        chained = chained.filter(chain_seq__lt=first_kept)
    anchor = chained.order_by("-chain_seq").values_list("chain_seq", "chain_hash").first()
    if anchor is not None:
        ChainHead.objects.filter(name=SECURITY.table).update(anchor_seq=anchor[0], anchor_hash=anchor[1])
    last_purged = anchor[0] if anchor is not None else 0
    deleted, _by_model = old.filter(Q(chain_seq__isnull=True) | Q(chain_seq__lte=last_purged)).delete()
    record(SecurityEventKind.LOG_PURGED, detail=f"before {before.isoformat()}: {deleted}")
    return deleted
