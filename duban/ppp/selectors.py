"""Reading the PPP programme: every list takes the user, applies the data scope and the list's FilterSet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, QuerySet

from duban.accounts.scope import visible_to
from duban.core.filters import filtered
from duban.organisation.models import Leader

from . import classification
from .filters import (
    CampaignFilterSet,
    ContractFilterSet,
    ObligationFilterSet,
    ProjectFilterSet,
    ReviewFilterSet,
    TaskFilterSet,
)
from .models import (
    BudgetYear,
    ClassificationRules,
    Contract,
    ContractReview,
    Finding,
    Obligation,
    PaymentRule,
    PPPProject,
    ProjectStatus,
    ProjectStep,
    RectificationTask,
    ReviewCampaign,
    ThresholdSet,
)
from .rules import sees_programme
from .steps import BEFORE_EXECUTION, PHASE_ORDER, Phase

# --- the lists ----------------------------------------------------------------------------------


def project_list(*, user, filters=None) -> QuerySet[PPPProject]:
    projects = visible_to(
        user, PPPProject.objects.select_related("implementing_agency", "line_department", "county")
    )
    return filtered(ProjectFilterSet, projects, filters, user=user)


def campaign_list(*, user, filters=None) -> QuerySet[ReviewCampaign]:
    """Campaigns for the office, the finance reviewers and the leaders; liaisons follow their own reviews
    from the project page and their rectification tasks."""
    if not sees_programme.test(user):
        return ReviewCampaign.objects.none()
    campaigns = visible_to(user, ReviewCampaign.objects.order_by("-year", "-id")).annotate(
        review_count=Count("reviews", distinct=True)
    )
    return filtered(CampaignFilterSet, campaigns, filters, user=user)


def review_list(*, user, filters=None) -> QuerySet[ContractReview]:
    reviews = visible_to(
        user,
        ContractReview.objects.select_related(
            "project", "project__implementing_agency", "project__county", "campaign", "reviewer"
        ),
    )
    return filtered(ReviewFilterSet, reviews, filters, user=user)


def task_list(*, user, filters=None) -> QuerySet[RectificationTask]:
    tasks = visible_to(
        user,
        RectificationTask.objects.select_related(
            "project", "owner_unit", "review", "review__campaign", "directive"
        ),
    )
    return filtered(TaskFilterSet, tasks, filters, user=user)


def step_list(*, user) -> QuerySet[ProjectStep]:
    return visible_to(user, ProjectStep.objects.select_related("project__implementing_agency"))


def obligation_list(*, user, filters=None) -> QuerySet[Obligation]:
    obligations = visible_to(user, Obligation.objects.select_related("project__implementing_agency"))
    return filtered(ObligationFilterSet, obligations, filters, user=user)


def contract_list(*, user, filters=None) -> QuerySet[Contract]:
    return filtered(ContractFilterSet, visible_to(user, Contract.objects.all()), filters, user=user)


# --- one project's page ---------------------------------------------------------------------------


def project_phases(project: PPPProject) -> list[dict]:
    """The project's steps by phase, for its timetable: which phases are done, which is current."""
    steps = list(project.steps.all())
    phases = []
    for phase in PHASE_ORDER:
        phase_steps = [step for step in steps if step.phase == phase]
        if phase_steps:
            phases.append(
                {
                    "phase": phase,
                    "label": Phase(phase).label,
                    "steps": phase_steps,
                    "done": all(step.done_on for step in phase_steps),
                    "current": project.phase == phase,
                }
            )
    return phases


def payment_rule_of(project: PPPProject) -> PaymentRule | None:
    return PaymentRule.objects.filter(project=project).first()


def campaign_progress(campaign: ReviewCampaign) -> dict:
    """Counts by state, and the stacked bar of the campaign page: closed, rated (or rectifying), under review."""
    counts = dict.fromkeys(ContractReview.State.values, 0)
    counts.update(campaign.reviews.values_list("state").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    closed = counts[ContractReview.State.CLOSED]
    rated_open = counts[ContractReview.State.RATED] + counts[ContractReview.State.RECTIFYING]

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
        "percent_in_progress": percent(counts[ContractReview.State.IN_PROGRESS]),
    }


