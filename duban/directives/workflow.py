"""The life cycle of a directive as one explicit table (`core.workflow`): which transition, from which
states, to which state, by whom, under which guard, writing which timeline event. The services in
`services/transitions.py` carry the transitions out; pages, the API and the command line ask this
table which buttons to offer."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.workflow import (
    HEAD,
    OFFICE,
    UNIT,
    Guard,
    Transition,
    Workflow,
    head_approval_guards,
    office_unit_or_head,
)

from .models import EventKind, State, TimelineEvent

WORKING = frozenset({State.ASSIGNED, State.IN_PROGRESS})
OPEN = frozenset({*WORKING, State.HEAD_REVIEW, State.COMPLETION_REQUESTED})


# The office, the lead unit's liaisons, and the lead unit's head where it asks for his approval.
actors_for = office_unit_or_head(lambda directive: directive.lead_unit)


def _extension_pending(directive, **_inputs) -> str | None:
    return None if directive.extension_pending else _("该事项没有待审批的延期申请。")


def _no_extension_pending(directive, **_inputs) -> str | None:
    if directive.extension_pending:
        return _("该事项已有待审批的延期申请，请等待督查室审批。")
    return None


def closing_by_decision(directive) -> str:
    """What closing this directive by decision does, said before the office confirms it."""
    asked = directive.state == State.COMPLETION_REQUESTED
    facts = _("当前进度 %(percent)s%%，%(light)s，办理时限 %(deadline)s") % {
        "percent": directive.percent,
        "light": directive.get_light_display(),
        "deadline": directive.deadline,
    }
    if asked:
        return _(
            "牵头单位已申请办结（%(facts)s）。确认后事项即办结，决定记为办结理由，"
            "并通知牵头单位和责任领导；督查室可凭理由重新打开。"
        ) % {"facts": facts}
    return _(
        "牵头单位尚未申请办结（%(facts)s）。确认后事项不经单位申请即办结，决定记为办结理由，"
        "并通知牵头单位和责任领导；督查室可凭理由重新打开。"
    ) % {"facts": facts}


def _confirmed(directive, *, confirmed=False, **_inputs) -> str | None:
    if confirmed:
        return None
    return _("请确认按决定办结：%(what)s") % {"what": closing_by_decision(directive)}


EXTENSION_PENDING = Guard("extension_pending", _extension_pending)
TO_THE_OFFICE, TO_THE_HEAD = head_approval_guards(
    lambda directive: directive.lead_unit, what=gettext_lazy("办结申请"), direct_step=gettext_lazy("申请办结")
)
# Closing by decision skips the unit's request: it is done only once the office has read what it does.
CONFIRMED = Guard("confirmed", _confirmed, on_buttons=False)
NO_EXTENSION_PENDING = Guard("no_extension_pending", _no_extension_pending)


def record_event(directive, transition: Transition, *, by, note: str, from_state: str, **_data):
    """The transition's entry on the directive's timeline."""
    return TimelineEvent.objects.create(
        directive=directive,
        kind=transition.event_kind,
        actor=by,
        note=note,
        from_state=from_state,
        to_state=directive.state,
    )


def _t(name, label, sources, target, actor, event, **options) -> Transition:
    return Transition(name, label, sources, target, actors={actor}, event=event, **options)


WORKFLOW = Workflow(
    transitions=[
        _t("assign", gettext_lazy("交办"), {State.DRAFT}, State.ASSIGNED, OFFICE, EventKind.ASSIGNED),
        _t("start", gettext_lazy("签收办理"), {State.ASSIGNED}, State.IN_PROGRESS, UNIT, EventKind.STARTED),
        _t(
            "request_completion",
            gettext_lazy("申请办结"),
            WORKING,
            State.COMPLETION_REQUESTED,
            UNIT,
            EventKind.COMPLETION_REQUESTED,
            needs_reason=True,
            guards=(TO_THE_OFFICE,),
        ),
        # 单位领导审核 (where the lead unit asks for it): the liaison's request to close goes to the
        # unit's head, who passes it to the office or sends it back with his reason.
        _t(
            "submit_for_approval",
            gettext_lazy("提交单位领导审核"),
            WORKING,
            State.HEAD_REVIEW,
            UNIT,
            EventKind.SUBMITTED_FOR_APPROVAL,
            needs_reason=True,
            guards=(TO_THE_HEAD,),
        ),
        _t(
            "approve",
            gettext_lazy("审核通过，申请办结"),
            {State.HEAD_REVIEW},
            State.COMPLETION_REQUESTED,
            HEAD,
            EventKind.HEAD_APPROVED,
        ),
        _t(
            "send_back",
            gettext_lazy("退回"),
            {State.HEAD_REVIEW},
            State.IN_PROGRESS,
            HEAD,
            EventKind.HEAD_SENT_BACK,
            needs_reason=True,
        ),
        _t(
            "close",
            gettext_lazy("同意办结"),
            {State.COMPLETION_REQUESTED},
            State.CLOSED,
            OFFICE,
            EventKind.CLOSED,
        ),
        # A meeting or a leader can decide that a matter is done (or overtaken) before the unit asks:
        # the office records that decision, with its reason, as the closure.
        _t(
            "close_by_decision",
            gettext_lazy("决定办结"),
            {*WORKING, State.HEAD_REVIEW},
            State.CLOSED,
            OFFICE,
            EventKind.CLOSED,
            needs_reason=True,
            guards=(CONFIRMED,),
            inputs=("confirmed",),
        ),
        # A directive closed by mistake, or by a decision taken back, is reopened by the office with
        # its reason; the unit works on it again.
        _t(
            "reopen",
            gettext_lazy("重新打开"),
            {State.CLOSED},
            State.IN_PROGRESS,
            OFFICE,
            EventKind.REOPENED,
            needs_reason=True,
        ),
        _t(
            "return",
            gettext_lazy("退回"),
            {State.COMPLETION_REQUESTED},
            State.IN_PROGRESS,
            OFFICE,
            EventKind.RETURNED,
            needs_reason=True,
        ),
        _t(
            "request_extension",
            gettext_lazy("申请延期"),
            WORKING,
            None,
            UNIT,
            EventKind.EXTENSION_REQUESTED,
            needs_reason=True,
            guards=(NO_EXTENSION_PENDING,),
            inputs=("until",),
        ),
        _t(
            "approve_extension",
            gettext_lazy("同意延期"),
            OPEN,
            None,
            OFFICE,
            EventKind.EXTENSION_APPROVED,
            guards=(EXTENSION_PENDING,),
        ),
        _t(
            "refuse_extension",
            gettext_lazy("不同意延期"),
            OPEN,
            None,
            OFFICE,
            EventKind.EXTENSION_REFUSED,
            needs_reason=True,
            guards=(EXTENSION_PENDING,),
        ),
        _t(
            "suspend",
            gettext_lazy("暂停"),
            OPEN,
            State.SUSPENDED,
            OFFICE,
            EventKind.SUSPENDED,
            needs_reason=True,
        ),
        _t(
            "resume",
            gettext_lazy("恢复办理"),
            {State.SUSPENDED},
            State.IN_PROGRESS,
            OFFICE,
            EventKind.RESUMED,
        ),
        _t(
            "cancel",
            gettext_lazy("撤销"),
            {State.DRAFT, *OPEN, State.SUSPENDED},
            State.CANCELLED,
            OFFICE,
            EventKind.CANCELLED,
            needs_reason=True,
        ),
    ],
    actors=actors_for,
    actor_labels={
        OFFICE: gettext_lazy("督查室"),
        UNIT: gettext_lazy("牵头单位联络员"),
        HEAD: gettext_lazy("牵头单位领导"),
    },
    record=record_event,
)
