"""Projects: registering and editing them, their shareholders, progress on their steps, leaving the
library, and the government's equity, risk and supporting expenditure (财金〔2015〕21号)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.concurrency import versioned_update
from duban.core.rules import require

from .. import affordability, fiscal, rules, selectors
from ..models import ExpenditurePlan, PPPProject, ProjectStep, Shareholder
from ..steps import PHASE_ORDER, steps_of
from ..workflow import PROJECTS
from .classification import project_reclassify
from .common import check_document, invalid, project_event, saved, step_with_reason, today


@transaction.atomic
def project_create(*, by, shareholders=(), **fields) -> PPPProject:
    require(rules.is_manager, by)
    project = saved(PPPProject(**fields))
    _create_steps(project)
    for holder in shareholders:
        shareholder_add(project=project, by=by, **holder)
    project_event(project, by=by, kind="created", text=_("登记项目"))
    project_reclassify(project=project)
    return project


def _create_steps(project: PPPProject) -> None:
    ProjectStep.objects.bulk_create(
        ProjectStep(project=project, code=step.code, order=index, phase=step.phase)
        for index, step in enumerate(steps_of(project.path), start=1)
    )
    _refresh_position(project)


@transaction.atomic
def project_update(*, project: PPPProject, by, expected_version: int, **fields) -> PPPProject:
    """Edit what a user enters about a project (nothing is written when nothing changed)."""
    require(rules.is_manager, by, project)
    update = versioned_update(project, expected_version=expected_version, fields=fields, by=by)
    current = update.instance
    if not update:
        return current
    if "path" in update.changed:
        # The concession path has other steps: the 113号 dates do not carry over.
        current.steps.all().delete()
        _create_steps(current)
        text = _("实施路径改为“%(path)s”") % {"path": current.get_path_display()}
        project_event(current, by=by, kind="path", text=text)
    project_event(current, by=by, kind="edited", text=update.summary())
    project_reclassify(project=current)
    return current


@transaction.atomic
def project_withdraw(*, project: PPPProject, by, reason: str) -> PPPProject:
    """The project leaves the library (退库) and stops counting in the affordability test."""
    return step_with_reason(
        PROJECTS,
        project,
        "withdraw",
        by=by,
        reason=reason,
        ask=_("请填写退库理由。"),
        say=_("退库：%(reason)s"),
        counted_in_affordability=False,
    )


def shareholder_add(*, project: PPPProject, by, **fields) -> Shareholder:
    require(rules.is_manager, by, project)
    holder = Shareholder(project=project, **fields)
    holder.full_clean()
    total = sum((s.share for s in project.shareholders.all()), Decimal(0)) + holder.share
    if total > 1:
        raise invalid("share", _("股东持股比例合计超过100%。"))
    holder.save()
    return holder


def _refresh_position(project: PPPProject) -> None:
    """The current step is the first one not done; the phase is that step's (the last one's when all are done)."""
    steps = list(project.steps.order_by("order"))
    pending = next((step for step in steps if step.done_on is None), None)
    if pending is not None:
        phase, code = pending.phase, pending.code
    elif steps:
        phase, code = steps[-1].phase, ""
    else:
        phase, code = PHASE_ORDER[0], ""
    if (project.phase, project.current_step) != (phase, code):
        # Derived from the audited step rows, so a plain update is enough.
        PPPProject.objects.filter(pk=project.pk).update(phase=phase, current_step=code)
        project.phase, project.current_step = phase, code


@transaction.atomic
def step_update(
    *, step: ProjectStep, by, planned_on=None, done_on=None, document_title="", document=None, note=""
) -> ProjectStep:
    """Record progress on a step. Liaisons of the implementing agency report the actual date and the
    document; the timetable (planned dates) is set by the finance reviewers and the office."""
    project = step.project
    require(rules.may_report_progress, by, project)
    if planned_on != step.planned_on:
        require(rules.is_manager, by, project, message=_("计划完成日期由财政评审人员或督查室确定。"))
    if done_on and done_on > today():
        raise invalid("done_on", _("实际完成日期不能晚于今天。"))
    check_document(document)
    step.planned_on, step.done_on, step.note, step.document_title = planned_on, done_on, note, document_title
    if document:
        step.document = document
    saved(step)
    _refresh_position(project)
    if done_on:
        text = _("完成步骤：%(step)s（%(date)s）") % {"step": step.name, "date": done_on}
    else:
        text = _("更新步骤：%(step)s") % {"step": step.name}
    project_event(project, by=by, kind="step", text=text)
    project_reclassify(project=project)
    return step


# --- the government's expenditure (财金〔2015〕21号) ---------------------------------------------------


@transaction.atomic
def expenditure_set(
    *, project: PPPProject, by, year: int, kind: str, amount: Decimal
) -> ExpenditurePlan | None:
    """Record the government's equity, risk or supporting expenditure of a year (21号); zero removes it."""
    require(rules.is_manager, by, project)
    plan = ExpenditurePlan.objects.filter(project=project, year=year, kind=kind).first()
    if not amount:
        if plan is not None:
            plan.delete()
        return None
    plan = plan or ExpenditurePlan(project=project, year=year, kind=kind)
    plan.amount = amount
    saved(plan)
    text = _("%(year)d 年度%(kind)s：%(amount)s 万元") % {
        "year": year,
        "kind": plan.get_kind_display(),
        "amount": amount,
    }
    project_event(project, by=by, kind="expenditure", text=text)
    return plan


