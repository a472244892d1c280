"""The life cycle: one service per transition of `workflow.WORKFLOW`, each locking the row, checking the
table, doing what is particular to it and moving (state, version, timeline event) in one transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.selectors import unit_heads
from duban.core.errors import Invalid

from ..models import Directive, State
from ..workflow import WORKFLOW
from .common import directive_url, leader_user, locked, notify_about, notify_users, relight


def _move(current: Directive, name: str, *, by, note: str = "", **changes) -> Directive:
    """Apply what the step changes besides the state, move, and relight."""
    for field, value in changes.items():
        setattr(current, field, value)
    WORKFLOW.move(current, name, by=by, note=note)
    return relight(current)


def _step(
    directive: Directive, name: str, *, by, note: str = "", expected_version=None, inputs=None, **changes
) -> Directive:
    """The whole of a step that changes nothing but what the table says (and `changes`); `inputs`
    are what the step's guards read (e.g. the office's confirmation)."""
    current = locked(directive, expected_version)
    WORKFLOW.check(by, current, name, note=note or "", **(inputs or {}))
    return _move(current, name, by=by, note=note, **changes)


def _plain_step(name: str, doc: str):
    """The service of a step that changes nothing but what the table says (state, event, light)."""

    @transaction.atomic
    def service(
        *, directive: Directive, by, note: str = "", expected_version: int | None = None
    ) -> Directive:
        return _step(directive, name, by=by, note=note, expected_version=expected_version)

    service.__name__ = service.__qualname__ = f"directive_{name}"
    service.__doc__ = doc
    return service


directive_start = _plain_step("start", "The lead unit takes an assigned directive up (签收).")
directive_request_completion = _plain_step(
    "request_completion", "The lead unit asks to close the directive, saying in `note` what was done."
)
directive_suspend = _plain_step("suspend", "The office suspends an open directive, giving the reason.")


@transaction.atomic
def directive_submit_for_approval(
    *, directive: Directive, by, note: str = "", expected_version: int | None = None
) -> Directive:
    """单位领导审核: the lead unit's liaison sends the request to close (saying in `note` what was done)
    to the unit's head first; the head is told."""
    directive = _step(directive, "submit_for_approval", by=by, note=note, expected_version=expected_version)
    notify_users(
        recipients=unit_heads([directive.lead_unit_id]),
        kind="approval",
        title=_("办结申请待您审核：%(title)s") % {"title": directive.title},
        body=note,
        url=directive_url(directive),
        sender=by,
    )
    return directive


directive_approve = _plain_step(
    "approve", "The lead unit's head passes the request to close on to the office (单位领导审核)."
)


@transaction.atomic
def directive_send_back(*, directive: Directive, by, note: str, expected_version: int | None = None):
    """The lead unit's head sends the request to close back to the liaisons, giving the reason."""
    directive = _step(directive, "send_back", by=by, note=note, expected_version=expected_version)
    title = _("办结申请被单位领导退回：%(title)s")
    notify_about(directive, kind="returned", title=title, units=[directive.lead_unit_id], body=note, by=by)
    return directive


directive_resume = _plain_step("resume", "The office resumes a suspended directive.")
directive_cancel = _plain_step("cancel", "The office cancels a directive, giving the reason.")


@transaction.atomic
def directive_assign(*, directive: Directive, by, note: str = "", expected_version: int | None = None):
    directive = _step(directive, "assign", by=by, note=note, expected_version=expected_version)
    message = {
        "kind": "assigned",
        "title": _("新交办督办事项：%(title)s"),
        "body": _("办理时限：%(deadline)s") % {"deadline": directive.deadline},
        "by": by,
    }
    # The units are asked to act; the responsible leader is told (his daily digest, by default).
    notify_about(
        directive, units=[directive.lead_unit_id, *directive.co_units.values_list("pk", flat=True)], **message
    )
    notify_about(directive, users=[leader_user(directive)], informational=True, **message)
    return directive


def _close(
    directive: Directive,
    name: str,
    *,
    by,
    note: str,
    expected_version,
    title: str,
    body: str = "",
    inputs=None,
    **changes,
) -> Directive:
    """Close the directive by the step `name` (now); the lead unit and the responsible leader are told."""
    directive = _step(
        directive,
        name,
        by=by,
        note=note,
        expected_version=expected_version,
        inputs=inputs,
        closed_at=timezone.now(),
        **changes,
    )
    units, users = [directive.lead_unit_id], [leader_user(directive)]
    notify_about(directive, kind="closed", title=title, units=units, users=users, body=body, by=by)
    return directive


@transaction.atomic
def directive_close(*, directive: Directive, by, note: str = "", expected_version: int | None = None):
    """The office agrees to the lead unit's request to close."""
    title = _("督办事项已办结：%(title)s")
    return _close(
        directive, "close", by=by, note=note, expected_version=expected_version, title=title, percent=100
    )


@transaction.atomic
def directive_close_by_decision(
    *, directive: Directive, by, note: str, confirmed: bool = False, expected_version: int | None = None
):
    """The office closes an open directive on a meeting's or leader's decision, naming it in `note`
    (the reason on the timeline). Refused until `confirmed`: the office has been told what it does
    (`workflow.closing_by_decision`)."""
    title = _("督办事项已决定办结：%(title)s")
    return _close(
        directive,
        "close_by_decision",
        by=by,
        note=note,
        expected_version=expected_version,
        title=title,
        body=note,
        inputs={"confirmed": confirmed},
    )


