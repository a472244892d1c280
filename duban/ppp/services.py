"""Changing the PPP programme: projects and their progress, contracts, obligations and payments, the
performance review through to rectification, and the classification.

Who may do what: the finance reviewers and the office (`is_manager`) change PPP data; the liaisons
of the implementing agency report progress on their own projects (step dates and documents, obligations
fulfilled); the owner unit of a rectification task reports on it; only the office overrides a class.
Every state change writes an event on the project's timeline.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.scope import is_office, require_change
from duban.core.concurrency import lock_for_update

from . import affordability, classification, selectors
from .checklist import CHECKLIST
from .models import (
    BudgetYear,
    ChecklistItem,
    ClassChoice,
    ClassificationRules,
    Contract,
    ContractReview,
    ExpenditurePlan,
    Finding,
    Obligation,
    PaymentRule,
    PaymentYear,
    PPPProject,
    ProjectEvent,
    ProjectStatus,
    ProjectStep,
    RectificationTask,
    ReviewCampaign,
    Shareholder,
    ThresholdSet,
)
from .payments import PerformancePaymentRule, ScoreBand, payment_due, performance_payment
from .steps import BEFORE_EXECUTION, PHASE_ORDER, steps_of

PROJECT_FIELDS = [
    "code",
    "name",
    "sector",
    "implementing_agency",
    "line_department",
    "county",
    "operation_mode",
    "mechanism",
    "path",
    "total_investment",
    "construction_cost",
    "project_capital",
    "cooperation_years",
    "construction_years",
    "spv_name",
    "spv_established_on",
    "in_library",
    "counted_in_affordability",
    "profit_rate",
    "discount_rate",
    "subsidy_years",
    "operation_start_year",
    "annual_operating_cost",
    "annual_user_fees",
    "psc",
]


def require_manager(user) -> None:
    if not selectors.is_manager(user):
        raise PermissionDenied


def _event(project: PPPProject, *, by, kind: str, text: str) -> None:
    ProjectEvent.objects.create(
        project=project, by=by if getattr(by, "pk", None) else None, kind=kind, text=text
    )


def _today() -> date:
    return timezone.localdate()


# --- projects -----------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, by, shareholders=(), **fields) -> PPPProject:
    require_manager(by)
    project = PPPProject(**fields)
    project.full_clean()
    project.save()
    _create_steps(project)
    for holder in shareholders:
        shareholder_add(project=project, by=by, **holder)
    _event(project, by=by, kind="created", text=_("登记项目"))
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
    require_manager(by)
    current = lock_for_update(project, expected_version=expected_version, submitted=fields)
    path_changed = "path" in fields and fields["path"] != current.path
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    if path_changed:
        # The concession path has other steps: the 113号 dates do not carry over.
        current.steps.all().delete()
        _create_steps(current)
        _event(
            current,
            by=by,
            kind="path",
            text=_("实施路径改为“%(path)s”") % {"path": current.get_path_display()},
        )
    _event(current, by=by, kind="edited", text=_("修改项目信息"))
    project_reclassify(project=current)
    return current


def shareholder_add(*, project: PPPProject, by, **fields) -> Shareholder:
    require_manager(by)
    holder = Shareholder(project=project, **fields)
    holder.full_clean()
    total = sum((s.share for s in project.shareholders.all()), Decimal(0)) + holder.share
    if total > 1:
        raise ValidationError({"share": _("股东持股比例合计超过100%。")})
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
    require_change(by, step)
    if planned_on != step.planned_on and not selectors.is_manager(by):
        raise PermissionDenied
    if done_on and done_on > _today():
        raise ValidationError({"done_on": _("实际完成日期不能晚于今天。")})
    step.planned_on, step.done_on, step.note = planned_on, done_on, note
    step.document_title = document_title
    if document:
        step.document = document
    step.full_clean()
    step.save()
    project = step.project
    _refresh_position(project)
    if done_on:
        _event(
            project,
            by=by,
            kind="step",
            text=_("完成步骤：%(step)s（%(date)s）") % {"step": step.name, "date": done_on},
        )
    else:
        _event(project, by=by, kind="step", text=_("更新步骤：%(step)s") % {"step": step.name})
    project_reclassify(project=project)
    return step


@transaction.atomic
def project_withdraw(*, project: PPPProject, by, reason: str) -> PPPProject:
    require_manager(by)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退库理由。")})
    project.status = ProjectStatus.WITHDRAWN
    project.counted_in_affordability = False
    project.version += 1
    project.save(update_fields=["status", "counted_in_affordability", "version", "modified_at"])
    _event(project, by=by, kind="withdrawn", text=_("退库：%(reason)s") % {"reason": reason})
    return project


def expenditure_set(*, project: PPPProject, by, year: int, kind: str, amount: Decimal) -> ExpenditurePlan:
    """Record the government's equity, risk or supporting expenditure of a year (21号); zero removes it."""
    require_manager(by)
    plan = ExpenditurePlan.objects.filter(project=project, year=year, kind=kind).first()
    if not amount:
        if plan is not None:
            plan.delete()
        return plan
    plan = plan or ExpenditurePlan(project=project, year=year, kind=kind)
    plan.amount = amount
    plan.full_clean()
    plan.save()
    _event(
        project,
        by=by,
        kind="expenditure",
        text=_("%(year)d 年度%(kind)s：%(amount)s 万元")
        % {"year": year, "kind": plan.get_kind_display(), "amount": amount},
    )
    return plan


