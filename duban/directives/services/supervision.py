"""The office's pressure on late work: reminders (催办) to a unit, and numbered supervision notices
(督办通知单) for red directives, kept as Word files and counted against the unit; and the unit's reply
to either, by the date they set on the working calendar."""

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
from duban.core.uploads import EVIDENCE, check_upload
from duban.notifications.services import recipients_for_office
from duban.organisation.models import Unit
from duban.workcalendar.selectors import add_working_days

from ..models import Directive, EventKind, Reminder, SupervisionNotice, SupervisionReply, TimelineEvent
from ..rules import is_remindable, may_answer, notice_withheld
from ..selectors import directives_involving, next_notice_sequence
from .common import notify_about, notify_units, notify_users, record

# A reminder is answered within three working days unless the office says otherwise; a notice, five.
REMINDER_REPLY_WORKING_DAYS = 3
NOTICE_REPLY_WORKING_DAYS = 5


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
def reminder_send(
    *, unit: Unit, directives: Iterable[Directive], by, message: str = "", reply_by: date | None = None
) -> Reminder:
    """The office reminds (催办) a unit about directives it leads or co-operates on; the unit replies by
    `reply_by` (three working days from today unless given)."""
    require(is_office_user, by)
    directives = list(directives)
    _check_reminded(unit, directives)
    today = timezone.localdate()
    reply_by = reply_by or add_working_days(today, REMINDER_REPLY_WORKING_DAYS)
    if reply_by < today:
        raise Invalid(fields={"reply_by": [_("回复时限不能早于今天。")]})
    reminder = Reminder.objects.create(unit=unit, message=message, sent_by=by, reply_by=reply_by)
    reminder.directives.set(directives)
    note = _("催办%(unit)s（%(date)s 前回复）：%(message)s") % {
        "unit": unit,
        "date": reply_by,
        "message": message,
    }
    TimelineEvent.objects.bulk_create(
        [TimelineEvent(directive_id=d.pk, kind=EventKind.REMINDER, actor=by, note=note) for d in directives]
    )
    titles = "；".join(d.title for d in directives[:10])
    notify_units(
        [unit.pk],
        kind="reminder",
        title=_("督查室催办 %(n)d 项督办事项") % {"n": len(directives)},
        body=_("%(message)s\n%(titles)s\n请于 %(date)s 前回复。")
        % {
            "message": message,
            "titles": titles,
            "date": reply_by,
        },
        url=reverse("directives:reminder_list") + "?reply_state=awaiting",
        sender=by,
    )
    return reminder


def _notice_save(notice: SupervisionNotice, *, by, title: str = "") -> SupervisionNotice:
    from ..notices import notice_docx

    # The number's uniqueness is the database's to say (an IntegrityError the caller retries), not a
    # check read before the insert that another issuer may beat.
    notice.full_clean(exclude=["file"], validate_constraints=False)
    notice.save()
    name = f"督办通知单{notice.year}-{notice.series}{notice.sequence}.docx"
    notice.file.save(name, ContentFile(notice_docx(notice, title=title)), save=True)
    directive = notice.directive
    kind = title or _("督办通知单")
    record(
        directive, EventKind.NOTICE, by=by, note=_("印发%(kind)s%(n)s") % {"kind": kind, "n": notice.number}
    )
    title = _("%(kind)s%(n)s：%(title)s") % {"kind": kind, "n": notice.number, "title": "%(title)s"}
    notify_about(directive, kind="reminder", title=title, units=[notice.unit_id], body=notice.matters, by=by)
    return notice


def notice_issue(
    *, directive: Directive, by, reply_by: date | None = None, matters: str = "", unit: Unit | None = None
) -> SupervisionNotice:
    """A numbered supervision notice (督办通知单) for a red directive, as a Word file kept with it."""
    require(is_office_user, by)
    if withheld := notice_withheld(directive):
        raise TransitionRefused(withheld)
    return numbered_notice(directive=directive, by=by, reply_by=reply_by, matters=matters, unit=unit)


