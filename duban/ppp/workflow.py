"""The life cycles of the PPP programme as transition tables (`core.workflow`): a project leaving the
library, an obligation, a review campaign, a contract review and a rectification task. Each says which
transition, from which states, to which state, by whom, under which guard; the services in `services/`
carry them out and the pages show a button for what `available` answers.

Every transition writes an event on the project's timeline (the campaign's steps write one on each
project they take in, see `services.reviews`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts.roles import Role
from duban.accounts.scope import can_change, is_office
from duban.core.workflow import OFFICE, UNIT, Guard, Transition, Workflow

from .models import (
    ChecklistItem,
    ContractReview,
    Finding,
    Obligation,
    PPPProject,
    ProjectEvent,
    ProjectStatus,
    RectificationTask,
    ReviewCampaign,
)

# The capacities of the PPP life cycles: core's OFFICE (the supervision office); MANAGER, the finance
# reviewers and the office, who change PPP data; and core's UNIT, here whoever may change the row by
# its scope: the owning unit's liaisons, and the managers, whose reach is the whole programme (the
# office files a report on a unit's behalf).
MANAGER = "manager"

MANAGER_LABEL = gettext_lazy("财政评审人员或督查室")


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_manager(user) -> bool:
    """The office and the finance reviewers change PPP data; liaisons only report progress."""
    return _active(user) and (is_office(user) or user.role == Role.FINANCE)


def actors_for(user, obj) -> set[str]:
    """The capacities the user acts in on this row (the same three for every PPP life cycle)."""
    actors = set()
    if is_office(user):
        actors.add(OFFICE)
    if is_manager(user):
        actors.add(MANAGER)
    if can_change(user, obj):
        actors.add(UNIT)
    return actors


def project_event(project: PPPProject, *, by, kind: str, text: str) -> ProjectEvent:
    """An entry on the project's timeline (call in the transaction of the change it records)."""
    return ProjectEvent.objects.create(
        project=project, by=by if getattr(by, "pk", None) else None, kind=kind, text=text[:500]
    )


def record_event(obj, transition: Transition, *, by, note: str, from_state: str, text: str = "", **_data):
    """The transition's entry on the project's timeline (`text` says what happened, in the user's words)."""
    project = obj if isinstance(obj, PPPProject) else obj.project
    return project_event(project, by=by, kind=transition.event_kind, text=text or str(transition.label))


def _t(name, label, sources, target, actor, event, **options) -> Transition:
    return Transition(name, label, sources, target, actors={actor}, event=event, **options)


def _workflow(transitions, *, unit_label, record=record_event, **options) -> Workflow:
    return Workflow(
        transitions=transitions,
        actors=actors_for,
        actor_labels={OFFICE: gettext_lazy("督查室"), MANAGER: MANAGER_LABEL, UNIT: unit_label},
        record=record,
        **options,
    )


# --- a project leaving the library ----------------------------------------------------------------

PROJECTS = _workflow(
    [
        _t(
            "withdraw",
            gettext_lazy("退库"),
            {ProjectStatus.ACTIVE},
            ProjectStatus.WITHDRAWN,
            MANAGER,
            "withdrawn",
        ),
    ],
    unit_label=gettext_lazy("实施机构联络员"),
    state_field="status",
)


# --- obligations ----------------------------------------------------------------------------------
# The implementing agency's liaisons (and the managers) record an obligation fulfilled; a breach, a
# waiver and reopening are the managers' decisions.

OS = Obligation.State

OBLIGATIONS = _workflow(
    [
        _t("fulfil", gettext_lazy("确认履行"), {OS.OPEN, OS.BREACHED}, OS.FULFILLED, UNIT, "obligation"),
        _t("breach", gettext_lazy("认定违约"), {OS.OPEN}, OS.BREACHED, MANAGER, "obligation"),
        _t("waive", gettext_lazy("豁免"), {OS.OPEN}, OS.WAIVED, MANAGER, "obligation"),
        _t("reopen", gettext_lazy("恢复待履行"), {OS.FULFILLED}, OS.OPEN, MANAGER, "obligation"),
    ],
    unit_label=gettext_lazy("实施机构联络员"),
)

# The transition that brings an obligation to each state: pages and the API name the state they want.
OBLIGATION_STEP_TO = {transition.target: transition.name for transition in OBLIGATIONS}


# --- review campaigns and contract reviews ----------------------------------------------------------


def _reviews_all_closed(campaign, **_inputs) -> str | None:
    if campaign.reviews.exclude(state=ContractReview.State.CLOSED).exists():
        return _("尚有项目未办结。")
    return None


