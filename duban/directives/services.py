"""Changing directives: creation and edits, one function per life-cycle transition, milestones,
progress, comments, reminders, supervision notices, the lights, and the ledger in Excel."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.accounts.scope import can_change, can_create, can_see, is_office
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.concurrency import lock_for_update
from duban.core.excel import ImportRejected, RowErrors, read_sheet, write_workbook
from duban.core.uploads import EVIDENCE, check_upload
from duban.organisation.models import Leader, Theme, Unit
from duban.organisation.selectors import resolve_unit
from duban.workcalendar.selectors import add_working_days, working_calendar

from . import lights
from .models import (
    ACTIVE_STATES,
    Comment,
    CommentKind,
    Directive,
    EventKind,
    Evidence,
    Light,
    Meeting,
    Milestone,
    MilestoneState,
    Priority,
    ProgressReport,
    Reminder,
    Source,
    State,
    SupervisionNotice,
    TimelineEvent,
    WarningThresholds,
)
from .workflow import TRANSITIONS, Actor, Guard, Transition


class TransitionNotAllowed(Exception):
    """A life-cycle step this user may not take now; `message` says why, `status` is for the API."""

    def __init__(self, message: str, *, status: int = 409):
        self.message = message
        self.status = status
        super().__init__(message)


# --- notifications -------------------------------------------------------------------------------


def _notify(*, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = "", sender=None):
    """Through the notifications app (its inbox rows share our transaction; it sends email on commit)."""
    recipients = [u for u in recipients if u is not None]
    if not recipients:
        return 0
    try:
        from duban.notifications.services import notify
    except ImportError:  # the notifications app is optional for this one
        return 0
    return notify(recipients=recipients, kind=kind, title=title, body=body, url=url, sender=sender)


def unit_liaisons(unit_ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(unit_id__in=list(unit_ids), role=Role.LIAISON, is_active=True))


def _directive_url(directive: Directive) -> str:
    return reverse("directives:detail", args=[directive.pk])


def _leader_user(directive: Directive) -> User | None:
    leader = directive.responsible_leader
    return leader.user if leader is not None and leader.user_id else None


def _record(directive: Directive, kind: str, *, by, note: str = "", from_state: str = "", to_state: str = ""):
    return TimelineEvent.objects.create(
        directive=directive, kind=kind, actor=by, note=note, from_state=from_state, to_state=to_state
    )


# --- roles and the transition table --------------------------------------------------------------


def acts_as(user, actor: Actor, directive: Directive) -> bool:
    if actor == Actor.OFFICE:
        return is_office(user)
    return user.is_authenticated and user.role == Role.LIAISON and can_change(user, directive)


def _guard_holds(transition: Transition, directive: Directive) -> bool:
    if transition.guard == Guard.EXTENSION_PENDING:
        return directive.extension_pending
    if transition.guard == Guard.NO_EXTENSION_PENDING:
        return not directive.extension_pending
    return True


def allowed_transitions(user, directive: Directive) -> list[Transition]:
    """The transitions this user may take on this directive now (for buttons)."""
    return [
        t
        for t in TRANSITIONS.values()
        if directive.state in t.sources and _guard_holds(t, directive) and acts_as(user, t.actor, directive)
    ]


def check_transition(user, directive: Directive, name: str) -> Transition:
    """The transition, or TransitionNotAllowed with a message the user can act on."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionNotAllowed(_("没有“%(name)s”这一操作。") % {"name": name}, status=400)
    if not acts_as(user, transition.actor, directive):
        who = _("督查室") if transition.actor == Actor.OFFICE else _("牵头单位联络员")
        raise TransitionNotAllowed(
            _("只有%(who)s可以执行“%(action)s”。") % {"who": who, "action": transition.label}, status=403
        )
    if directive.state not in transition.sources:
        raise TransitionNotAllowed(
            _("事项当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": directive.get_state_display(), "action": transition.label}
        )
    if not _guard_holds(transition, directive):
        if transition.guard == Guard.EXTENSION_PENDING:
            raise TransitionNotAllowed(_("该事项没有待审批的延期申请。"))
        raise TransitionNotAllowed(_("该事项已有待审批的延期申请，请等待督查室审批。"))
    return transition


