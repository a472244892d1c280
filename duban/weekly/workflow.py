"""The life cycles of the weekly cycle as `core.workflow` tables: a unit's report (filled, submitted —
through the unit's head where the unit asks for it —, reopened by the office), the cycle itself
(reminded, closed), and a decision on an agenda item.

The services carry the transitions out (`services/reports.py`, `services/cycles.py`,
`services/meetings.py`); the pages ask the same tables, through `rules.py`, which buttons to show.
The audit log records each change; the weekly cycle keeps no timeline of its own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from duban.core.workflow import (
    HEAD,
    OFFICE,
    UNIT,
    Guard,
    Transition,
    Workflow,
    head_approval_guards,
    office_or_unit,
    office_unit_or_head,
)

from .models import CycleState, DecisionStage, ReportState

ACTOR_LABELS = {
    OFFICE: gettext_lazy("督查室"),
    UNIT: gettext_lazy("本单位联络员"),
    HEAD: gettext_lazy("本单位领导"),
}


actors_for = office_or_unit


# A report's: the office, the unit's liaisons, and its head where the unit asks for his approval.
report_actors = office_unit_or_head(lambda report: report.unit)


# --- a unit's report -------------------------------------------------------------------------------


def _open_for_filing(report, **_inputs) -> str | None:
    if report.cycle.state == CycleState.CLOSED and report.reopened_at is None:
        return _("该周期已截止，不能再填报；如需补报请联系督查室。")
    return None


def _all_filled(report, **_inputs) -> str | None:
    unfilled = [item.title for item in report.items.all() if not item.is_filled]
    if not unfilled:
        return None
    titles = "；".join(unfilled[:10]) + ("……" if len(unfilled) > 10 else "")
    return _("以下事项尚未填写本周完成情况或完成进度：%(titles)s") % {"titles": titles}


def _returnable(report, **_inputs) -> str | None:
    # A submitted report goes back for changes; one not submitted only after the close (补报).
    if report.state != ReportState.SUBMITTED and report.cycle.state == CycleState.OPEN:
        return _("周报尚未提交，无需退回。")
    return None


OPEN_FOR_FILING = Guard("open_for_filing", _open_for_filing)
# 单位领导审核: a unit that asks for it submits through its head (the head himself directly).
TO_THE_OFFICE, TO_THE_HEAD = head_approval_guards(
    lambda report: report.unit,
    what=pgettext_lazy("what the head approves", "周报"),
    direct_step=gettext_lazy("提交周报"),
)
# Checked when submitting, not for the button: the refusal lists the items still to fill.
ALL_FILLED = Guard("all_filled", _all_filled, on_buttons=False)
RETURNABLE = Guard("returnable", _returnable)

NOT_SUBMITTED = frozenset({ReportState.PENDING, ReportState.DRAFT})

REPORT_WORKFLOW = Workflow(
    transitions=[
        # Saving the first item makes a pending report a draft; later saves keep it one.
        Transition(
            "fill",
            gettext_lazy("填报"),
            NOT_SUBMITTED,
            ReportState.DRAFT,
            actors={UNIT},
            guards=(OPEN_FOR_FILING,),
        ),
        Transition(
            "submit",
            gettext_lazy("提交周报"),
            NOT_SUBMITTED,
            ReportState.SUBMITTED,
            actors={UNIT},
            guards=(OPEN_FOR_FILING, TO_THE_OFFICE, ALL_FILLED),
        ),
        # 单位领导审核 (where the unit asks for it): the liaison sends the filled report to the unit's
        # head, who approves it (it reaches the office) or sends it back with his reason.
        Transition(
            "submit_for_approval",
            gettext_lazy("提交单位领导审核"),
            NOT_SUBMITTED,
            ReportState.HEAD_REVIEW,
            actors={UNIT},
            guards=(OPEN_FOR_FILING, TO_THE_HEAD, ALL_FILLED),
        ),
        # No filing guard: a report the head approves after the close reaches the office late.
        Transition(
            "approve",
            gettext_lazy("审核通过并报送"),
            {ReportState.HEAD_REVIEW},
            ReportState.SUBMITTED,
            actors={HEAD},
        ),
        Transition(
            "send_back",
            gettext_lazy("退回修改"),
            {ReportState.HEAD_REVIEW},
            ReportState.DRAFT,
            actors={HEAD},
            needs_reason=True,
        ),
        Transition(
            "reopen",
            gettext_lazy("退回修改"),
            {*NOT_SUBMITTED, ReportState.HEAD_REVIEW, ReportState.SUBMITTED},
            ReportState.DRAFT,
            actors={OFFICE},
            guards=(RETURNABLE,),
        ),
    ],
    actors=report_actors,
    actor_labels=ACTOR_LABELS,
)


# --- the cycle ---------------------------------------------------------------------------------------

CYCLE_WORKFLOW = Workflow(
    transitions=[
        Transition("remind", gettext_lazy("催报"), {CycleState.OPEN}, None, actors={OFFICE}),
        Transition("close", gettext_lazy("截止本期"), {CycleState.OPEN}, CycleState.CLOSED, actors={OFFICE}),
    ],
    actors=actors_for,
    actor_labels=ACTOR_LABELS,
)


# --- a decision of the weekly meeting ----------------------------------------------------------------

# The stage is derived from the decision (`AgendaItem.stage`): the service records the decision and
# the move bumps the version and saves; a decision carried out through directives is final.
DECISION_WORKFLOW = Workflow(
    transitions=[
        Transition(
            "decide",
            gettext_lazy("记录决定"),
            {DecisionStage.OPEN, DecisionStage.NOTED},
            None,
            actors={OFFICE},
        ),
    ],
    actors=actors_for,
    actor_labels=ACTOR_LABELS,
    state_field="stage",
)
