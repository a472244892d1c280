"""Creating and editing directives: a new directive (by the office, or by another capability naming
its source), edits, sub-tasks split off to a sub-unit, drafts assigned in bulk, and meetings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from duban.accounts.rules import is_office_user
from duban.accounts.scope import can_create
from duban.core.concurrency import versioned_update
from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.core.rules import require
from duban.core.services import model_create
from duban.organisation.models import Leader, Unit

from ..models import Directive, EventKind, Meeting, Milestone, Priority, Source, State
from ..rules import is_editable, is_splittable, works_on
from .common import locked, notify_about, record, relight
from .transitions import directive_assign

# What a sub-task takes from the directive it is split from.
INHERITED_BY_SUBTASKS = ("source", "meeting", "source_note", "theme", "responsible_leader", "priority")


def _add_milestones(directive: Directive, milestones: Iterable[tuple[str, date]]) -> None:
    for order, (title, due_on) in enumerate(milestones, start=1):
        model_create(Milestone, directive=directive, order=order, title=title, due_on=due_on)


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
    require(is_office_user, by)
    directive = model_create(Directive, created_by=by, co_units=co_units, **fields)
    _add_milestones(directive, milestones)
    record(directive, EventKind.CREATED, by=by, to_state=directive.state)
    if assign:
        return directive_assign(directive=directive, by=by)
    return relight(directive)


def directive_create_from(
    *, by, source: str, priority: str = "normal", assign: bool = True, **fields
) -> Directive:
    """A directive another capability opens on the office's behalf (a meeting's decision, a
    rectification task), naming its source — "meeting" (with `meeting=`), "instruction" or
    "key_work" — and its priority — "normal", "important" or "urgent" — by name."""
    if source not in Source.values:
        raise Invalid(_("来源“%(s)s”无效。") % {"s": source})
    try:
        level = Priority[priority.upper()]
    except KeyError:
        raise Invalid(_("优先级“%(p)s”无效。") % {"p": priority}) from None
    return directive_create(by=by, source=source, priority=level, assign=assign, **fields)


@transaction.atomic
def directive_update(*, directive: Directive, by, expected_version: int, **fields) -> Directive:
    """The office edits a directive; a save over someone else's newer save is refused (EditConflict)."""
    require(is_office_user, by)
    if not is_editable(locked(directive)):
        raise Invalid(_("已办结或已撤销的事项不能修改。"))
    update = versioned_update(directive, expected_version=expected_version, fields=fields, by=by)
    if update:
        record(update.instance, EventKind.EDITED, by=by, note=update.summary())
    return relight(update.instance)


@transaction.atomic
def directive_split(
    *, parent: Directive, by, unit: Unit, title: str, deadline: date, content: str = ""
) -> Directive:
    """A sub-task of a directive for one of the lead unit's own sub-units, assigned at once."""
    parent = Directive.objects.select_related("lead_unit").get(pk=parent.pk)
    require(works_on, by, parent)
    if not is_splittable(parent):
        raise TransitionRefused(_("只有已交办或办理中的事项可以分解子任务。"))
    if unit.pk == parent.lead_unit_id or not unit.tree_path.startswith(parent.lead_unit.tree_path):
        raise Invalid(fields={"unit": [_("子任务只能分解给牵头单位的下级单位。")]})
    if not can_create(by, Directive, unit=unit):
        raise NotPermitted
    if deadline > parent.deadline:
        raise Invalid(
            fields={"deadline": [_("子任务的时限不能晚于上级事项的时限（%(d)s）。") % {"d": parent.deadline}]}
        )
    child = model_create(
        Directive,
        **{name: getattr(parent, name) for name in INHERITED_BY_SUBTASKS},
        title=title,
        content=content,
        lead_unit=unit,
        deadline=deadline,
        parent=parent,
        state=State.ASSIGNED,
        created_by=by,
    )
    record(child, EventKind.ASSIGNED, by=by, to_state=State.ASSIGNED, note=_("由上级事项分解。"))
    record(parent, EventKind.SPLIT, by=by, note=_("分解子任务“%(t)s”给%(u)s。") % {"t": title, "u": unit})
    notify_about(child, kind="assigned", title=_("新交办督办事项：%(title)s"), units=[unit.pk], by=by)
    return relight(child)


def _suggested_unit_changes(directive: Directive, unit: Unit | None) -> dict:
    """The changes that make the unit the text names the lead unit: a co-operating unit named to lead
    swaps places with the lead unit; none when it leads already."""
    if unit is None or unit.pk == directive.lead_unit_id:
        return {}
    co_units = list(directive.co_units.all())
    if unit in co_units:
        co_units = [u for u in co_units if u.pk != unit.pk] + [directive.lead_unit]
        return {"lead_unit": unit, "co_units": co_units}
    return {"lead_unit": unit}


@transaction.atomic
def directives_assign_bulk(
    *,
    directives: Iterable[Directive],
    by,
    lead_unit: Unit | None = None,
    responsible_leader: Leader | None = None,
    deadline: date | None = None,
    suggest_leaders: bool = False,
    suggest_units: bool = False,
) -> int:
    """Assign many drafts at once, optionally setting the same unit, leader or deadline on each;
    (`suggest_units`) making the unit its text names to lead it (由/请/责成 … 牵头/负责) the lead unit,
    and (`suggest_leaders`) giving a draft that names no leader the one its theme or unit suggests.

    All or nothing: one refused directive leaves every one of them as it was.
    """
    from ..selectors import suggested_lead_units, suggested_leader

    require(is_office_user, by)
    directives = list(directives)
    same = {"lead_unit": lead_unit, "responsible_leader": responsible_leader, "deadline": deadline}
    changes = {name: value for name, value in same.items() if value is not None}
    named_units = suggested_lead_units(directives) if suggest_units and lead_unit is None else {}
    count = 0
    for directive in directives:
        suggested = _suggested_unit_changes(directive, named_units.get(directive.pk))
        if suggested:
            directive = directive_update(
                directive=directive, by=by, expected_version=directive.version, **suggested
            )
        leader = None
        if suggest_leaders and not responsible_leader and not directive.responsible_leader_id:
            leader = suggested_leader(directive)
        if leader is not None:
            directive = directive_update(
                directive=directive, by=by, expected_version=directive.version, responsible_leader=leader
            )
        if changes:
            directive = directive_update(
                directive=directive, by=by, expected_version=directive.version, **changes
            )
        directive_assign(directive=directive, by=by)
        count += 1
    return count


@transaction.atomic
def meeting_create(*, by, leaders: Iterable[Leader] = (), units: Iterable[Unit] = (), **fields) -> Meeting:
    """The office records a meeting whose decisions become directives (`kind` by its value: "weekly", …)."""
    require(is_office_user, by)
    return model_create(Meeting, leaders=leaders, units=units, **fields)