def _transition(
    directive: Directive,
    name: str,
    *,
    by,
    note: str = "",
    expected_version: int | None = None,
    changes: dict | None = None,
) -> Directive:
    """Lock, check the table, move, bump the version, record the event, relight. Call inside atomic."""
    if expected_version is None:
        current = Directive.objects.select_for_update().get(pk=directive.pk)
    else:
        current = lock_for_update(
            directive, expected_version=expected_version, submitted={"state": directive.state}
        )
    transition = check_transition(by, current, name)
    note = (note or "").strip()
    if transition.needs_reason and not note:
        raise ValidationError(_("请填写“%(action)s”的理由或说明。") % {"action": transition.label})
    from_state = current.state
    if transition.target:
        current.state = transition.target
    for field, value in (changes or {}).items():
        setattr(current, field, value)
    current.version += 1
    current.full_clean()
    current.save()
    _record(current, transition.event, by=by, note=note, from_state=from_state, to_state=current.state)
    recompute_lights(Directive.objects.filter(pk=current.pk))
    current.refresh_from_db(fields=["light"])
    return current


# One service per transition, each a thin statement of what that step changes.


@transaction.atomic
def directive_assign(*, directive: Directive, by, note: str = "", expected_version: int | None = None):
    directive = _transition(directive, "assign", by=by, note=note, expected_version=expected_version)
    unit_ids = [directive.lead_unit_id, *directive.co_units.values_list("pk", flat=True)]
    _notify(
        recipients=[*unit_liaisons(unit_ids), _leader_user(directive)],
        kind="assigned",
        title=_("新交办督办事项：%(title)s") % {"title": directive.title},
        body=_("办理时限：%(deadline)s") % {"deadline": directive.deadline},
        url=_directive_url(directive),
        sender=by,
    )
    return directive


@transaction.atomic
def directive_start(*, directive: Directive, by, note: str = "", expected_version: int | None = None):
    return _transition(directive, "start", by=by, note=note, expected_version=expected_version)


@transaction.atomic
def directive_request_completion(
    *, directive: Directive, by, note: str, expected_version: int | None = None
) -> Directive:
    return _transition(directive, "request_completion", by=by, note=note, expected_version=expected_version)


@transaction.atomic
def directive_close(*, directive: Directive, by, note: str = "", expected_version: int | None = None):
    directive = _transition(
        directive,
        "close",
        by=by,
        note=note,
        expected_version=expected_version,
        changes={"closed_at": timezone.now(), "percent": 100},
    )
    _notify(
        recipients=[*unit_liaisons([directive.lead_unit_id]), _leader_user(directive)],
        kind="closed",
        title=_("督办事项已办结：%(title)s") % {"title": directive.title},
        url=_directive_url(directive),
        sender=by,
    )
    return directive


@transaction.atomic
def directive_close_by_decision(*, directive: Directive, by, note: str, expected_version: int | None = None):
    """The office closes an open directive on a meeting's or leader's decision, naming it in note."""
    directive = _transition(
        directive,
        "close_by_decision",
        by=by,
        note=note,
        expected_version=expected_version,
        changes={"closed_at": timezone.now()},
    )
    _notify(
        recipients=[*unit_liaisons([directive.lead_unit_id]), _leader_user(directive)],
        kind="closed",
        title=_("督办事项已决定办结：%(title)s") % {"title": directive.title},
        body=note,
        url=_directive_url(directive),
        sender=by,
    )
    return directive


@transaction.atomic
def directive_return(*, directive: Directive, by, note: str, expected_version: int | None = None):
    directive = _transition(directive, "return", by=by, note=note, expected_version=expected_version)
    _notify(
        recipients=unit_liaisons([directive.lead_unit_id]),
        kind="returned",
        title=_("办结申请被退回：%(title)s") % {"title": directive.title},
        body=note,
        url=_directive_url(directive),
        sender=by,
    )
    return directive


@transaction.atomic
def directive_request_extension(
    *, directive: Directive, by, until: date, note: str, expected_version: int | None = None
) -> Directive:
    if until is None or until <= directive.deadline:
        raise ValidationError(_("延期后的时限必须晚于当前办理时限（%(d)s）。") % {"d": directive.deadline})
    note_text = _("申请延期至 %(until)s。理由：%(reason)s") % {"until": until, "reason": (note or "").strip()}
    if not (note or "").strip():
        note_text = ""
    return _transition(
        directive,
        "request_extension",
        by=by,
        note=note_text,
        expected_version=expected_version,
        changes={"extension_until": until, "extension_reason": (note or "").strip()},
    )


def _extension_decided(directive: Directive, *, by, approved: bool, note: str) -> None:
    title = _("延期申请已同意：%(title)s") if approved else _("延期申请未获同意：%(title)s")
    _notify(
        recipients=unit_liaisons([directive.lead_unit_id]),
        kind="extension_decided",
        title=title % {"title": directive.title},
        body=note,
        url=_directive_url(directive),
        sender=by,
    )