@transaction.atomic
def directive_reopen(*, directive: Directive, by, note: str, expected_version: int | None = None):
    """The office reopens a closed directive, giving the reason: the unit works on it again, at the
    progress it last reported (a closure the office agreed to had set it to 100 %)."""
    last = directive.progress_reports.order_by("-created_at", "-id").values_list("percent", flat=True).first()
    directive = _step(
        directive,
        "reopen",
        by=by,
        note=note,
        expected_version=expected_version,
        closed_at=None,
        percent=directive.percent if last is None else last,
    )
    notify_about(
        directive,
        kind="reopened",
        title=_("督办事项已重新打开：%(title)s"),
        units=[directive.lead_unit_id],
        users=[leader_user(directive)],
        body=note,
        by=by,
    )
    return directive


@transaction.atomic
def directive_finish(*, directive: Directive, by, note: str) -> Directive:
    """Close an open directive on behalf of the work it carries (a rectification task accepted), by
    whichever steps its state allows: agree to the requested completion, or (resuming a suspended
    one first) close it by decision. A directive not open is left as it is."""
    current = locked(directive)
    if current.state == State.COMPLETION_REQUESTED:
        return directive_close(directive=current, by=by, note=note)
    if current.state == State.SUSPENDED:
        current = directive_resume(directive=current, by=by)
    if current.state in (State.ASSIGNED, State.IN_PROGRESS, State.HEAD_REVIEW):
        # The work it carries is accepted: that acceptance is the confirmation.
        return directive_close_by_decision(directive=current, by=by, note=note, confirmed=True)
    return current


@transaction.atomic
def directive_return(*, directive: Directive, by, note: str, expected_version: int | None = None):
    directive = _step(directive, "return", by=by, note=note, expected_version=expected_version)
    title = _("办结申请被退回：%(title)s")
    notify_about(directive, kind="returned", title=title, units=[directive.lead_unit_id], body=note, by=by)
    return directive


@transaction.atomic
def directive_request_extension(
    *, directive: Directive, by, until: date | None, note: str, expected_version: int | None = None
) -> Directive:
    current = locked(directive, expected_version)
    reason = (note or "").strip()
    # The table first, so a wrong role hears about the role, not the date.
    WORKFLOW.check(by, current, "request_extension", note=reason)
    if until is None or until <= current.deadline:
        message = _("延期后的时限必须晚于当前办理时限（%(d)s）。") % {"d": current.deadline}
        raise Invalid(message, fields={"until": [message]})
    note_text = _("申请延期至 %(until)s。理由：%(reason)s") % {"until": until, "reason": reason}
    return _move(
        current, "request_extension", by=by, note=note_text, extension_until=until, extension_reason=reason
    )


def _extension_decided(current: Directive, name: str, *, by, note: str, **changes) -> Directive:
    """Decide the pending request for more time, either way: the request is cleared and the lead unit told."""
    directive = _move(current, name, by=by, note=note, extension_until=None, extension_reason="", **changes)
    approved = name == "approve_extension"
    title = _("延期申请已同意：%(title)s") if approved else _("延期申请未获同意：%(title)s")
    units = [directive.lead_unit_id]
    notify_about(directive, kind="extension_decided", title=title, units=units, body=note, by=by)
    return directive


@transaction.atomic
def directive_approve_extension(
    *, directive: Directive, by, note: str = "", expected_version: int | None = None
) -> Directive:
    current = locked(directive, expected_version)
    WORKFLOW.check(by, current, "approve_extension", note=note or "")
    until = current.extension_until
    note = (_("办理时限由 %(old)s 延至 %(new)s。") % {"old": current.deadline, "new": until}) + (note or "")
    return _extension_decided(current, "approve_extension", by=by, note=note, deadline=until)


@transaction.atomic
def directive_refuse_extension(
    *, directive: Directive, by, note: str, expected_version: int | None = None
) -> Directive:
    current = locked(directive, expected_version)
    WORKFLOW.check(by, current, "refuse_extension", note=note or "")
    return _extension_decided(current, "refuse_extension", by=by, note=note)


TRANSITION_SERVICES = {
    "assign": directive_assign,
    "start": directive_start,
    "request_completion": directive_request_completion,
    "submit_for_approval": directive_submit_for_approval,
    "approve": directive_approve,
    "send_back": directive_send_back,
    "close": directive_close,
    "close_by_decision": directive_close_by_decision,
    "reopen": directive_reopen,
    "return": directive_return,
    "request_extension": directive_request_extension,
    "approve_extension": directive_approve_extension,
    "refuse_extension": directive_refuse_extension,
    "suspend": directive_suspend,
    "resume": directive_resume,
    "cancel": directive_cancel,
}


def directive_transition(
    *,
    directive: Directive,
    name: str,
    by,
    note: str = "",
    until: date | None = None,
    confirmed: bool = False,
    expected_version=None,
) -> Directive:
    """Dispatch by name (for pages and the API, which receive the transition's name)."""
    WORKFLOW.get(name)  # an unknown name is a 400
    kwargs = {"directive": directive, "by": by, "note": note, "expected_version": expected_version}
    if name == "request_extension":
        kwargs["until"] = until
    if name == "close_by_decision":
        kwargs["confirmed"] = confirmed
    return TRANSITION_SERVICES[name](**kwargs)


def allowed_transitions(user, directive: Directive):
    """The transitions this user may take on this directive now (the buttons)."""
    return WORKFLOW.available(user, directive)
