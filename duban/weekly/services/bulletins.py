"""The bulletin's compilation: the office asks for it, it is compiled at once when small or by the
background worker with a progress bar, and its Word and Excel files are stored on the Bulletin row.
What goes into it is read by the selectors and laid out by `weekly/bulletin.py`."""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.jobs import queue
from duban.core.rules import require

from .. import bulletin as composition
from .. import selectors
from ..models import Bulletin, BulletinState, ReportingCycle
from ..rules import may_manage_cycles

logger = logging.getLogger(__name__)

COMPILE_FUNC = "duban.weekly.services.bulletin_compile_job"
# Above this many items the bulletin is compiled by the background worker, with a progress bar.
BACKGROUND_ABOVE = getattr(settings, "DUBAN_WEEKLY_BULLETIN_BACKGROUND_ABOVE", 2000)
# A compilation that has run for longer than the worker's timeout has died; it may be asked for again.
STALE_AFTER = timedelta(minutes=15)


def _in_progress(bulletin: Bulletin) -> bool:
    running = bulletin.state in (BulletinState.QUEUED, BulletinState.RUNNING)
    return running and bool(bulletin.requested_at) and timezone.now() - bulletin.requested_at < STALE_AFTER


def bulletin_request(*, cycle: ReportingCycle, by, background: bool | None = None) -> Bulletin:
    """The office asks for the bulletin: compiled now when small, else queued for the worker."""
    require(may_manage_cycles, by, cycle)
    with transaction.atomic():
        bulletin, created = Bulletin.objects.select_for_update().get_or_create(cycle=cycle)
        if not created and _in_progress(bulletin):
            return bulletin
        count = selectors.cycle_items(cycle).count()
        bulletin.state = BulletinState.QUEUED
        bulletin.progress = 0
        bulletin.step = _("排队等待编制")
        bulletin.error = ""
        bulletin.item_count = count
        bulletin.requested_by = by
        bulletin.finished_at = None
        bulletin.save()
        if background is None:
            background = count > BACKGROUND_ABOVE
        if background:
            queue(COMPILE_FUNC, bulletin.pk, name=f"weekly-bulletin-{bulletin.pk}")
            return bulletin
    bulletin_compile(bulletin_id=bulletin.pk)
    bulletin.refresh_from_db()
    return bulletin


def _progress(bulletin_id: int, percent: int, step: str) -> None:
    # A derived value: a plain UPDATE, visible to the polling page at once (autocommit in the worker).
    Bulletin.objects.filter(pk=bulletin_id).update(progress=min(100, percent), step=step[:100])


def _store(bulletin: Bulletin, docx_file, xlsx: bytes) -> None:
    cycle = bulletin.cycle
    name = _("周报%(year)d年第%(n)d期") % {"year": cycle.iso_year, "n": cycle.issue_number}
    for field in (bulletin.docx, bulletin.xlsx):
        if field:
            field.delete(save=False)
    docx_file.seek(0)
    bulletin.docx.save(f"{name}.docx", File(docx_file), save=False)
    bulletin.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)


def bulletin_compile(*, bulletin_id: int) -> Bulletin:
    """Compile the Word and Excel files of the bulletin and store them."""
    bulletin = Bulletin.objects.select_related("cycle").get(pk=bulletin_id)
    Bulletin.objects.filter(pk=bulletin_id).update(state=BulletinState.RUNNING)
    cycle = bulletin.cycle
    try:
        count = selectors.cycle_items(cycle).count()
        total = max(count, 1)
        _progress(bulletin_id, 2, _("汇总数据"))

        def on_items(done: int, share: tuple[int, int], label: str) -> None:
            low, high = share
            _progress(bulletin_id, low + (high - low) * done // total, label)

        with tempfile.TemporaryFile() as docx_file:
            word = _("编制 Word 文件")
            composition.bulletin_docx(cycle, docx_file, on_items=lambda n: on_items(n, (5, 70), word))
            excel = _("编制 Excel 文件")
            _progress(bulletin_id, 70, excel)
            xlsx = composition.bulletin_xlsx(cycle, on_items=lambda n: on_items(n, (70, 97), excel))
            _progress(bulletin_id, 98, _("保存文件"))
            _store(bulletin, docx_file, xlsx)
        bulletin.state = BulletinState.DONE
        bulletin.progress = 100
        bulletin.step = _("已完成")
        bulletin.item_count = count
        bulletin.finished_at = timezone.now()
        bulletin.save(
            update_fields=["docx", "xlsx", "state", "progress", "step", "item_count", "finished_at"]
        )
    except Exception as error:
        logger.exception("weekly bulletin %s failed", bulletin_id)
        Bulletin.objects.filter(pk=bulletin_id).update(
            state=BulletinState.FAILED, error=str(error)[:2000], step=_("编制失败")
        )
        bulletin.refresh_from_db()
    return bulletin


def bulletin_compile_job(bulletin_id: int) -> str:
    """The background task (django-q2)."""
    with audit_context(channel=Channel.SYSTEM):
        return bulletin_compile(bulletin_id=bulletin_id).state