@transaction.atomic
def directive_approve_extension(
    *, directive: Directive, by, note: str = "", expected_version: int | None = None
) -> Directive:
    pending = Directive.objects.get(pk=directive.pk)
    old = pending.deadline
    note = (_("办理时限由 %(old)s 延至 %(new)s。") % {"old": old, "new": pending.extension_until}) + (
        note or ""
    )
    directive = _transition(
        directive,
        "approve_extension",
        by=by,
        note=note,
        expected_version=expected_version,
        changes={"deadline": pending.extension_until, "extension_until": None, "extension_reason": ""},
    )
    _extension_decided(directive, by=by, approved=True, note=note)
    return directive


@transaction.atomic
def directive_refuse_extension(
    *, directive: Directive, by, note: str, expected_version: int | None = None
) -> Directive:
    directive = _transition(
        directive,
        "refuse_extension",
        by=by,
        note=note,
        expected_version=expected_version,
        changes={"extension_until": None, "extension_reason": ""},
    )
    _extension_decided(directive, by=by, approved=False, note=note)
    return directive


@transaction.atomic
def directive_suspend(*, directive: Directive, by, note: str, expected_version: int | None = None):
    return _transition(directive, "suspend", by=by, note=note, expected_version=expected_version)


@transaction.atomic
def directive_resume(*, directive: Directive, by, note: str = "", expected_version: int | None = None):
    return _transition(directive, "resume", by=by, note=note, expected_version=expected_version)


@transaction.atomic
def directive_cancel(*, directive: Directive, by, note: str, expected_version: int | None = None):
    return _transition(directive, "cancel", by=by, note=note, expected_version=expected_version)


TRANSITION_SERVICES = {
    "assign": directive_assign,
    "start": directive_start,
    "request_completion": directive_request_completion,
    "close": directive_close,
    "close_by_decision": directive_close_by_decision,
    "return": directive_return,
    "request_extension": directive_request_extension,
    "approve_extension": directive_approve_extension,
    "refuse_extension": directive_refuse_extension,
    "suspend": directive_suspend,
    "resume": directive_resume,
    "cancel": directive_cancel,
}


def directive_transition(
    *, directive: Directive, name: str, by, note: str = "", until: date | None = None, expected_version=None
) -> Directive:
    """Dispatch by name (for pages and the API, which receive the transition's name)."""
    service = TRANSITION_SERVICES.get(name)
    if service is None:
        raise TransitionNotAllowed(_("没有“%(name)s”这一操作。") % {"name": name}, status=400)
    kwargs = {"directive": directive, "by": by, "note": note, "expected_version": expected_version}
    if name == "request_extension":
        # Check the table before the date, so a wrong role hears about the role, not the date.
        check_transition(by, directive, name)
        kwargs["until"] = until
    return service(**kwargs)


# --- creating and editing ------------------------------------------------------------------------


def _add_milestones(directive: Directive, milestones: Iterable[tuple[str, date]]) -> None:
    for order, (title, due_on) in enumerate(milestones, start=1):
        milestone = Milestone(directive=directive, order=order, title=title, due_on=due_on)
        milestone.full_clean()
        milestone.save()


@transaction.atomic
def directive_create(
    *,
    by,
    co_units: Iterable[Unit] = (),
    milestones: Iterable[tuple[str, date]] = (),
    assign: bool = False,
    **fields,
) -> Directive:
    """A new directive (a draft, or assigned at once); only the office creates top-level directives."""
    if not is_office(by):
        raise PermissionDenied
    directive = Directive(created_by=by, **fields)
    directive.full_clean()
    directive.save()
    directive.co_units.set(co_units)
    _add_milestones(directive, milestones)
    _record(directive, EventKind.CREATED, by=by, to_state=directive.state)
    if assign:
        return directive_assign(directive=directive, by=by)
    recompute_lights(Directive.objects.filter(pk=directive.pk))
    directive.refresh_from_db(fields=["light"])
    return directive


@transaction.atomic
def directive_update(*, directive: Directive, by, expected_version: int, **fields) -> Directive:
    """The office edits a directive; a save over someone else's newer save is refused (EditConflict)."""
    if not is_office(by):
        raise PermissionDenied
    current = lock_for_update(directive, expected_version=expected_version, submitted=fields)
    if current.state in (State.CLOSED, State.CANCELLED):
        raise ValidationError(_("已办结或已撤销的事项不能修改。"))
    co_units = fields.pop("co_units", None)
    changed = []
    for name, value in fields.items():
        if getattr(current, name) != value:
            changed.append(str(Directive._meta.get_field(name).verbose_name))
        setattr(current, name, value)
    if co_units is not None and set(current.co_units.all()) != set(co_units):
        changed.append(str(Directive._meta.get_field("co_units").verbose_name))
    current.version += 1
    current.full_clean()
    current.save()
    if co_units is not None:
        current.co_units.set(co_units)
    if changed:
        _record(
            current, EventKind.EDITED, by=by, note=_("修改了：%(fields)s") % {"fields": "、".join(changed)}
        )
    recompute_lights(Directive.objects.filter(pk=current.pk))
    current.refresh_from_db(fields=["light"])
    return current


