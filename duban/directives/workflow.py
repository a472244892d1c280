"""The life cycle of a directive as one explicit table: which transition, from which states, to which
state, by which role. The services in services.py carry the transitions out; pages, the API and the
command line ask this table which buttons to offer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import EventKind, State


class Actor(StrEnum):
    OFFICE = "office"  # the supervision office (督查室) and administrators
    UNIT = "unit"  # a liaison of the lead unit (or of a unit above it)


class Guard(StrEnum):
    NONE = ""
    NO_EXTENSION_PENDING = "no_extension_pending"
    EXTENSION_PENDING = "extension_pending"


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    actor: Actor
    event: str
    needs_reason: bool = False
    guard: Guard = Guard.NONE


_WORKING = frozenset({State.ASSIGNED, State.IN_PROGRESS})
_OPEN = frozenset({State.ASSIGNED, State.IN_PROGRESS, State.COMPLETION_REQUESTED})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "assign", _("交办"), frozenset({State.DRAFT}), State.ASSIGNED, Actor.OFFICE, EventKind.ASSIGNED
        ),
        Transition(
            "start",
            _("签收办理"),
            frozenset({State.ASSIGNED}),
            State.IN_PROGRESS,
            Actor.UNIT,
            EventKind.STARTED,
        ),
        Transition(
            "request_completion",
            _("申请办结"),
            _WORKING,
            State.COMPLETION_REQUESTED,
            Actor.UNIT,
            EventKind.COMPLETION_REQUESTED,
            needs_reason=True,
        ),
        Transition(
            "close",
            _("同意办结"),
            frozenset({State.COMPLETION_REQUESTED}),
            State.CLOSED,
            Actor.OFFICE,
            EventKind.CLOSED,
        ),
        # A meeting or a leader can decide that a matter is done (or overtaken) before the unit asks:
        # the office records that decision, with its reason, as the closure.
        Transition(
            "close_by_decision",
            _("决定办结"),
            _WORKING,
            State.CLOSED,
            Actor.OFFICE,
            EventKind.CLOSED,
            needs_reason=True,
        ),
        Transition(
            "return",
            _("退回"),
            frozenset({State.COMPLETION_REQUESTED}),
            State.IN_PROGRESS,
            Actor.OFFICE,
            EventKind.RETURNED,
            needs_reason=True,
        ),
        Transition(
            "request_extension",
            _("申请延期"),
            _WORKING,
            None,
            Actor.UNIT,
            EventKind.EXTENSION_REQUESTED,
            needs_reason=True,
            guard=Guard.NO_EXTENSION_PENDING,
        ),
        Transition(
            "approve_extension",
            _("同意延期"),
            _OPEN,
            None,
            Actor.OFFICE,
            EventKind.EXTENSION_APPROVED,
            guard=Guard.EXTENSION_PENDING,
        ),
        Transition(
            "refuse_extension",
            _("不同意延期"),
            _OPEN,
            None,
            Actor.OFFICE,
            EventKind.EXTENSION_REFUSED,
            needs_reason=True,
            guard=Guard.EXTENSION_PENDING,
        ),
        Transition(
            "suspend", _("暂停"), _OPEN, State.SUSPENDED, Actor.OFFICE, EventKind.SUSPENDED, needs_reason=True
        ),
        Transition(
            "resume",
            _("恢复办理"),
            frozenset({State.SUSPENDED}),
            State.IN_PROGRESS,
            Actor.OFFICE,
            EventKind.RESUMED,
        ),
        Transition(
            "cancel",
            _("撤销"),
            frozenset({State.DRAFT, *_OPEN, State.SUSPENDED}),
            State.CANCELLED,
            Actor.OFFICE,
            EventKind.CANCELLED,
            needs_reason=True,
        ),
    ]
}