def expenditure_by_method(
    *,
    project: PPPProject,
    by,
    method: str,
    first_year: int,
    last_year: int | None = None,
    base_cost: Decimal | None = None,
    ratio: Decimal | None = None,
    scenarios: list[tuple[str, Decimal, Decimal]] | None = None,
    input_cost: Decimal | None = None,
    fees: Decimal | None = None,
) -> dict[int, Decimal]:
    """Work out a kind of expenditure by the methods of 财金〔2015〕21号 and record it for each year:

    equity: project capital × the government side's share of the SPV (in `first_year`);
    risk_ratio: base cost × ratio (比例法); risk_scenarios: Σ expenditure × probability (情景分析法);
    supporting: the cost of the government's inputs − what the social capital pays for them.
    """
    require_manager(by)
    try:
        if method == "equity":
            share = sum(
                (s.share for s in project.shareholders.filter(side=Shareholder.Side.GOVERNMENT)), Decimal(0)
            )
            if not project.project_capital:
                raise ValidationError({"method": _("请先填写项目资本金。")})
            amount, kind = (
                affordability.equity_expenditure(
                    project_capital=project.project_capital, government_share=share
                ),
                ExpenditurePlan.Kind.EQUITY,
            )
        elif method == "risk_ratio":
            amount = affordability.risk_by_ratio(base_cost=base_cost or Decimal(0), ratio=ratio or Decimal(0))
            kind = ExpenditurePlan.Kind.RISK
        elif method == "risk_scenarios":
            amount = affordability.risk_by_scenarios(
                scenarios=[
                    affordability.RiskScenario(name=name, expenditure=spent, probability=probability)
                    for name, spent, probability in scenarios or []
                ]
            )
            kind = ExpenditurePlan.Kind.RISK
        elif method == "supporting":
            amount = affordability.supporting_expenditure(
                input_cost=input_cost or Decimal(0), fees_from_social_capital=fees or Decimal(0)
            )
            kind = ExpenditurePlan.Kind.SUPPORTING
        else:
            raise ValidationError({"method": _("无效的测算方法。")})
    except affordability.AffordabilityInputError as error:
        raise ValidationError(
            _("参数 %(field)s 无效：%(message)s") % {"field": error.field, "message": error.message}
        ) from error
    years = (
        range(first_year, (last_year or first_year) + 1)
        if method != "equity"
        else range(first_year, first_year + 1)
    )
    amount = amount.quantize(Decimal("0.01"))
    for year in years:
        expenditure_set(project=project, by=by, year=year, kind=kind, amount=amount)
    return dict.fromkeys(years, amount)


# --- dated parameters ---------------------------------------------------------------------------


def _save_parameter(model, *, by, key: dict, fields: dict):
    require_manager(by)
    row = model.objects.filter(**key).first() or model(**key)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


def threshold_set_save(*, by, valid_from, **fields) -> ThresholdSet:
    """Add the lines in force from a date, or correct the row of that date."""
    return _save_parameter(ThresholdSet, by=by, key={"valid_from": valid_from}, fields=fields)


def classification_rules_save(*, by, valid_from, **fields) -> ClassificationRules:
    return _save_parameter(ClassificationRules, by=by, key={"valid_from": valid_from}, fields=fields)


def budget_year_save(*, by, year, **fields) -> BudgetYear:
    return _save_parameter(BudgetYear, by=by, key={"year": year}, fields=fields)


# --- contracts, payments and obligations ----------------------------------------------------------


def contract_add(*, project: PPPProject, by, **fields) -> Contract:
    require_manager(by)
    contract = Contract(project=project, **fields)
    contract.full_clean()
    contract.save()
    _event(project, by=by, kind="contract", text=_("登记合同：%(title)s") % {"title": contract.title})
    return contract


def payment_rule_set(*, project: PPPProject, by, **fields) -> PaymentRule:
    require_manager(by)
    rule = PaymentRule.objects.filter(project=project).first() or PaymentRule(project=project)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    _event(project, by=by, kind="payment_rule", text=_("设定付费规则"))
    project_reclassify(project=project)
    return rule