@transaction.atomic
def directive_split(
    *, parent: Directive, by, unit: Unit, title: str, deadline: date, content: str = ""
) -> Directive:
    """A sub-task of a directive for one of the lead unit's own sub-units, assigned at once."""
    parent = Directive.objects.select_related("lead_unit").get(pk=parent.pk)
    if not (is_office(by) or acts_as(by, Actor.UNIT, parent)):
        raise PermissionDenied
    if parent.state not in (State.ASSIGNED, State.IN_PROGRESS):
        raise TransitionNotAllowed(_("只有已交办或办理中的事项可以分解子任务。"))
    if unit.pk == parent.lead_unit_id or not unit.tree_path.startswith(parent.lead_unit.tree_path):
        raise ValidationError({"unit": _("子任务只能分解给牵头单位的下级单位。")})
    if not can_create(by, Directive, unit=unit):
        raise PermissionDenied
    if deadline > parent.deadline:
        raise ValidationError(
            {"deadline": _("子任务的时限不能晚于上级事项的时限（%(d)s）。") % {"d": parent.deadline}}
        )
    child = Directive(
        title=title,
        content=content,
        source=parent.source,
        meeting=parent.meeting,
        source_note=parent.source_note,
        theme=parent.theme,
        responsible_leader=parent.responsible_leader,
        lead_unit=unit,
        deadline=deadline,
        priority=parent.priority,
        parent=parent,
        state=State.ASSIGNED,
        created_by=by,
    )
    child.full_clean()
    child.save()
    _record(child, EventKind.ASSIGNED, by=by, to_state=State.ASSIGNED, note=_("由上级事项分解。"))
    _record(parent, EventKind.SPLIT, by=by, note=_("分解子任务“%(t)s”给%(u)s。") % {"t": title, "u": unit})
    recompute_lights(Directive.objects.filter(pk=child.pk))
    _notify(
        recipients=unit_liaisons([unit.pk]),
        kind="assigned",
        title=_("新交办督办事项：%(title)s") % {"title": title},
        url=_directive_url(child),
        sender=by,
    )
    child.refresh_from_db(fields=["light"])
    return child


def directives_assign_bulk(
    *,
    directives: Iterable[Directive],
    by,
    lead_unit: Unit | None = None,
    responsible_leader=None,
    deadline=None,
) -> int:
    """Assign many drafts at once, optionally setting the same unit, leader or deadline on each.

    All or nothing: one refused directive leaves every one of them as it was.
    """
    if not is_office(by):
        raise PermissionDenied
    count = 0
    with transaction.atomic():
        for directive in directives:
            changes = {
                k: v
                for k, v in {
                    "lead_unit": lead_unit,
                    "responsible_leader": responsible_leader,
                    "deadline": deadline,
                }.items()
                if v is not None
            }
            if changes:
                directive = directive_update(
                    directive=directive, by=by, expected_version=directive.version, **changes
                )
            directive_assign(directive=directive, by=by)
            count += 1
    return count


# --- milestones and progress ---------------------------------------------------------------------


def _require_open(directive: Directive) -> None:
    if directive.state in (State.CLOSED, State.CANCELLED, State.SUSPENDED):
        raise TransitionNotAllowed(
            _("事项当前状态为“%(state)s”，不能再修改。") % {"state": directive.get_state_display()}
        )


def _require_office_or_unit(by, directive: Directive) -> None:
    if not (is_office(by) or acts_as(by, Actor.UNIT, directive)):
        raise PermissionDenied


