"""The life of a bond project as one transition table (finance-domain.md §1.7): which step, from which
states, to which state, by whom, on which conditions, and the timeline event it writes.

services/transitions.py carries each step out in its own function (`project_<name>`); pages, the API and
tests ask this table which steps a user may take (`WORKFLOW.available`) and why one is refused.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts.roles import Role
from duban.core.errors import NotFound, NotPermitted
from duban.core.workflow import Guard, Transition, Workflow

from . import regulations, selectors
from .models import ApplicationOutcome, BondProject, ProjectEvent, ProjectState

S = ProjectState


class Actor(StrEnum):
    UNIT = "unit"  # a liaison of the applying unit (or a unit above it)
    SUPERVISOR = "supervisor"  # a liaison of the supervising department (主管部门)
    FINANCE = "finance"  # a finance reviewer (财政审核员) of the city finance bureau


class Input(StrEnum):
    """What a step's form asks for, beyond the user and the project."""

    BATCH = "batch"
    REASON = "reason"
    NOTE = "note"
    AMOUNT = "amount"
    DATE = "date"
    ISSUE = "issue"  # bond code, term and coupon, with the amount and date
    OVERRIDE = "override"  # why a project whose balance test fails is approved all the same


def _under(unit, user) -> bool:
    return bool(unit is not None and user.unit_id and unit.tree_path.startswith(user.unit.tree_path))


def actors_for(user, project: BondProject) -> frozenset[Actor]:
    """The capacities in which this user acts on this project (none for the office and leaders)."""
    if user.role == Role.FINANCE:
        return frozenset({Actor.FINANCE})
    if user.role != Role.LIAISON:
        return frozenset()
    actors = set()
    if _under(project.applying_unit, user):
        actors.add(Actor.UNIT)
    if _under(project.supervising_department or project.applying_unit, user):
        actors.add(Actor.SUPERVISOR)
    return frozenset(actors)


# ---------------------------------------------------------------------------------------------------
# Guards: each returns the reason it refuses, or None


def _ready_to_submit(project: BondProject, *, batch=None, **_inputs) -> str | None:
    """A batch is chosen, a returned project moves to a later one, and the project meets the rules."""
    if batch is None:
        return _("请选择申报批次。")
    last = selectors.application_last(project)
    if (
        last is not None
        and last.outcome == ApplicationOutcome.RETURNED
        and batch.opens_on <= last.batch.opens_on
    ):
        return _("退回的项目须在以后的批次重新申报（上次批次：%(batch)s）。") % {"batch": last.batch}
    if selectors.application_history(project).filter(batch=batch).exists():
        return _("本项目已在“%(batch)s”申报过。") % {"batch": batch}
    problems = regulations.project_problems(project, on=batch.opens_on)
    return "；".join(p.message for p in problems) or None


def _self_review(project: BondProject) -> bool:
    return regulations.rule_for(category=project.category, on=regulations.reference_date(project)).self_review


def _province_decides(project: BondProject, **_inputs) -> str | None:
    return None if _self_review(project) else _("本省不属于自审自发试点，须报两部委审核。")


def _ministries_decide(project: BondProject, **_inputs) -> str | None:
    return _("本省为自审自发试点，省级审核通过即可。") if _self_review(project) else None


def _may_return(project: BondProject, *, actors, **_inputs) -> str | None:
    if Actor.FINANCE not in actors and project.state != S.UNIT_REVIEW:
        return _("主管部门只能退回待本部门审核的项目。")
    return None


READY_TO_SUBMIT = Guard("ready_to_submit", _ready_to_submit, on_buttons=False)
SELF_REVIEW = Guard("self_review", _province_decides)
MINISTRIES_REVIEW = Guard("ministries_review", _ministries_decide)
# Who may return depends on the stage: a question of the user's role (403), not of the project's data.
MAY_RETURN = Guard("may_return", _may_return, as_permission=True)


# ---------------------------------------------------------------------------------------------------
# The timeline


def record_event(
    project: BondProject,
    transition: Transition | str,
    *,
    by,
    note: str = "",
    from_state: str = "",
    batch=None,
    amount=None,
    data: dict | None = None,
) -> ProjectEvent:
    """Write the project's timeline entry for a step (or for "create", which is no step of the table)."""
    return ProjectEvent.objects.create(
        project=project,
        transition=transition if isinstance(transition, str) else transition.event_kind,
        from_state=from_state,
        to_state=project.state,
        by=by,
        note=note or "",
        batch=batch,
        amount=amount,
        data=data or {},
    )


# ---------------------------------------------------------------------------------------------------
# The table

_REVIEWS = {S.UNIT_REVIEW, S.FINANCE_REVIEW, S.PROVINCE_REVIEW, S.MINISTRY_REVIEW}
_UNIT = {Actor.UNIT, Actor.FINANCE}
_REVIEWER = {Actor.SUPERVISOR, Actor.FINANCE}
_FINANCE = {Actor.FINANCE}
_NOTE = (Input.NOTE,)
_MONEY = (Input.AMOUNT, Input.DATE, Input.NOTE)


def _step(name, label, sources, target, actors, inputs=(), guards=(), **options) -> Transition:
    return Transition(name, label, sources, target, actors=actors, inputs=inputs, guards=guards, **options)