def performance_rule(rule: PaymentRule) -> PerformancePaymentRule:
    return PerformancePaymentRule(
        full_payment_score=rule.full_payment_score,
        bands=[
            ScoreBand(
                min_score=Decimal(str(band["min_score"])), coefficient=Decimal(str(band["coefficient"]))
            )
            for band in rule.bands or []
        ],
    )


def amount_due(*, rule: PaymentRule, score: Decimal) -> tuple[Decimal, Decimal]:
    """The coefficient the year's score earns and the amount due under the contract's formula (§2.4)."""
    performance = performance_rule(rule)
    coefficient = performance.coefficient(score=score)
    if rule.formula == PaymentRule.Formula.LINKED_70_30:
        due = performance_payment(
            construction_payment=rule.annual_construction_payment,
            operating_cost=rule.annual_operating_payment,
            construction_coefficient=coefficient,
            operating_coefficient=coefficient,
            linked_share=rule.linked_share,
        )
    else:
        due = payment_due(
            rule=performance,
            score=score,
            full_amount=rule.annual_construction_payment + rule.annual_operating_payment,
        )
    return coefficient, due.quantize(Decimal("0.01"))


@transaction.atomic
def payment_year_record(
    *, project: PPPProject, by, year: int, score=None, budgeted=Decimal(0), paid=Decimal(0), due=None
) -> PaymentYear:
    """Record a year's score, budget and payment; the amount due follows from the score and the rule."""
    require_manager(by)
    record = PaymentYear.objects.filter(project=project, year=year).first() or PaymentYear(
        project=project, year=year
    )
    record.score, record.budgeted, record.paid = score, budgeted, paid
    rule = PaymentRule.objects.filter(project=project).first()
    if score is not None and rule is not None:
        record.coefficient, record.due = amount_due(rule=rule, score=Decimal(score))
    elif due is not None:
        record.due = due
    record.full_clean()
    record.save()
    _event(
        project,
        by=by,
        kind="payment",
        text=_("%(year)d 年度付费：应付 %(due)s，已付 %(paid)s 万元")
        % {"year": year, "due": record.due, "paid": paid},
    )
    project_reclassify(project=project)
    return record


def obligation_create(*, project: PPPProject, by, **fields) -> Obligation:
    require_manager(by)
    obligation = Obligation(project=project, **fields)
    obligation.full_clean()
    obligation.save()
    _event(project, by=by, kind="obligation", text=_("新增合同义务：%(title)s") % {"title": obligation.title})
    project_reclassify(project=project)
    return obligation


# Who may move an obligation between states: "progress" = the implementing agency's liaisons and the
# managers; "manager" = the finance reviewers and the office only.
OBLIGATION_TRANSITIONS = {
    (Obligation.State.OPEN, Obligation.State.FULFILLED): "progress",
    (Obligation.State.BREACHED, Obligation.State.FULFILLED): "progress",
    (Obligation.State.OPEN, Obligation.State.BREACHED): "manager",
    (Obligation.State.OPEN, Obligation.State.WAIVED): "manager",
    (Obligation.State.FULFILLED, Obligation.State.OPEN): "manager",
}


@transaction.atomic
def obligation_transition(
    *, obligation: Obligation, by, state: str, done_on=None, note: str = ""
) -> Obligation:
    who = OBLIGATION_TRANSITIONS.get((obligation.state, state))
    if who is None:
        raise ValidationError(_("不能从“%(from)s”改为该状态。") % {"from": obligation.get_state_display()})
    if who == "manager":
        require_manager(by)
    else:
        require_change(by, obligation)
    obligation.state = state
    obligation.done_on = (done_on or _today()) if state == Obligation.State.FULFILLED else None
    if note:
        obligation.note = note
    obligation.full_clean()
    obligation.save()
    _event(
        obligation.project,
        by=by,
        kind="obligation",
        text=_("义务“%(title)s”：%(state)s")
        % {"title": obligation.title, "state": obligation.get_state_display()},
    )
    project_reclassify(project=obligation.project)
    return obligation


# --- classification -----------------------------------------------------------------------------


def rules_in_force(day: date) -> classification.Rules:
    row = selectors.classification_rules_on(day)
    if row is None:
        return classification.Rules()
    return classification.Rules(
        slow_days=row.slow_days,
        stalled_days=row.stalled_days,
        rectify_overdue_tasks=row.rectify_overdue_tasks,
        rectify_on_major_findings=row.rectify_on_major_findings,
        rectify_on_arrears=row.rectify_on_arrears,
        withdraw_idle_days=row.withdraw_idle_days,
        minimum_linked_share=row.minimum_linked_share,
    )


