"""One shape for every life cycle: a table of transitions that says what can happen next and who may do it.

An app declares its table once (`directives/workflow.py`, `bonds/workflow.py`, …):

    WORKFLOW = Workflow(
        transitions=[Transition("submit", _("提交"), {S.DRAFT}, S.SUBMITTED, actors={UNIT}, event="submitted")],
        actors=actors_for,          # (user, obj) -> the capacities the user acts in on this object
        actor_labels={UNIT: _("本单位联络员")},
        record=record_event,        # (obj, transition, *, by, note, from_state, **data) -> the timeline row
    )

Pages ask `WORKFLOW.available(user, obj)` for the buttons; services call `WORKFLOW.check(...)` (which
refuses with the reason) and `WORKFLOW.move(...)` (which changes the state and writes the event).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from duban.accounts.roles import Role
from duban.accounts.scope import can_change, is_office

from .errors import Invalid, NotPermitted, TransitionRefused

OFFICE = "office"  # the supervision office (督查室) and administrators
UNIT = "unit"  # a liaison of the unit the object belongs to (or of a unit above it)
HEAD = "head"  # the head (单位领导) of the unit the object belongs to, where the unit asks for his approval


def is_unit_head_of(user, unit) -> bool:
    """The user is the head of this unit (单位领导), and the unit asks for its head's approval."""
    return bool(
        unit is not None
        and user.role == Role.LIAISON
        and user.is_unit_head
        and user.unit_id == unit.pk
        and unit.requires_head_approval
    )


def office_unit_or_head(unit_of: Callable):
    """The capacities of a life cycle with 单位领导审核: the office, the unit's liaisons, and the head of
    the unit the object belongs to (`unit_of(obj)`) where that unit asks for his approval."""

    def actors(user, obj) -> set[str]:
        found = office_or_unit(user, obj)
        if getattr(user, "is_unit_head", False) and is_unit_head_of(user, unit_of(obj)):
            found.add(HEAD)
        return found

    return actors


def head_approval_guards(unit_of: Callable, *, what, direct_step) -> tuple[Guard, Guard]:
    """The two guards of 单位领导审核 (where the unit `unit_of(obj)` asks for it): the step straight to
    the office is refused to its liaisons, who go through the head (`TO_THE_OFFICE`); the step to the
    head is refused where the unit does not ask for it, and to the head himself, who goes straight
    to the office (`TO_THE_HEAD`). `what` names the object (周报), `direct_step` the step to the office
    (提交周报)."""

    def to_the_office(obj, *, user=None, **_inputs) -> str | None:
        unit = unit_of(obj)
        if unit.requires_head_approval and not is_unit_head_of(user, unit):
            return _("本单位的%(what)s须经单位领导审核：请点击“提交单位领导审核”。") % {"what": what}
        return None

    def to_the_head(obj, *, user=None, **_inputs) -> str | None:
        unit = unit_of(obj)
        if not unit.requires_head_approval:
            return _("本单位未开启单位领导审核，请直接%(step)s。") % {"step": direct_step}
        if is_unit_head_of(user, unit):
            return _("您是本单位领导，可直接%(step)s。") % {"step": direct_step}
        return None

    return Guard("to_the_office", to_the_office), Guard("to_the_head", to_the_head)


def office_or_unit(user, obj) -> set[str]:
    """The capacities of most life cycles: the office, or a liaison who may change the object."""
    if is_office(user):
        return {OFFICE}
    if user.role == Role.LIAISON and can_change(user, obj):
        return {UNIT}
    return set()


@dataclass(frozen=True)
class Guard:
    """A condition on the object (and the submitted inputs): `test` returns the reason it refuses, or None.

    `on_buttons`: checked when listing the available transitions too (cheap, needs no input);
    otherwise only when the transition is carried out. `as_permission`: a refusal is a question of
    who the user is (403), not of the object's state (409).
    """

    name: str
    test: Callable[..., str | None]
    on_buttons: bool = True
    as_permission: bool = False


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise | str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (e.g. a request recorded on the object)
    actors: frozenset[str] = frozenset()
    event: str = ""  # the kind of timeline event it writes; the transition's name when empty
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    inputs: tuple[str, ...] = ()  # what its form asks for, beyond the user and the object

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "actors", frozenset(self.actors))

    @property
    def event_kind(self) -> str:
        return self.event or self.name