@transaction.atomic
def milestone_add(*, directive: Directive, by, title: str, due_on: date) -> Milestone:
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    _require_office_or_unit(by, directive)
    _require_open(directive)
    if due_on > directive.deadline:
        raise ValidationError(
            {"due_on": _("节点时限不能晚于事项的办理时限（%(d)s）。") % {"d": directive.deadline}}
        )
    order = (directive.milestones.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    milestone = Milestone(directive=directive, order=order, title=title, due_on=due_on)
    milestone.full_clean()
    milestone.save()
    _record(
        directive, EventKind.MILESTONE, by=by, note=_("新增节点：%(t)s（%(d)s）") % {"t": title, "d": due_on}
    )
    recompute_lights(Directive.objects.filter(pk=directive.pk))
    return milestone


def _set_milestone_state(milestone: Milestone, state: str, today: date) -> tuple[str, str] | None:
    if state not in MilestoneState.values:
        raise ValidationError(_("节点状态“%(s)s”无效。") % {"s": state})
    if milestone.state == state:
        return None
    before = milestone.state
    milestone.state = state
    milestone.done_on = today if state == MilestoneState.DONE else None
    milestone.full_clean()
    milestone.save()
    return before, state


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by, state: str | None = None, due_on: date | None = None
) -> Milestone:
    directive = milestone.directive
    _require_office_or_unit(by, directive)
    _require_open(directive)
    notes = []
    if due_on is not None and due_on != milestone.due_on:
        if not is_office(by):
            # Moving a date is the office's call; the unit asks through an extension.
            raise PermissionDenied
        notes.append(
            _("节点“%(t)s”时限由 %(a)s 调整为 %(b)s")
            % {"t": milestone.title, "a": milestone.due_on, "b": due_on}
        )
        milestone.due_on = due_on
        milestone.full_clean()
        milestone.save()
    if state is not None:
        change = _set_milestone_state(milestone, state, timezone.localdate())
        if change:
            notes.append(
                _("节点“%(t)s”：%(a)s → %(b)s")
                % {
                    "t": milestone.title,
                    "a": MilestoneState(change[0]).label,
                    "b": MilestoneState(change[1]).label,
                }
            )
    if notes:
        _record(directive, EventKind.MILESTONE, by=by, note="；".join(notes))
        recompute_lights(Directive.objects.filter(pk=directive.pk))
    return milestone


@transaction.atomic
def progress_report_add(
    *,
    directive: Directive,
    by,
    text: str,
    percent: int,
    milestone_states: dict[int, str] | None = None,
    files: Iterable = (),
) -> ProgressReport:
    """The lead unit reports progress: text, percent, milestone changes and evidence files."""
    # The state as stored now, not as the caller last read it.
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if not acts_as(by, Actor.UNIT, directive):
        raise PermissionDenied
    if directive.state not in (State.ASSIGNED, State.IN_PROGRESS):
        raise TransitionNotAllowed(
            _("事项当前状态为“%(state)s”，不能报送进展。") % {"state": directive.get_state_display()}
        )
    files = list(files)
    for upload in files:
        check_upload(upload, allowed=EVIDENCE)
    if directive.state == State.ASSIGNED:
        # Reporting progress on an assigned directive is taking it up.
        directive = directive_start(directive=directive, by=by, note=_("报送进展时自动签收。"))
    today = timezone.localdate()
    changes = []
    milestones = {m.pk: m for m in directive.milestones.all()}
    for milestone_id, state in (milestone_states or {}).items():
        milestone = milestones.get(int(milestone_id))
        if milestone is None:
            raise ValidationError(_("节点 %(id)s 不属于该事项。") % {"id": milestone_id})
        change = _set_milestone_state(milestone, state, today)
        if change:
            changes.append(
                {"milestone": milestone.pk, "title": milestone.title, "from": change[0], "to": change[1]}
            )
    report = ProgressReport(
        directive=directive, text=text, percent=percent, milestone_changes=changes, author=by
    )
    report.full_clean()
    report.save()
    # Files sent with the report that completes one milestone are that milestone's evidence.
    completed = [c["milestone"] for c in changes if c["to"] == MilestoneState.DONE]
    milestone = milestones[completed[0]] if len(completed) == 1 else None
    for upload in files:
        Evidence.objects.create(
            directive=directive,
            report=report,
            milestone=milestone,
            file=upload,
            name=str(upload.name)[:200],
            uploaded_by=by,
        )
    # The percent on the directive is a cache of the latest report.
    Directive.objects.filter(pk=directive.pk).update(percent=percent)
    _record(directive, EventKind.PROGRESS, by=by, note=f"{percent}%：{text[:200]}")
    recompute_lights(Directive.objects.filter(pk=directive.pk))
    return report


# --- comments ------------------------------------------------------------------------------------


@transaction.atomic
def comment_add(*, directive: Directive, by, text: str) -> Comment:
    """A leader's written instruction (批示) on a directive in their reach (or the office's note)."""
    if not ((by.role == Role.LEADER or is_office(by)) and can_see(by, directive)):
        raise PermissionDenied
    comment = Comment(directive=directive, kind=CommentKind.INSTRUCTION, text=text, author=by)
    comment.full_clean()
    comment.save()
    _record(directive, EventKind.COMMENT, by=by, note=text)
    unit_ids = [directive.lead_unit_id, *directive.co_units.values_list("pk", flat=True)]
    _notify(
        recipients=unit_liaisons(unit_ids),
        kind="comment",
        title=_("领导批示：%(title)s") % {"title": directive.title},
        body=text,
        url=_directive_url(directive),
        sender=by,
    )
    return comment