def project_facts(*, project: PPPProject, today: date) -> classification.Facts:
    steps = list(project.steps.all())
    done_dates = [step.done_on for step in steps if step.done_on]
    fulfilled = project.obligations.filter(state=Obligation.State.FULFILLED).aggregate(last=Max("done_on"))[
        "last"
    ]
    last_progress = (
        max([*done_dates, *([fulfilled] if fulfilled else [])], default=None) or project.created_at.date()
    )
    late_steps = [(today - step.planned_on).days for step in steps if step.planned_on and not step.done_on]
    late_obligations = [
        (today - due_on).days
        for due_on in project.obligations.filter(
            state__in=[Obligation.State.OPEN, Obligation.State.BREACHED], due_on__lt=today
        ).values_list("due_on", flat=True)
    ]
    rule = PaymentRule.objects.filter(project=project).first()
    latest_review = project.reviews.exclude(rating="").order_by("-campaign__year", "-id").first()
    arrears = sum((year.arrears for year in project.payment_years.all()), Decimal(0))
    return classification.Facts(
        before_execution=project.phase in BEFORE_EXECUTION,
        pays_subsidy=project.pays_subsidy,
        last_progress=last_progress,
        overdue_step_days=max([0, *late_steps]),
        overdue_obligation_days=max([0, *late_obligations]),
        overdue_tasks=project.rectification_tasks.exclude(state__in=RectificationTask.FINISHED)
        .filter(deadline__lt=today)
        .count(),
        open_major_findings=Finding.objects.filter(
            review__project=project,
            resolved=False,
            severity__in=[Finding.Severity.MAJOR, Finding.Severity.SERIOUS],
        ).count(),
        arrears=arrears,
        linked_share=rule.linked_share if rule and rule.formula == PaymentRule.Formula.LINKED_70_30 else None,
        rating_failed=bool(
            latest_review and latest_review.failed and latest_review.state != ContractReview.State.CLOSED
        ),
    )


def _reason_as_json(reason: classification.Reason) -> dict:
    return {
        "code": reason.code,
        "class": str(reason.suggests),
        "params": {
            key: str(value) if isinstance(value, Decimal) else value for key, value in reason.params.items()
        },
    }


def describe_reason(reason: dict) -> str:
    """One classification reason in the user's language."""
    params = reason.get("params", {})
    texts = {
        "fixed_obligation": _(
            "与运营绩效挂钩的建设成本比例 %(share)s 低于 %(minimum)s，属固化政府支出责任（财办金〔2017〕92号）"
        ),
        "idle_before_execution": _("尚未进入执行阶段，已 %(days)s 天无进展"),
        "overdue_tasks": _("%(count)s 项整改任务逾期未完成"),
        "major_findings": _("%(count)s 个重大或严重问题尚未整改"),
        "arrears": _("政府付费欠付 %(amount)s 万元"),
        "review_failed": _("最近一次履约审查评定为履约较差或严重违约"),
        "late": _("计划节点或合同义务最长逾期 %(days)s 天"),
        "idle": _("尚未进入执行阶段，已 %(days)s 天无进展"),
    }
    text = texts.get(reason.get("code"), reason.get("code", ""))
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text


def project_reclassify(*, project: PPPProject, today: date | None = None) -> PPPProject:
    """Apply the rules in force; the office's override, when set, stays the project's class."""
    today = today or _today()
    result = classification.classify(
        facts=project_facts(project=project, today=today), rules=rules_in_force(today), today=today
    )
    computed = str(result.project_class)
    reasons = [_reason_as_json(reason) for reason in result.reasons]
    effective = project.override_class or computed
    if (project.computed_class, project.computed_reasons, project.project_class) != (
        computed,
        reasons,
        effective,
    ):
        project.computed_class, project.computed_reasons, project.project_class = computed, reasons, effective
        project.classified_at = timezone.now()
        PPPProject.objects.filter(pk=project.pk).update(
            computed_class=computed,
            computed_reasons=reasons,
            project_class=effective,
            classified_at=project.classified_at,
        )
    return project


def programme_reclassify(*, by=None, today: date | None = None) -> int:
    """Reclassify every project in the library (dates move on even when nothing is edited)."""
    if by is not None:
        require_manager(by)
    count = 0
    for project in PPPProject.objects.filter(status=ProjectStatus.ACTIVE):
        project_reclassify(project=project, today=today)
        count += 1
    return count


RECLASSIFY_SCHEDULE = "ppp.reclassify"
RECLASSIFY_FUNC = "duban.ppp.services.programme_reclassify_job"


def programme_reclassify_job() -> int:
    """The daily django-q2 schedule's entry point: overdue counts move with the date."""
    from duban.audit.context import audit_context
    from duban.audit.models import Channel

    with audit_context(channel=Channel.SYSTEM):
        return programme_reclassify()


