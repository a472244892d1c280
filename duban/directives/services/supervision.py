"""The office's pressure on late work: reminders (催办) to a unit, and numbered supervision notices
(督办通知单) for red directives, kept as Word files and counted against the unit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.rules import is_office_user
from duban.core.errors import Conflict, Invalid, TransitionRefused
from duban.core.rules import require
from duban.organisation.models import Unit
from duban.workcalendar.selectors import add_working_days

from ..models import Directive, EventKind, Reminder, SupervisionNotice, TimelineEvent
from ..rules import is_remindable, notice_withheld
from ..selectors import directives_involving, next_notice_sequence
from .common import notify_about, notify_units, record


def _check_reminded(unit: Unit, directives: list[Directive]) -> None:
    if not directives:
        raise Invalid(_("请至少选择一项督办事项。"))
    involved = set(directives_involving(unit, [d.pk for d in directives]))
    strangers = [d.title for d in directives if d.pk not in involved]
    if strangers:
        raise Invalid(
            _("%(unit)s 不是以下事项的牵头或配合单位：%(titles)s")
            % {"unit": unit, "titles": "、".join(strangers)}
        )
    closed = [d.title for d in directives if not is_remindable(d)]
    if closed:
        raise Invalid(_("以下事项不在办理中，无需催办：%(titles)s") % {"titles": "、".join(closed)})


@transaction.atomic
def reminder_send(*, unit: Unit, directives: Iterable[Directive], by, message: str = "") -> Reminder:
    """The office reminds (催办) a unit about directives it leads or co-operates on."""
    require(is_office_user, by)
    directives = list(directives)
    _check_reminded(unit, directives)
    reminder = Reminder.objects.create(unit=unit, message=message, sent_by=by)
    reminder.directives.set(directives)
    note = _("催办%(unit)s：%(message)s") % {"unit": unit, "message": message}
    TimelineEvent.objects.bulk_create(
        [TimelineEvent(directive_id=d.pk, kind=EventKind.REMINDER, actor=by, note=note) for d in directives]
    )
    titles = "；".join(d.title for d in directives[:10])
    notify_units(
        [unit.pk],
        kind="reminder",
        title=_("督查室催办 %(n)d 项督办事项") % {"n": len(directives)},
        body=f"{message}\n{titles}".strip(),
        url=reverse("directives:my_work"),
        sender=by,
    )
    return reminder


def _notice_save(notice: SupervisionNotice, *, by) -> SupervisionNotice:
    from ..notices import notice_docx

    notice.full_clean(exclude=["file"])
    notice.save()
    notice.file.save(
        f"督办通知单{notice.year}-{notice.sequence}.docx", ContentFile(notice_docx(notice)), save=True
    )
    directive = notice.directive
    record(directive, EventKind.NOTICE, by=by, note=_("印发督办通知单%(n)s") % {"n": notice.number})
    title = _("督办通知单%(n)s：%(title)s") % {"n": notice.number, "title": "%(title)s"}
    notify_about(directive, kind="reminder", title=title, units=[notice.unit_id], body=notice.matters, by=by)
    return notice


def notice_issue(
    *, directive: Directive, by, reply_by: date | None = None, matters: str = "", unit: Unit | None = None
) -> SupervisionNotice:
    """A numbered supervision notice (督办通知单) for a red directive, as a Word file kept with it."""
    require(is_office_user, by)
    if withheld := notice_withheld(directive):
        raise TransitionRefused(withheld)
    today = timezone.localdate()
    matters = (matters or "").strip() or _("“%(title)s”已超过办理时限或节点逾期，请抓紧办理。") % {
        "title": directive.title
    }
    for _attempt in range(3):
        notice = SupervisionNotice(
            directive=directive,
            unit=unit or directive.lead_unit,
            year=today.year,
            sequence=next_notice_sequence(today.year),
            matters=matters,
            reply_by=reply_by or add_working_days(today, 5),
            issued_on=today,
            issued_by=by,
        )
        try:
            with transaction.atomic():
                return _notice_save(notice, by=by)
        except IntegrityError:
            # Someone took the same number at the same moment: take the next one.
            continue
    raise Conflict(_("通知单编号冲突，请重试。"))