WORKFLOW = Workflow(
    transitions=[
        _step("start_draft", gettext_lazy("开始填报"), {S.POOL}, S.DRAFT, _UNIT),
        _step(
            "submit",
            gettext_lazy("提交申报"),
            {S.DRAFT, S.RETURNED},
            S.UNIT_REVIEW,
            _UNIT,
            (Input.BATCH, Input.NOTE),
            (READY_TO_SUBMIT,),
        ),
        _step(
            "unit_approve",
            gettext_lazy("主管部门审核通过"),
            {S.UNIT_REVIEW},
            S.FINANCE_REVIEW,
            _REVIEWER,
            _NOTE,
        ),
        _step(
            "finance_approve",
            gettext_lazy("财政审核通过并上报省级"),
            {S.FINANCE_REVIEW},
            S.PROVINCE_REVIEW,
            _FINANCE,
            (Input.NOTE, Input.OVERRIDE),
        ),
        _step(
            "province_approve",
            gettext_lazy("省级审核通过，报两部委"),
            {S.PROVINCE_REVIEW},
            S.MINISTRY_REVIEW,
            _FINANCE,
            _NOTE,
            (MINISTRIES_REVIEW,),
        ),
        _step(
            "province_final_approve",
            gettext_lazy("省级审核通过（自审自发）"),
            {S.PROVINCE_REVIEW},
            S.APPROVED,
            _FINANCE,
            _NOTE,
            (SELF_REVIEW,),
        ),
        _step(
            "ministry_approve",
            gettext_lazy("两部委审核通过"),
            {S.MINISTRY_REVIEW},
            S.APPROVED,
            _FINANCE,
            _NOTE,
        ),
        _step(
            "return",
            gettext_lazy("退回修改"),
            _REVIEWS,
            S.RETURNED,
            _REVIEWER,
            (Input.REASON,),
            (MAY_RETURN,),
            needs_reason=True,
        ),
        _step("allocate_quota", gettext_lazy("分配额度"), {S.APPROVED}, S.QUOTA_ALLOCATED, _FINANCE, _MONEY),
        _step(
            "record_issuance",
            gettext_lazy("登记发行"),
            {S.QUOTA_ALLOCATED},
            S.ISSUED,
            _FINANCE,
            (Input.ISSUE,),
        ),
        _step("record_onlending", gettext_lazy("登记转贷"), {S.ISSUED}, S.ONLENT, _FINANCE, _MONEY),
        # A tranche paid while spending is under way keeps the project SPENDING (the service decides).
        _step(
            "record_disbursement",
            gettext_lazy("登记拨付"),
            {S.ONLENT, S.DISBURSING, S.SPENDING},
            S.DISBURSING,
            _FINANCE,
            _MONEY,
        ),
        # SPENDING, or SPENT once every issued yuan is spent (the service decides).
        _step(
            "record_spending", gettext_lazy("登记支出"), {S.DISBURSING, S.SPENDING}, S.SPENDING, _UNIT, _MONEY
        ),
    ],
    actors=actors_for,
    actor_labels={
        Actor.UNIT: gettext_lazy("申报单位"),
        Actor.SUPERVISOR: gettext_lazy("主管部门"),
        Actor.FINANCE: gettext_lazy("财政审核员"),
    },
    record=record_event,
)


def transition_for(user, project: BondProject, name: str) -> Transition:
    """The step a page or an API client asks for by name: 404 when there is none, 403 when the user acts
    in none of its capacities — before its input is read, so a wrong user is refused whatever it sent."""
    if name not in WORKFLOW:
        raise NotFound(_("没有“%(name)s”这一操作。") % {"name": name})
    transition = WORKFLOW[name]
    if not WORKFLOW.actors_of(user, project) & transition.actors:
        who = "、".join(str(WORKFLOW.actor_labels[a]) for a in sorted(transition.actors))
        raise NotPermitted(_("只有%(who)s可以执行“%(action)s”。") % {"who": who, "action": transition.label})
    return transition


# The keyword each dated step's service takes its date under (forms and the API send it as "date").
DATE_ARGUMENT = {
    "allocate_quota": "allocated_on",
    "record_onlending": "onlent_on",
    "record_disbursement": "paid_on",
    "record_spending": "spent_on",
}
_ARGUMENTS = {
    Input.BATCH: ("batch",),
    Input.REASON: ("reason",),
    Input.NOTE: ("note",),
    Input.AMOUNT: ("amount",),
    Input.DATE: ("date",),
    Input.ISSUE: ("bond_code", "issue_date", "term_years", "rate", "amount", "instalments"),
    Input.OVERRIDE: ("override_reason",),
}


def transition_kwargs(transition: Transition, data: dict) -> dict:
    """The service's keyword arguments from submitted data (a form's or the API's), ignoring the rest."""
    kwargs = {}
    for item in transition.inputs:
        for name in _ARGUMENTS[item]:
            if name in data and data[name] is not None:
                kwargs[name] = data[name]
    if "date" in kwargs:
        kwargs[DATE_ARGUMENT[transition.name]] = kwargs.pop("date")
    return kwargs
