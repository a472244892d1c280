"""Reading the PPP programme: every function takes the user and applies the data scope."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from duban.accounts.roles import Role
from duban.accounts.scope import is_office, visible_to

from .models import (
    BudgetYear,
    ClassificationRules,
    ContractReview,
    Obligation,
    PPPProject,
    ProjectStatus,
    ProjectStep,
    RectificationTask,
    ReviewCampaign,
    ThresholdSet,
)


def is_manager(user) -> bool:
    """The office and the finance reviewers change PPP data; liaisons only report progress."""
    return bool(user and user.is_authenticated and user.is_active) and (
        is_office(user) or user.role == Role.FINANCE
    )


def sees_programme(user) -> bool:
    """The programme-wide pages (affordability, campaigns) are for the office, finance and the leaders."""
    return is_manager(user) or bool(
        user and user.is_authenticated and user.is_active and user.role == Role.LEADER
    )


def project_list(*, user, filters: dict | None = None) -> QuerySet[PPPProject]:
    projects = visible_to(
        user, PPPProject.objects.select_related("implementing_agency", "line_department", "county")
    )
    filters = filters or {}
    if query := (filters.get("q") or "").strip():
        projects = projects.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(spv_name__icontains=query)
        )
    for name in ("phase", "project_class", "mechanism", "sector", "status", "path"):
        if value := filters.get(name):
            projects = projects.filter(**{name: value})
    if county := filters.get("county"):
        projects = projects.filter(county=county)
    return projects


def project_get(*, user, pk) -> PPPProject:
    return project_list(user=user).get(pk=pk)


def campaign_list(*, user) -> QuerySet[ReviewCampaign]:
    """Campaigns for the office, the finance reviewers and the leaders; liaisons follow their own reviews
    from the project page and their rectification tasks."""
    if not sees_programme(user):
        return ReviewCampaign.objects.none()
    return visible_to(user, ReviewCampaign.objects.order_by("-year", "-id")).annotate(
        review_count=Count("reviews", distinct=True),
    )


def review_list(*, user, campaign: ReviewCampaign | None = None) -> QuerySet[ContractReview]:
    reviews = visible_to(
        user,
        ContractReview.objects.select_related(
            "project", "project__implementing_agency", "project__county", "campaign", "reviewer"
        ),
    )
    if campaign is not None:
        reviews = reviews.filter(campaign=campaign)
    return reviews


def task_list(*, user, filters: dict | None = None) -> QuerySet[RectificationTask]:
    tasks = visible_to(
        user,
        RectificationTask.objects.select_related(
            "project", "owner_unit", "review", "review__campaign", "directive"
        ),
    )
    filters = filters or {}
    if state := filters.get("state"):
        tasks = tasks.filter(state=state)
    return tasks


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
                queryset=Obligation.objects.filter(state__in=["open", "breached"]).order_by("due_on"),
                to_attr="open_obligations",
            ),
        )
    )