@transaction.atomic
def comment_reply(*, comment: Comment, by, text: str) -> Comment:
    """A unit answers a comment; any liaison who sees the directive (lead or co-unit) may answer."""
    directive = comment.directive
    if not (by.role == Role.LIAISON and can_see(by, directive)):
        raise PermissionDenied
    reply = Comment(directive=directive, kind=CommentKind.REPLY, reply_to=comment, text=text, author=by)
    reply.full_clean()
    reply.save()
    _record(directive, EventKind.REPLY, by=by, note=text)
    _notify(
        recipients=[comment.author],
        kind="comment",
        title=_("单位回复：%(title)s") % {"title": directive.title},
        body=text,
        url=_directive_url(directive),
        sender=by,
    )
    return reply


# --- reminders and supervision notices -----------------------------------------------------------


@transaction.atomic
def reminder_send(*, unit: Unit, directives: Iterable[Directive], by, message: str = "") -> Reminder:
    """The office reminds (催办) a unit about directives it leads or co-operates on."""
    if not is_office(by):
        raise PermissionDenied
    directives = list(directives)
    if not directives:
        raise ValidationError(_("请至少选择一项督办事项。"))
    ids = [d.pk for d in directives]
    involved = set(
        Directive.objects.filter(pk__in=ids)
        .filter(Q(lead_unit=unit) | Q(co_units=unit))
        .values_list("pk", flat=True)
    )
    strangers = [d.title for d in directives if d.pk not in involved]
    if strangers:
        raise ValidationError(
            _("%(unit)s 不是以下事项的牵头或配合单位：%(titles)s")
            % {"unit": unit, "titles": "、".join(strangers)}
        )
    closed = [d.title for d in directives if d.state not in ACTIVE_STATES]
    if closed:
        raise ValidationError(_("以下事项不在办理中，无需催办：%(titles)s") % {"titles": "、".join(closed)})
    reminder = Reminder.objects.create(unit=unit, message=message, sent_by=by)
    reminder.directives.set(directives)
    note = _("催办%(unit)s：%(message)s") % {"unit": unit, "message": message}
    TimelineEvent.objects.bulk_create(
        [TimelineEvent(directive_id=pk, kind=EventKind.REMINDER, actor=by, note=note) for pk in ids]
    )
    titles = "；".join(d.title for d in directives[:10])
    _notify(
        recipients=unit_liaisons([unit.pk]),
        kind="reminder",
        title=_("督查室催办 %(n)d 项督办事项") % {"n": len(directives)},
        body=f"{message}\n{titles}".strip(),
        url=reverse("directives:my_work"),
        sender=by,
    )
    return reminder


def next_notice_sequence(year: int) -> int:
    last = (
        SupervisionNotice.objects.filter(year=year).order_by("-sequence").values_list("sequence", flat=True)
    )
    return (last.first() or 0) + 1


def notice_issue(
    *, directive: Directive, by, reply_by: date | None = None, matters: str = "", unit: Unit | None = None
) -> SupervisionNotice:
    """A numbered supervision notice (督办通知单) for a red directive, as a Word file kept with it."""
    from .notices import notice_docx

    if not is_office(by):
        raise PermissionDenied
    if directive.light != Light.RED or directive.state not in ACTIVE_STATES:
        raise TransitionNotAllowed(_("只有亮红灯且正在办理的事项才能发督办通知单。"))
    today = timezone.localdate()
    unit = unit or directive.lead_unit
    reply_by = reply_by or add_working_days(today, 5)
    matters = (matters or "").strip() or _("“%(title)s”已超过办理时限或节点逾期，请抓紧办理。") % {
        "title": directive.title
    }
    for _attempt in range(3):
        try:
            with transaction.atomic():
                notice = SupervisionNotice(
                    directive=directive,
                    unit=unit,
                    year=today.year,
                    sequence=next_notice_sequence(today.year),
                    matters=matters,
                    reply_by=reply_by,
                    issued_on=today,
                    issued_by=by,
                )
                notice.full_clean(exclude=["file"])
                notice.save()
                content = notice_docx(notice)
                notice.file.save(
                    f"督办通知单{notice.year}-{notice.sequence}.docx", ContentFile(content), save=True
                )
                _record(
                    directive, EventKind.NOTICE, by=by, note=_("印发督办通知单%(n)s") % {"n": notice.number}
                )
                _notify(
                    recipients=unit_liaisons([unit.pk]),
                    kind="reminder",
                    title=_("督办通知单%(n)s：%(title)s") % {"n": notice.number, "title": directive.title},
                    body=matters,
                    url=_directive_url(directive),
                    sender=by,
                )
                return notice
        except IntegrityError:
            # Someone took the same number at the same moment: take the next one.
            continue
    raise TransitionNotAllowed(_("通知单编号冲突，请重试。"))


# --- lights --------------------------------------------------------------------------------------