def ensure_reclassify_schedule(schedule_model=None) -> bool:
    """Create the daily schedule if it is missing (idempotent); True when it was created.

    The data migration passes its historical Schedule model; elsewhere the current one is used."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    zone = ZoneInfo(settings.TIME_ZONE)
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    _schedule, created = schedule_model.objects.get_or_create(
        name=RECLASSIFY_SCHEDULE,
        defaults={
            "func": RECLASSIFY_FUNC,
            "schedule_type": "D",
            # After the directives' lights (00:05), before anyone starts work.
            "next_run": datetime.combine(tomorrow, time(0, 20), tzinfo=zone),
            "repeats": -1,
        },
    )
    return created


@transaction.atomic
def project_override_class(*, project: PPPProject, by, project_class: str, reason: str) -> PPPProject:
    """The office sets (or, with an empty class, clears) the class by hand, with a reason."""
    if not is_office(by):
        raise PermissionDenied
    if project_class and project_class not in ClassChoice.values:
        raise ValidationError({"project_class": _("无效的分类。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写调整理由。")})
    project.override_class = project_class
    project.override_reason = reason if project_class else ""
    project.override_by = by if project_class else None
    project.override_at = timezone.now() if project_class else None
    project.project_class = project_class or project.computed_class
    project.version += 1
    project.save(
        update_fields=[
            "override_class",
            "override_reason",
            "override_by",
            "override_at",
            "project_class",
            "version",
            "modified_at",
        ]
    )
    if project_class:
        text = _("督查室调整分类为“%(cls)s”：%(reason)s") % {
            "cls": project.get_project_class_display(),
            "reason": reason,
        }
    else:
        text = _("督查室取消人工分类：%(reason)s") % {"reason": reason}
    _event(project, by=by, kind="class", text=text)
    return project


# --- the performance review ---------------------------------------------------------------------


def campaign_create(*, by, **fields) -> ReviewCampaign:
    require_manager(by)
    campaign = ReviewCampaign(created_by=by, **fields)
    campaign.full_clean()
    campaign.save()
    return campaign


def signed_projects():
    """Projects with a signed PPP contract or concession agreement, still in the library."""
    return PPPProject.objects.filter(
        status=ProjectStatus.ACTIVE, contracts__kind__in=[Contract.Kind.MAIN, Contract.Kind.CONCESSION]
    ).distinct()


@transaction.atomic
def campaign_start(*, campaign: ReviewCampaign, by) -> int:
    """Open a review with the §2.4 checklist for every signed contract; returns the number of reviews."""
    require_manager(by)
    if campaign.state != ReviewCampaign.State.DRAFT:
        raise ValidationError(_("审查已启动。"))
    count = 0
    for project in signed_projects():
        review = ContractReview.objects.create(campaign=campaign, project=project)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(review=review, code=code, section=section, text=str(text))
            for code, section, text in CHECKLIST
        )
        _event(project, by=by, kind="review", text=_("纳入履约审查：%(name)s") % {"name": campaign.name})
        count += 1
    campaign.state = ReviewCampaign.State.UNDER_WAY
    campaign.started_on = _today()
    campaign.save()
    return count


def _require_open(review: ContractReview) -> None:
    if review.campaign.state != ReviewCampaign.State.UNDER_WAY:
        raise ValidationError(_("该审查未在进行中。"))


@transaction.atomic
def review_check(*, review: ContractReview, by, results: dict[int, tuple[str, str]]) -> ContractReview:
    """Record checklist results: {item id: (result, note)}."""
    require_manager(by)
    _require_open(review)
    if review.state in (ContractReview.State.CLOSED,):
        raise ValidationError(_("该审查已办结。"))
    items = {item.pk: item for item in review.items.all()}
    for pk, (result, note) in results.items():
        item = items.get(pk)
        if item is None:
            continue
        if (item.result, item.note) != (result, note):
            item.result, item.note = result, note
            item.full_clean()
            item.save()
    if review.state == ContractReview.State.PENDING:
        review.state = ContractReview.State.IN_PROGRESS
        review.reviewer = by
        review.save()
    return review


def finding_add(*, review: ContractReview, by, severity: str, description: str, item=None) -> Finding:
    require_manager(by)
    _require_open(review)
    finding = Finding(review=review, severity=severity, description=description, item=item)
    finding.full_clean()
    finding.save()
    _event(
        review.project, by=by, kind="finding", text=_("审查发现问题：%(text)s") % {"text": description[:80]}
    )
    project_reclassify(project=review.project)
    return finding


@transaction.atomic
def review_rate(*, review: ContractReview, by, rating: str, conclusion: str) -> ContractReview:
    require_manager(by)
    _require_open(review)
    if review.state not in (ContractReview.State.PENDING, ContractReview.State.IN_PROGRESS):
        raise ValidationError(_("该审查已评定。"))
    if review.items.filter(result=ChecklistItem.Result.UNCHECKED).exists():
        raise ValidationError(_("审查清单尚有未检查的项目。"))
    review.rating, review.conclusion = rating, conclusion
    review.reviewer = by
    review.rated_on = _today()
    review.state = (
        ContractReview.State.RECTIFYING
        if review.tasks.exclude(state__in=RectificationTask.FINISHED).exists()
        else ContractReview.State.RATED
    )
    review.full_clean()
    review.save()
    _event(
        review.project,
        by=by,
        kind="review",
        text=_("履约审查评定：%(rating)s") % {"rating": review.get_rating_display()},
    )
    project_reclassify(project=review.project)
    return review


# --- rectification tasks and their directives ---------------------------------------------------
#
# Every rectification task is carried by a directive (督办事项) assigned to its owner unit, so it gets
# the lights, reminders and weekly reporting of every directive. Directives are issued, closed and
# cancelled by the supervision office only (duban.directives.services), so a task the finance
# reviewers create waits for the office to link it ("转为督办事项", or `duban ppp link-rectification`),
# and once linked the office accepts, returns, reschedules and withdraws it.

PPP_THEME_CODE = "ppp"


def ppp_theme():
    from duban.organisation.models import Theme

    theme, _created = Theme.objects.get_or_create(
        code=PPP_THEME_CODE, defaults={"name": _("PPP项目"), "keywords": ["PPP", "政府和社会资本合作"]}
    )
    return theme


def responsible_leader_for(unit, theme):
    """The leader whose portfolio holds the unit; among several, the one in charge of the theme."""
    from duban.organisation.models import Leader

    leaders = list(Leader.objects.filter(units=unit, is_active=True).distinct())
    if len(leaders) > 1:
        leaders = [leader for leader in leaders if leader.themes.filter(pk=theme.pk).exists()]
    return leaders[0] if len(leaders) == 1 else None


def task_url(task: RectificationTask) -> str:
    return reverse("ppp:task_detail", args=[task.pk])


def _directive_fields(task: RectificationTask) -> dict:
    theme = ppp_theme()
    title = _("PPP项目整改：%(project)s — %(title)s") % {"project": task.project.name, "title": task.title}
    content = task.requirement
    if task.finding_id:
        content = "\n\n".join(
            part
            for part in (task.requirement, _("审查发现：%(text)s") % {"text": task.finding.description})
            if part
        )
    campaign = task.review.campaign.name
    link = task_url(task)
    note = _("%(campaign)s · 整改任务 %(link)s") % {"campaign": campaign, "link": link}
    if len(note) > 200:
        # Keep the link whole: it is the way back to the task.
        note = _("%(campaign)s · 整改任务 %(link)s") % {"campaign": campaign[: 200 - len(note)], "link": link}
    serious = task.finding_id and task.finding.severity != Finding.Severity.MINOR
    return {
        "title": title[:200],
        "content": content,
        "source_note": note[:200],
        "theme": theme,
        "lead_unit": task.owner_unit,
        "responsible_leader": responsible_leader_for(task.owner_unit, theme),
        "deadline": task.deadline,
        "priority": "important" if serious else "normal",
    }


def _require_directive_office(by, task: RectificationTask) -> None:
    """A task carried by a directive is accepted, returned, rescheduled and withdrawn by the office."""
    if task.directive_id and not is_office(by):
        raise PermissionDenied(_("该整改任务已转为督办事项，由督查室办理验收、退回、调整期限和撤销。"))


def _linked_directive(task: RectificationTask):
    """The directive carrying the task, read afresh (a cached one may be a transition behind)."""
    from duban.directives.selectors import linked_directive

    return linked_directive(task.directive_id)


def _directive_step(service, **kwargs):
    """Run a directives transition, turning its refusal into a message the page can show."""
    from duban.core.errors import DomainError

    try:
        return service(**kwargs)
    except DomainError as refusal:
        raise ValidationError(refusal.message) from refusal


@transaction.atomic
def task_link(*, task: RectificationTask, by) -> RectificationTask:
    """Create and assign the directive carrying an open task (idempotent: a linked task is left alone)."""
    from duban.directives.services import directive_create_from

    if not is_office(by):
        raise PermissionDenied
    task = RectificationTask.objects.select_for_update().get(pk=task.pk)
    if task.directive_id or task.state in RectificationTask.FINISHED:
        return task
    directive = directive_create_from(by=by, source="key_work", assign=True, **_directive_fields(task))
    task.directive = directive
    task.version += 1
    task.save(update_fields=["directive", "version"])
    _event(
        task.project,
        by=by,
        kind="task",
        text=_("整改任务转为督办事项：%(title)s") % {"title": task.title},
    )
    return task


def tasks_link(*, by) -> int:
    """Link every open task without a directive; returns how many were linked."""
    if not is_office(by):
        raise PermissionDenied
    count = 0
    pending = RectificationTask.objects.filter(directive__isnull=True).exclude(
        state__in=RectificationTask.FINISHED
    )
    for task in pending.order_by("pk"):
        task_link(task=task, by=by)
        count += 1
    return count


@transaction.atomic
def task_create(
    *, review: ContractReview, by, owner_unit, title: str, deadline: date, requirement: str = "", finding=None
) -> RectificationTask:
    require_manager(by)
    _require_open(review)
    if review.state == ContractReview.State.CLOSED:
        raise ValidationError(_("该审查已办结。"))
    task = RectificationTask(
        review=review,
        project=review.project,
        finding=finding,
        owner_unit=owner_unit,
        title=title,
        requirement=requirement,
        deadline=deadline,
    )
    task.full_clean()
    task.save()
    if review.state == ContractReview.State.RATED:
        review.state = ContractReview.State.RECTIFYING
        review.save()
    _event(
        review.project,
        by=by,
        kind="task",
        text=_("下达整改任务：%(title)s（%(unit)s，%(deadline)s 前）")
        % {"title": title, "unit": owner_unit, "deadline": deadline},
    )
    if is_office(by):
        task = task_link(task=task, by=by)
    project_reclassify(project=review.project)
    return task


@transaction.atomic
def task_submit(*, task: RectificationTask, by, response: str, expected_version: int) -> RectificationTask:
    """The owner unit reports the rectification done; the finance reviewers then accept or return it.

    When the owner unit's liaison reports on a task carried by a directive, the directive asks for
    completion too, so the office sees the request on either page."""
    from duban.directives.rules import may_request_completion
    from duban.directives.services import directive_request_completion

    require_change(by, task)
    current = lock_for_update(task, expected_version=expected_version, submitted={"response": response})
    if current.state != RectificationTask.State.OPEN:
        raise ValidationError(_("该任务不在整改中。"))
    if not response.strip():
        raise ValidationError({"response": _("请填写整改情况。")})
    current.response, current.state, current.submitted_on = (
        response,
        RectificationTask.State.SUBMITTED,
        _today(),
    )
    current.version += 1
    current.save()
    directive = _linked_directive(current)
    if directive is not None and may_request_completion(by, directive):
        _directive_step(directive_request_completion, directive=directive, by=by, note=response)
    _event(current.project, by=by, kind="task", text=_("报送整改情况：%(title)s") % {"title": current.title})
    return current


def _task_finished(task: RectificationTask) -> None:
    """After a task is accepted or withdrawn: its finding and its review may be done."""
    if (
        task.finding_id
        and task.state == RectificationTask.State.DONE
        and not task.finding.tasks.exclude(state__in=RectificationTask.FINISHED).exists()
    ):
        task.finding.resolved = True
        task.finding.save(update_fields=["resolved"])
    review = task.review
    if (
        review.state == ContractReview.State.RECTIFYING
        and not review.tasks.exclude(state__in=RectificationTask.FINISHED).exists()
    ):
        review.state = ContractReview.State.RATED
        review.save()


def _close_directive(directive, *, by, note: str) -> None:
    from duban.directives.services import directive_finish

    _directive_step(directive_finish, directive=directive, by=by, note=note)


@transaction.atomic
def task_accept(*, task: RectificationTask, by, note: str = "") -> RectificationTask:
    require_manager(by)
    _require_directive_office(by, task)
    if task.state != RectificationTask.State.SUBMITTED:
        raise ValidationError(_("该任务尚未报送。"))
    task.state, task.done_on = RectificationTask.State.DONE, _today()
    task.version += 1
    task.save()
    _task_finished(task)
    if task.directive_id:
        note = (note or "").strip() or _("%(campaign)s整改任务验收销号：%(title)s") % {
            "campaign": task.review.campaign.name,
            "title": task.title,
        }
        _close_directive(_linked_directive(task), by=by, note=note)
    _event(task.project, by=by, kind="task", text=_("整改任务销号：%(title)s") % {"title": task.title})
    project_reclassify(project=task.project)
    return task


@transaction.atomic
def task_return(*, task: RectificationTask, by, reason: str) -> RectificationTask:
    from duban.directives.rules import may_return
    from duban.directives.services import directive_return

    require_manager(by)
    _require_directive_office(by, task)
    if task.state != RectificationTask.State.SUBMITTED:
        raise ValidationError(_("该任务尚未报送。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    task.state = RectificationTask.State.OPEN
    task.version += 1
    task.save()
    directive = _linked_directive(task)
    if directive is not None and may_return(by, directive):
        _directive_step(directive_return, directive=directive, by=by, note=reason)
    _event(
        task.project,
        by=by,
        kind="task",
        text=_("退回整改任务：%(title)s（%(reason)s）") % {"title": task.title, "reason": reason},
    )
    return task


@transaction.atomic
def task_reschedule(
    *, task: RectificationTask, by, deadline: date, expected_version: int, reason: str = ""
) -> RectificationTask:
    """Change the task's deadline; the directive carrying it gets the same deadline."""
    from duban.directives.rules import may_edit_directive
    from duban.directives.services import directive_update

    require_manager(by)
    _require_directive_office(by, task)
    current = lock_for_update(task, expected_version=expected_version, submitted={"deadline": deadline})
    if current.state in RectificationTask.FINISHED:
        raise ValidationError(_("已销号或已撤销的任务不能调整期限。"))
    if deadline == current.deadline:
        return current
    old = current.deadline
    current.deadline = deadline
    current.version += 1
    current.full_clean()
    current.save()
    directive = _linked_directive(current)
    if directive is not None and may_edit_directive(by, directive):
        directive_update(directive=directive, by=by, expected_version=directive.version, deadline=deadline)
    text = _("整改期限调整：%(title)s（%(old)s → %(new)s）") % {
        "title": current.title,
        "old": old,
        "new": deadline,
    }
    if reason.strip():
        text = f"{text} {reason.strip()}"[:500]
    _event(current.project, by=by, kind="task", text=text)
    project_reclassify(project=current.project)
    return current