def timetable(*, user) -> list[PPPProject]:
    """Projects in the library with their pending steps and open obligations, in two extra queries."""
    return list(
        project_list(user=user)
        .filter(status=ProjectStatus.ACTIVE)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=ProjectStep.objects.filter(done_on__isnull=True).order_by("order"),
                to_attr="pending_steps",
            ),
            Prefetch(
                "obligations",
                queryset=Obligation.objects.filter(state__in=Obligation.PENDING).order_by("due_on"),
                to_attr="open_obligations",
            ),
        )
    )


# --- for the services: the programme as a whole ----------------------------------------------------


def signed_projects() -> QuerySet[PPPProject]:
    """Projects with a signed PPP contract or concession agreement, still in the library."""
    return PPPProject.objects.filter(
        status=ProjectStatus.ACTIVE, contracts__kind__in=[Contract.Kind.MAIN, Contract.Kind.CONCESSION]
    ).distinct()


def counted_projects(*, exclude: PPPProject | None = None) -> list[PPPProject]:
    """The projects the affordability test counts, with their planned expenditure."""
    projects = PPPProject.objects.filter(
        status=ProjectStatus.ACTIVE, counted_in_affordability=True
    ).prefetch_related("expenditure_plans")
    if exclude is not None:
        projects = projects.exclude(pk=exclude.pk)
    return list(projects)


def active_projects() -> QuerySet[PPPProject]:
    return PPPProject.objects.filter(status=ProjectStatus.ACTIVE)


def unlinked_tasks() -> QuerySet[RectificationTask]:
    """Tasks still worked on that no directive carries yet."""
    return (
        RectificationTask.objects.filter(directive__isnull=True)
        .exclude(state__in=RectificationTask.FINISHED)
        .order_by("pk")
    )


def responsible_leader_for(unit, theme) -> Leader | None:
    """The leader whose portfolio holds the unit; among several, the one in charge of the theme."""
    leaders = list(Leader.objects.filter(units=unit, is_active=True).distinct())
    if len(leaders) > 1:
        leaders = [leader for leader in leaders if leader.themes.filter(pk=theme.pk).exists()]
    return leaders[0] if len(leaders) == 1 else None


# --- the dated parameters --------------------------------------------------------------------------


def thresholds_on(day: date) -> ThresholdSet | None:
    return ThresholdSet.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def classification_rules_on(day: date) -> ClassificationRules | None:
    return ClassificationRules.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def budget_years() -> list[BudgetYear]:
    return list(BudgetYear.objects.order_by("year"))


def threshold_list() -> QuerySet[ThresholdSet]:
    return ThresholdSet.objects.order_by("-valid_from")


def rules_list() -> QuerySet[ClassificationRules]:
    return ClassificationRules.objects.order_by("-valid_from")


# --- what the classification looks at ------------------------------------------------------------


def rules_in_force(day: date) -> classification.Rules:
    row = classification_rules_on(day)
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


def _days_late(today: date, dates) -> int:
    return max([0, *((today - day).days for day in dates)])


def project_facts(*, project: PPPProject, today: date) -> classification.Facts:
    steps = list(project.steps.all())
    obligations = project.obligations
    fulfilled = obligations.filter(state=Obligation.State.FULFILLED).aggregate(last=Max("done_on"))["last"]
    done = [step.done_on for step in steps if step.done_on] + ([fulfilled] if fulfilled else [])
    late_obligations = obligations.filter(state__in=Obligation.PENDING, due_on__lt=today)
    rule = payment_rule_of(project)
    latest_review = project.reviews.exclude(rating="").order_by("-campaign__year", "-id").first()
    return classification.Facts(
        before_execution=project.phase in BEFORE_EXECUTION,
        pays_subsidy=project.pays_subsidy,
        last_progress=max(done, default=None) or project.created_at.date(),
        overdue_step_days=_days_late(
            today, [step.planned_on for step in steps if step.planned_on and not step.done_on]
        ),
        overdue_obligation_days=_days_late(today, late_obligations.values_list("due_on", flat=True)),
        overdue_tasks=project.rectification_tasks.exclude(state__in=RectificationTask.FINISHED)
        .filter(deadline__lt=today)
        .count(),
        open_major_findings=Finding.objects.filter(
            review__project=project, resolved=False, severity__in=Finding.SERIOUS_ENOUGH
        ).count(),
        arrears=sum((year.arrears for year in project.payment_years.all()), Decimal(0)),
        linked_share=rule.linked_share if rule and rule.formula == PaymentRule.Formula.LINKED_70_30 else None,
        rating_failed=bool(
            latest_review and latest_review.failed and latest_review.state != ContractReview.State.CLOSED
        ),
    )