def light_cutoffs(today: date | None = None) -> lights.Cutoffs:
    thresholds = WarningThresholds.current()
    calendar = working_calendar()
    return lights.cutoffs(
        today or timezone.localdate(),
        yellow_days=thresholds.yellow_days,
        red_milestone_days=thresholds.red_milestone_days,
        is_working_day=calendar.is_working_day,
    )


def recompute_lights(
    queryset: QuerySet[Directive] | None = None, *, today: date | None = None, notify_changes: bool = False
) -> dict[str, int]:
    """Set every directive's light with a handful of set-based UPDATEs (no loop over rows).

    Returns how many rows changed to each light. With notify_changes, the lead units of directives
    that just turned red or yellow are told (one message per unit).
    """
    base = queryset if queryset is not None else Directive.objects.all()
    cut = light_cutoffs(today)
    open_milestones = Milestone.objects.exclude(state=MilestoneState.DONE)
    # "pk IN (subquery)" rather than EXISTS: PostgreSQL hashes the late milestones once instead of
    # probing them row by row inside an OR.
    late_red = open_milestones.filter(due_on__lt=cut.milestone_red_before).values("directive_id")
    late = open_milestones.filter(due_on__lt=cut.milestone_late_before).values("directive_id")
    red = Q(deadline__lt=cut.overdue_before) | Q(pk__in=late_red)
    yellow = Q(deadline__lte=cut.due_soon_until) | Q(pk__in=late)
    if connection.vendor == "postgresql" and not connection.get_autocommit():
        with connection.cursor() as cursor:
            # Compiling these few statements costs more than running them.
            cursor.execute("SET LOCAL jit = off")
    active = base.filter(state__in=ACTIVE_STATES)
    targets = {
        Light.GREY: base.exclude(state__in=ACTIVE_STATES),
        Light.RED: active.filter(red),
        Light.YELLOW: active.exclude(red).filter(yellow),
        Light.GREEN: active.exclude(red).exclude(yellow),
    }
    if notify_changes:
        for light, kind in ((Light.RED, "overdue"), (Light.YELLOW, "nearing_deadline")):
            per_unit = (
                targets[light].exclude(light=light).values("lead_unit").annotate(n=Count("pk")).order_by()
            )
            for row in per_unit:
                _notify_light(row["lead_unit"], row["n"], light, kind)
    changed = {}
    # Only rows whose light actually changes are written.
    for light, rows in targets.items():
        changed[str(light)] = rows.exclude(light=light).update(light=light)
    return changed


def _notify_light(unit_id: int, count: int, light: str, kind: str) -> None:
    if light == Light.RED:
        title = _("%(n)d 项督办事项已逾期（红灯）") % {"n": count}
    else:
        title = _("%(n)d 项督办事项临近办理时限（黄灯）") % {"n": count}
    _notify(
        recipients=unit_liaisons([unit_id]),
        kind=kind,
        title=title,
        url=reverse("directives:my_work") + f"?light={light}",
    )


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


ANALYZE_AFTER_CHANGES = 1000


# --- the ledger (台账) in Excel ------------------------------------------------------------------

LEDGER_COLUMNS = {
    "事项名称": "title",
    "具体内容": "content",
    "工作主题": "theme",
    "责任领导": "leader",
    "牵头单位": "lead_unit",
    "配合单位": "co_units",
    "办理时限": "deadline",
    "优先级": "priority",
    "来源": "source",
    "会议": "meeting",
    "来源说明": "source_note",
}
EXPORT_HEADERS = ["编号", *LEDGER_COLUMNS, "状态", "亮灯", "完成进度（%）"]


def directives_to_excel(directives: QuerySet[Directive]) -> bytes:
    rows = (
        (
            d.pk,
            d.title,
            d.content,
            d.theme.name,
            d.responsible_leader.name if d.responsible_leader_id else "",
            d.lead_unit.name,
            "、".join(u.name for u in d.co_units.all()),
            d.deadline,
            str(d.get_priority_display()),
            str(d.get_source_display()),
            d.meeting.title if d.meeting_id else "",
            d.source_note,
            str(d.get_state_display()),
            str(d.get_light_display()),
            d.percent,
        )
        for d in directives.select_related("theme", "responsible_leader", "lead_unit", "meeting")
        .prefetch_related("co_units")
        .iterator(chunk_size=2000)
    )
    return write_workbook(title=_("督办事项台账"), headers=EXPORT_HEADERS, rows=rows)