@transaction.atomic
def task_cancel(*, task: RectificationTask, by, reason: str) -> RectificationTask:
    """Withdraw a task that is no longer needed; the directive carrying it is cancelled with the reason."""
    from duban.directives.rules import may_cancel
    from duban.directives.services import directive_cancel

    require_manager(by)
    _require_directive_office(by, task)
    if task.state in RectificationTask.FINISHED:
        raise ValidationError(_("该任务已销号或已撤销。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤销理由。")})
    task.state = RectificationTask.State.CANCELLED
    task.version += 1
    task.save()
    _task_finished(task)
    directive = _linked_directive(task)
    if directive is not None and may_cancel(by, directive):
        _directive_step(directive_cancel, directive=directive, by=by, note=reason)
    _event(
        task.project,
        by=by,
        kind="task",
        text=_("撤销整改任务：%(title)s（%(reason)s）") % {"title": task.title, "reason": reason},
    )
    project_reclassify(project=task.project)
    return task


@transaction.atomic
def review_close(*, review: ContractReview, by) -> ContractReview:
    require_manager(by)
    if review.state != ContractReview.State.RATED:
        raise ValidationError(_("评定完成且整改任务全部销号后才能办结。"))
    # A major problem is closed only by an accepted rectification task, never by closing the review.
    if review.findings.filter(
        resolved=False, severity__in=[Finding.Severity.MAJOR, Finding.Severity.SERIOUS]
    ).exists():
        raise ValidationError(_("仍有重大问题未整改销号。"))
    review.state = ContractReview.State.CLOSED
    review.save()
    _event(review.project, by=by, kind="review", text=_("履约审查办结"))
    project_reclassify(project=review.project)
    return review