def _equity(project: PPPProject, **_inputs) -> Decimal:
    if not project.project_capital:
        raise invalid("method", _("请先填写项目资本金。"))
    share = selectors.government_share(project)
    return affordability.equity_expenditure(project_capital=project.project_capital, government_share=share)


def _risk_by_ratio(project, *, base_cost=None, ratio=None, **_inputs) -> Decimal:
    return affordability.risk_by_ratio(base_cost=base_cost or Decimal(0), ratio=ratio or Decimal(0))


def _risk_by_scenarios(project, *, scenarios=None, **_inputs) -> Decimal:
    return affordability.risk_by_scenarios(
        scenarios=[
            affordability.RiskScenario(name=name, expenditure=spent, probability=probability)
            for name, spent, probability in scenarios or []
        ]
    )


def _supporting(project, *, input_cost=None, fees=None, **_inputs) -> Decimal:
    return affordability.supporting_expenditure(
        input_cost=input_cost or Decimal(0), fees_from_social_capital=fees or Decimal(0)
    )


# The methods of 21号: the kind of expenditure each works out, and how.
EXPENDITURE_METHODS = {
    "equity": (ExpenditurePlan.Kind.EQUITY, _equity),
    "risk_ratio": (ExpenditurePlan.Kind.RISK, _risk_by_ratio),
    "risk_scenarios": (ExpenditurePlan.Kind.RISK, _risk_by_scenarios),
    "supporting": (ExpenditurePlan.Kind.SUPPORTING, _supporting),
}


@transaction.atomic
def expenditure_by_method(
    *, project: PPPProject, by, method: str, first_year: int, last_year: int | None = None, **inputs
) -> dict[int, Decimal]:
    """Work out a kind of expenditure by the methods of 财金〔2015〕21号 and record it for each year:

    equity: project capital × the government side's share of the SPV (in `first_year` only);
    risk_ratio: base_cost × ratio (比例法); risk_scenarios: Σ expenditure × probability over `scenarios`
    (情景分析法); supporting: the cost of the government's inputs (`input_cost`) − what the social
    capital pays for them (`fees`).
    """
    require(rules.is_manager, by, project)
    if method not in EXPENDITURE_METHODS:
        raise invalid("method", _("无效的测算方法。"))
    kind, work_out = EXPENDITURE_METHODS[method]
    with fiscal.checked_inputs():
        amount = work_out(project, **inputs).quantize(Decimal("0.01"))
    last = first_year if method == "equity" else (last_year or first_year)
    years = range(first_year, last + 1)
    for year in years:
        expenditure_set(project=project, by=by, year=year, kind=kind, amount=amount)
    return dict.fromkeys(years, amount)