_DATE_PATTERNS = [r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"]


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in _DATE_PATTERNS:
        match = re.match(pattern, text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def _by_label(choices, value, default=None):
    text = str(value or "").strip()
    if not text:
        return default
    for code, label in choices:
        if text in (str(code), str(label)):
            return code
    return None


def directives_import_excel(*, upload, by, assign: bool = True) -> dict[str, int]:
    """Create directives from the office's ledger sheet: all or nothing, every bad row reported."""
    if not is_office(by):
        raise PermissionDenied
    rows = read_sheet(upload, columns=LEDGER_COLUMNS, required=("title", "theme", "lead_unit", "deadline"))
    errors = RowErrors()
    if not rows:
        errors.add(1, _("表中没有数据行。"))
    units = list(Unit.objects.filter(is_active=True))
    themes = {}
    for theme in Theme.objects.filter(is_active=True):
        themes[theme.name] = themes[theme.code] = theme
    leaders: dict[str, list[Leader]] = {}
    for leader in Leader.objects.filter(is_active=True):
        leaders.setdefault(leader.name, []).append(leader)
    meetings: dict[str, list[Meeting]] = {}
    for meeting in Meeting.objects.all():
        meetings.setdefault(meeting.title, []).append(meeting)
    parsed = []
    for row in rows:
        v = row.values
        item = {
            "row": row.number,
            "title": str(v.get("title") or "").strip(),
            "content": str(v.get("content") or ""),
        }
        if not item["title"]:
            errors.add(row.number, _("事项名称不能为空。"))
        elif len(item["title"]) > 200:
            errors.add(row.number, _("事项名称不能超过 200 个字。"))
        item["theme"] = themes.get(str(v.get("theme") or "").strip())
        if item["theme"] is None:
            errors.add(row.number, _("工作主题“%(t)s”不存在。") % {"t": v.get("theme") or ""})
        leader_name = str(v.get("leader") or "").strip()
        item["responsible_leader"] = None
        if leader_name:
            found = leaders.get(leader_name, [])
            if len(found) != 1:
                errors.add(row.number, _("责任领导“%(n)s”不存在或重名。") % {"n": leader_name})
            else:
                item["responsible_leader"] = found[0]
        item["lead_unit"] = resolve_unit(str(v.get("lead_unit") or ""), units=units)
        if item["lead_unit"] is None:
            errors.add(row.number, _("牵头单位“%(n)s”无法识别。") % {"n": v.get("lead_unit") or ""})
        item["co_units"] = []
        for name in re.split(r"[、,，;；\s]+", str(v.get("co_units") or "")):
            if not name:
                continue
            unit = resolve_unit(name, units=units)
            if unit is None:
                errors.add(row.number, _("配合单位“%(n)s”无法识别。") % {"n": name})
            else:
                item["co_units"].append(unit)
        item["deadline"] = parse_date(v.get("deadline"))
        if item["deadline"] is None:
            errors.add(
                row.number,
                _("办理时限“%(d)s”不是有效日期（如 2026-06-30）。") % {"d": v.get("deadline") or ""},
            )
        item["priority"] = _by_label(Priority.choices, v.get("priority"), Priority.NORMAL)
        if item["priority"] is None:
            errors.add(row.number, _("优先级“%(p)s”无效。") % {"p": v.get("priority")})
        meeting_title = str(v.get("meeting") or "").strip()
        item["meeting"] = None
        if meeting_title:
            found = meetings.get(meeting_title, [])
            if len(found) != 1:
                errors.add(row.number, _("会议“%(m)s”不存在或重名。") % {"m": meeting_title})
            else:
                item["meeting"] = found[0]
        default_source = Source.MEETING if meeting_title else Source.KEY_WORK
        item["source"] = _by_label(Source.choices, v.get("source"), default_source)
        if item["source"] is None:
            errors.add(row.number, _("来源“%(s)s”无效。") % {"s": v.get("source")})
        elif item["source"] == Source.MEETING and not meeting_title:
            errors.add(row.number, _("来源为会议议定时，请填写会议名称。"))
        item["source_note"] = str(v.get("source_note") or "")[:200]
        parsed.append(item)
    if errors:
        raise ImportRejected(errors)
    created = 0
    with transaction.atomic(), audit_context(channel=Channel.IMPORT, actor=by):
        for item in parsed:
            row_number = item.pop("row")
            try:
                directive_create(by=by, assign=assign, **item)
            except ValidationError as error:
                errors.add(row_number, "；".join(error.messages))
                continue
            created += 1
        if errors:
            raise ImportRejected(errors)
    return {"created": created}


# --- meetings ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, by, leaders: Iterable[Leader] = (), units: Iterable[Unit] = (), **fields) -> Meeting:
    """The office records a meeting whose decisions become directives."""
    if not is_office(by):
        raise PermissionDenied
    meeting = Meeting(**fields)
    meeting.full_clean()
    meeting.save()
    meeting.leaders.set(leaders)
    meeting.units.set(units)
    return meeting