@transaction.atomic
def campaign_close(*, campaign: ReviewCampaign, by) -> ReviewCampaign:
    require_manager(by)
    if campaign.state != ReviewCampaign.State.UNDER_WAY:
        raise ValidationError(_("该审查未在进行中。"))
    if campaign.reviews.exclude(state=ContractReview.State.CLOSED).exists():
        raise ValidationError(_("尚有项目未办结。"))
    campaign.state, campaign.closed_on = ReviewCampaign.State.CLOSED, _today()
    campaign.save()
    return campaign


def campaign_progress(campaign: ReviewCampaign, reviews) -> dict:
    """Counts by state, and the stacked bar of the campaign page: closed, rated (or rectifying), under review."""
    counts = dict.fromkeys(ContractReview.State.values, 0)
    for review in reviews:
        counts[review.state] += 1
    total = sum(counts.values())
    closed = counts[ContractReview.State.CLOSED]
    rated_open = counts[ContractReview.State.RATED] + counts[ContractReview.State.RECTIFYING]
    in_progress = counts[ContractReview.State.IN_PROGRESS]

    def percent(count: int) -> int:
        return round(100 * count / total) if total else 0

    return {
        "total": total,
        "counts": counts,
        "rated": closed + rated_open,
        "closed": closed,
        "rectifying": counts[ContractReview.State.RECTIFYING],
        "percent_closed": percent(closed),
        "percent_rated_open": percent(rated_open),
        "percent_in_progress": percent(in_progress),
    }
