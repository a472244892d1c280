"""The life of a bond project as one explicit table (finance-domain.md §1.7): which transition, from
which states, to which state, by which roles. services.py carries each transition out in its own
function; pages, the API and tests ask this table which actions a user may take."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import Role

from .models import BondProject, ProjectState

S = ProjectState


class Actor(StrEnum):
    UNIT = "unit"  # a liaison of the applying unit (or a unit above it)
    SUPERVISOR = "supervisor"  # a liaison of the supervising department (主管部门)
    FINANCE = "finance"  # a finance reviewer (财政审核员) of the city finance bureau


class Input(StrEnum):
    """What a transition's form asks for, beyond the user and the project."""

    BATCH = "batch"
    REASON = "reason"
    NOTE = "note"
    AMOUNT = "amount"
    DATE = "date"
    ISSUE = "issue"  # bond code, term and coupon, with the amount and date


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    actors: frozenset[Actor]
    inputs: tuple[Input, ...] = ()
    guard: str = ""  # a named condition checked by the service (see services.GUARDS)


_REVIEWS = frozenset({S.UNIT_REVIEW, S.FINANCE_REVIEW, S.PROVINCE_REVIEW, S.MINISTRY_REVIEW})
_UNIT = frozenset({Actor.UNIT, Actor.FINANCE})
_FINANCE = frozenset({Actor.FINANCE})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("start_draft", _("开始填报"), frozenset({S.POOL}), S.DRAFT, _UNIT),
        Transition(
            "submit",
            _("提交申报"),
            frozenset({S.DRAFT, S.RETURNED}),
            S.UNIT_REVIEW,
            _UNIT,
            (Input.BATCH, Input.NOTE),
            guard="ready_to_submit",
        ),
        Transition(
            "unit_approve",
            _("主管部门审核通过"),
            frozenset({S.UNIT_REVIEW}),
            S.FINANCE_REVIEW,
            frozenset({Actor.SUPERVISOR, Actor.FINANCE}),
            (Input.NOTE,),
        ),
        Transition(
            "finance_approve",
            _("财政审核通过并上报省级"),
            frozenset({S.FINANCE_REVIEW}),
            S.PROVINCE_REVIEW,
            _FINANCE,
            (Input.NOTE,),
        ),
        Transition(
            "province_approve",
            _("省级审核通过，报两部委"),
            frozenset({S.PROVINCE_REVIEW}),
            S.MINISTRY_REVIEW,
            _FINANCE,
            (Input.NOTE,),
            guard="ministries_review",
        ),
        Transition(
            "province_final_approve",
            _("省级审核通过（自审自发）"),
            frozenset({S.PROVINCE_REVIEW}),
            S.APPROVED,
            _FINANCE,
            (Input.NOTE,),
            guard="self_review",
        ),
        Transition(
            "ministry_approve",
            _("两部委审核通过"),
            frozenset({S.MINISTRY_REVIEW}),
            S.APPROVED,
            _FINANCE,
            (Input.NOTE,),
        ),
        Transition(
            "return",
            _("退回修改"),
            _REVIEWS,
            S.RETURNED,
            frozenset({Actor.SUPERVISOR, Actor.FINANCE}),
            (Input.REASON,),
            guard="may_return",
        ),
        Transition(
            "allocate_quota",
            _("分配额度"),
            frozenset({S.APPROVED}),
            S.QUOTA_ALLOCATED,
            _FINANCE,
            (Input.AMOUNT, Input.DATE, Input.NOTE),
        ),
        Transition(
            "record_issuance",
            _("登记发行"),
            frozenset({S.QUOTA_ALLOCATED}),
            S.ISSUED,
            _FINANCE,
            (Input.ISSUE,),
        ),
        Transition(
            "record_onlending",
            _("登记转贷"),
            frozenset({S.ISSUED}),
            S.ONLENT,
            _FINANCE,
            (Input.AMOUNT, Input.DATE, Input.NOTE),
        ),
        Transition(
            "record_disbursement",
            _("登记拨付"),
            frozenset({S.ONLENT, S.DISBURSING, S.SPENDING}),
            S.DISBURSING,
            _FINANCE,
            (Input.AMOUNT, Input.DATE, Input.NOTE),
        ),
        # The target is SPENDING, or SPENT once every issued yuan is spent (services.record_spending).
        Transition(
            "record_spending",
            _("登记支出"),
            frozenset({S.DISBURSING, S.SPENDING}),
            S.SPENDING,
            _UNIT,
            (Input.AMOUNT, Input.DATE, Input.NOTE),
        ),
    ]
}

# The library fields may be edited while the project is being prepared or has been sent back.
EDITABLE_STATES = frozenset({S.POOL, S.DRAFT, S.RETURNED})
# Once submitted, the application counts as applied (the denominator of the success rate).
SUBMITTED_STATES = frozenset(
    {
        S.UNIT_REVIEW,
        S.FINANCE_REVIEW,
        S.PROVINCE_REVIEW,
        S.MINISTRY_REVIEW,
        S.APPROVED,
        S.QUOTA_ALLOCATED,
        S.ISSUED,
        S.ONLENT,
        S.DISBURSING,
        S.SPENDING,
        S.SPENT,
    }
)


def _under(unit, user) -> bool:
    return bool(unit is not None and user.unit_id and unit.tree_path.startswith(user.unit.tree_path))


def actors_for(user, project: BondProject) -> frozenset[Actor]:
    """The capacities in which this user acts on this project (none for the office and leaders)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
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


def may(user, project: BondProject, transition: Transition) -> bool:
    """Role and state only; the guards are checked by the service with the data they need."""
    return project.state in transition.sources and bool(actors_for(user, project) & transition.actors)


# The keyword each dated transition gives its date under.
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