@dataclass
class Workflow:
    transitions: Iterable[Transition]
    actors: Callable[[object, object], Iterable[str]]
    actor_labels: dict[str, Promise | str] = field(default_factory=dict)
    record: Callable[..., object] | None = None
    state_field: str = "state"

    def __post_init__(self):
        self.table: dict[str, Transition] = {t.name: t for t in self.transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.table[name]

    def __contains__(self, name: str) -> bool:
        return name in self.table

    def __iter__(self):
        return iter(self.table.values())

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def actors_of(self, user, obj) -> frozenset[str]:
        if not (user and user.is_authenticated and user.is_active):
            return frozenset()
        return frozenset(self.actors(user, obj))

    def may(self, user, obj, name: str) -> bool:
        """Role and state only (for a button whose guards need the form's input)."""
        transition = self.table.get(name)
        return bool(
            transition
            and self.state_of(obj) in transition.sources
            and self.actors_of(user, obj) & transition.actors
        )

    def available(self, user, obj) -> list[Transition]:
        """The transitions this user may take on this object now: the buttons to show."""
        actors = self.actors_of(user, obj)
        state = self.state_of(obj)
        return [
            t
            for t in self.table.values()
            if state in t.sources
            and actors & t.actors
            and not any(g.on_buttons and g.test(obj, user=user, actors=actors) for g in t.guards)
        ]

    def get(self, name: str) -> Transition:
        transition = self.table.get(name)
        if transition is None:
            raise Invalid(_("没有“%(name)s”这一操作。") % {"name": name}, code="unknown_transition")
        return transition

    def check(self, user, obj, name: str, *, note: str = "", **inputs) -> Transition:
        """The transition, or the refusal that says why not: who first (403), then state and guards
        (409), then the input (a transition that needs a reason refuses an empty note, 400)."""
        transition = self.get(name)
        actors = self.actors_of(user, obj)
        if not actors & transition.actors:
            who = "、".join(str(self.actor_labels.get(a, a)) for a in sorted(transition.actors))
            raise NotPermitted(
                _("只有%(who)s可以执行“%(action)s”。") % {"who": who, "action": transition.label}
            )
        state = self.state_of(obj)
        if state not in transition.sources:
            display = getattr(obj, f"get_{self.state_field}_display", lambda: state)()
            raise TransitionRefused(
                _("当前状态为“%(state)s”，不能执行“%(action)s”。")
                % {"state": display, "action": transition.label}
            )
        for guard in transition.guards:
            reason = guard.test(obj, user=user, actors=actors, **inputs)
            if reason:
                raise (NotPermitted if guard.as_permission else TransitionRefused)(reason)
        if transition.needs_reason and not (note or "").strip():
            raise Invalid(
                _("请填写“%(action)s”的理由或说明。") % {"action": transition.label},
                fields={"note": [_("请填写理由或说明。")]},
            )
        return transition

    def move(
        self, obj, transition: Transition | str, *, by, note: str = "", target: str | None = None, **data
    ):
        """Set the new state, bump the version, validate, save, and write the timeline event.

        Call inside the service's transaction, on the locked row, after `check`. `target` overrides
        the table's target where the service decides it (e.g. the last spending moves to "spent").
        """
        if isinstance(transition, str):
            transition = self.get(transition)
        from_state = self.state_of(obj)
        new_state = target or transition.target
        if new_state:
            setattr(obj, self.state_field, new_state)
        if hasattr(obj, "version"):
            obj.version += 1
        obj.full_clean()
        obj.save()
        if self.record is not None:
            self.record(obj, transition, by=by, note=(note or "").strip(), from_state=from_state, **data)
        return obj