def _campaign_under_way(review, **_inputs) -> str | None:
    if review.campaign.state != ReviewCampaign.State.UNDER_WAY:
        return _("该审查未在进行中。")
    return None


def _checklist_done(review, **_inputs) -> str | None:
    if review.items.filter(result=ChecklistItem.Result.UNCHECKED).exists():
        return _("审查清单尚有未检查的项目。")
    return None


def _major_findings_resolved(review, **_inputs) -> str | None:
    # A major problem is closed only by an accepted rectification task, never by closing the review.
    if review.findings.filter(resolved=False, severity__in=Finding.SERIOUS_ENOUGH).exists():
        return _("仍有重大问题未整改销号。")
    return None


C = ReviewCampaign.State
R = ContractReview.State
# Guards that read the rows below the object are checked when the step is taken, not for its button.
ALL_REVIEWS_CLOSED = Guard("all_reviews_closed", _reviews_all_closed, on_buttons=False)
CAMPAIGN_UNDER_WAY = Guard("campaign_under_way", _campaign_under_way)
CHECKLIST_DONE = Guard("checklist_done", _checklist_done, on_buttons=False)
FINDINGS_RESOLVED = Guard("major_findings_resolved", _major_findings_resolved, on_buttons=False)
RATED_WHEN = (CAMPAIGN_UNDER_WAY, CHECKLIST_DONE)

CAMPAIGNS = _workflow(
    [
        _t("start", gettext_lazy("启动审查"), {C.DRAFT}, C.UNDER_WAY, MANAGER, "review"),
        _t(
            "close",
            gettext_lazy("结束审查"),
            {C.UNDER_WAY},
            C.CLOSED,
            MANAGER,
            "review",
            guards=(ALL_REVIEWS_CLOSED,),
        ),
    ],
    unit_label=MANAGER_LABEL,
    record=None,  # a campaign belongs to no project: its start writes an event on each project it takes in
)

REVIEWS = _workflow(
    [
        # The target is "rectifying" instead when tasks are already open (see services.review_rate).
        _t(
            "rate",
            gettext_lazy("评定"),
            {R.PENDING, R.IN_PROGRESS},
            R.RATED,
            MANAGER,
            "review",
            guards=RATED_WHEN,
        ),
        _t(
            "close", gettext_lazy("办结"), {R.RATED}, R.CLOSED, MANAGER, "review", guards=(FINDINGS_RESOLVED,)
        ),
    ],
    unit_label=MANAGER_LABEL,
)


# --- rectification tasks ----------------------------------------------------------------------------
# The owner unit reports the rectification done; the managers accept it or send it back, reschedule or
# withdraw it. Once a task is carried by a directive (督办事项), the office alone decides on it, since
# directives are closed, returned and cancelled by the office only.


def _office_decides_a_directive(task, *, actors, **_inputs) -> str | None:
    if task.directive_id and OFFICE not in actors:
        return _("该整改任务已转为督办事项，由督查室办理验收、退回、调整期限和撤销。")
    return None


def _not_linked(task, **_inputs) -> str | None:
    return _("该整改任务已转为督办事项。") if task.directive_id else None


T = RectificationTask.State
OFFICE_DECIDES = Guard("office_decides", _office_decides_a_directive, as_permission=True)
WORKED_ON = {T.OPEN, T.SUBMITTED}


def _task_step(name, label, sources, target, actor, **options) -> Transition:
    return _t(name, label, sources, target, actor, "task", **options)


TASKS = _workflow(
    [
        _task_step("submit", gettext_lazy("报送整改情况"), {T.OPEN}, T.SUBMITTED, UNIT),
        _task_step(
            "accept", gettext_lazy("验收销号"), {T.SUBMITTED}, T.DONE, MANAGER, guards=(OFFICE_DECIDES,)
        ),
        _task_step("return", gettext_lazy("退回"), {T.SUBMITTED}, T.OPEN, MANAGER, guards=(OFFICE_DECIDES,)),
        _task_step(
            "reschedule", gettext_lazy("调整期限"), WORKED_ON, None, MANAGER, guards=(OFFICE_DECIDES,)
        ),
        _task_step(
            "cancel", gettext_lazy("撤销任务"), WORKED_ON, T.CANCELLED, MANAGER, guards=(OFFICE_DECIDES,)
        ),
        _task_step(
            "link",
            gettext_lazy("转为督办事项"),
            WORKED_ON,
            None,
            OFFICE,
            guards=(Guard("not_linked", _not_linked),),
        ),
    ],
    unit_label=gettext_lazy("责任单位联络员"),
)