def numbered_notice(
    *,
    directive: Directive,
    by,
    reply_by: date | None = None,
    matters: str = "",
    unit: Unit | None = None,
    series: str = "",
    title: str = "",
) -> SupervisionNotice:
    """The notice numbered next in its year and series (〔2026〕第3号, or 督办〔2026〕蓝3号 for a step of
    the ladder), saved with its Word file, on the timeline, and sent to the unit; a number taken by
    someone else at the same moment is retried with the next one."""
    today = timezone.localdate()
    matters = (matters or "").strip() or _("“%(title)s”已超过办理时限或节点逾期，请抓紧办理。") % {
        "title": directive.title
    }
    for _attempt in range(3):
        notice = SupervisionNotice(
            directive=directive,
            unit=unit or directive.lead_unit,
            year=today.year,
            series=series,
            sequence=next_notice_sequence(today.year, series),
            matters=matters,
            reply_by=reply_by or add_working_days(today, NOTICE_REPLY_WORKING_DAYS),
            issued_on=today,
            issued_by=by,
        )
        try:
            with transaction.atomic():
                return _notice_save(notice, by=by, title=title)
        except IntegrityError:
            # Someone took the same number at the same moment: take the next one.
            continue
    raise Conflict(_("通知单编号冲突，请重试。"))


def _reply(sent: Reminder | SupervisionNotice, *, by, text: str, file) -> SupervisionReply:
    """The addressed unit's reply, checked (who, what was written, the file) and saved."""
    require(may_answer, by, sent)
    text = (text or "").strip()
    if not text:
        raise Invalid(fields={"text": [_("请填写回复内容。")]})
    if file:
        check_upload(file, allowed=EVIDENCE)
    link = {"notice": sent} if isinstance(sent, SupervisionNotice) else {"reminder": sent}
    reply = SupervisionReply(**link, unit=sent.unit, text=text, replied_by=by)
    if file:
        reply.file = file
        reply.file_name = (getattr(file, "name", "") or "")[:200]
    reply.full_clean(exclude=["file"])
    reply.save()
    return reply


def _tell_sender(sent, *, by, title: str, body: str, url: str) -> None:
    """The office member who sent it is told; the office at large when nobody is named any more."""
    sender = sent.issued_by if isinstance(sent, SupervisionNotice) else sent.sent_by
    recipients = [sender] if sender is not None and sender.is_active else list(recipients_for_office())
    notify_users(recipients=recipients, kind="reply", title=title, body=body, url=url, sender=by)


@transaction.atomic
def notice_reply(*, notice: SupervisionNotice, by, text: str, file=None) -> SupervisionReply:
    """The unit a supervision notice is addressed to replies (text, and a file if any): the reply is
    kept with the notice, written on the directive's timeline and sent to whoever issued it."""
    notice = (
        SupervisionNotice.objects.select_for_update().select_related("unit", "directive").get(pk=notice.pk)
    )
    reply = _reply(notice, by=by, text=text, file=file)
    record(
        notice.directive,
        EventKind.NOTICE_REPLY,
        by=by,
        note=_("回复督办通知单%(n)s：%(text)s")
        % {
            "n": notice.number,
            "text": reply.text,
        },
    )
    _tell_sender(
        notice,
        by=by,
        title=_("%(unit)s已回复督办通知单%(n)s") % {"unit": notice.unit, "n": notice.number},
        body=reply.text,
        url=reverse("directives:detail", args=[notice.directive_id]),
    )
    return reply


@transaction.atomic
def reminder_reply(*, reminder: Reminder, by, text: str, file=None) -> SupervisionReply:
    """The unit a reminder was sent to replies: kept with the reminder, written on the timeline of each
    directive it named and sent to whoever sent the reminder."""
    reminder = Reminder.objects.select_for_update().select_related("unit").get(pk=reminder.pk)
    reply = _reply(reminder, by=by, text=text, file=file)
    note = _("回复%(date)s的催办：%(text)s") % {
        "date": timezone.localtime(reminder.sent_at).date(),
        "text": reply.text,
    }
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(directive_id=pk, kind=EventKind.NOTICE_REPLY, actor=by, note=note)
            for pk in reminder.directives.values_list("pk", flat=True)
        ]
    )
    _tell_sender(
        reminder,
        by=by,
        title=_("%(unit)s已回复催办") % {"unit": reminder.unit},
        body=reply.text,
        url=reverse("directives:reminder_list") + f"?unit={reminder.unit_id}",
    )
    return reply
