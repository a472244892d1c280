"""Reading the PPP programme: every list takes the user, applies the data scope and the list's FilterSet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils.translation import gettext as _

from duban.accounts.scope import visible_to
from duban.core.filters import filtered
from duban.organisation.models import Leader

from . import classification
from .filters import (
    RATED,
    CampaignFilterSet,
    ContractFilterSet,
    ObligationFilterSet,
    ProjectFilterSet,
    ReviewFilterSet,
    TaskFilterSet,
)
from .models import (
    BudgetYear,
    ClassChoice,
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
    Shareholder,
    ThresholdSet,
)
from .rules import sees_programme
from .steps import BEFORE_EXECUTION, PHASE_ORDER, Phase

# --- the lists ----------------------------------------------------------------------------------


def _listed(filterset_class, rows: QuerySet, *, user, filters) -> QuerySet:
    """The rows in the user's scope, narrowed by the list's FilterSet (invalid filters left out)."""
    return filtered(filterset_class, visible_to(user, rows), filters, user=user)


def project_list(*, user, filters=None) -> QuerySet[PPPProject]:
    projects = PPPProject.objects.select_related("implementing_agency", "line_department", "county")
    return _listed(ProjectFilterSet, projects, user=user, filters=filters)


def class_counts(*, user) -> list[dict]:
    """How many of the user's projects are in each class (正常推进, 进度滞后, …; one query), as the
    register counts `?project_class=…`: [{"project_class", "label", "count"}]."""
    counts = dict(project_list(user=user).order_by().values_list("project_class").annotate(n=Count("pk")))
    return [
        {"project_class": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in ClassChoice.choices
    ]


def campaign_list(*, user, filters=None) -> QuerySet[ReviewCampaign]:
    """Campaigns for the office, the finance reviewers and the leaders; liaisons follow their own reviews
    from the project page and their rectification tasks."""
    if not sees_programme.test(user):
        return ReviewCampaign.objects.none()
    campaigns = ReviewCampaign.objects.order_by("-year", "-id").annotate(
        review_count=Count("reviews", distinct=True)
    )
    return _listed(CampaignFilterSet, campaigns, user=user, filters=filters)


def review_list(*, user, filters=None) -> QuerySet[ContractReview]:
    related = ("project", "project__implementing_agency", "project__county", "campaign", "reviewer")
    return _listed(
        ReviewFilterSet, ContractReview.objects.select_related(*related), user=user, filters=filters
    )


def task_list(*, user, filters=None) -> QuerySet[RectificationTask]:
    related = ("project", "owner_unit", "review", "review__campaign", "directive")
    return _listed(
        TaskFilterSet, RectificationTask.objects.select_related(*related), user=user, filters=filters
    )


def tasks_awaiting_directive(*, user) -> QuerySet[RectificationTask]:
    """The office's queue: tasks still worked on that no directive carries yet, the longest waiting first."""
    return task_list(user=user, filters={"awaiting_directive": True}).order_by("created_at", "pk")


def overdue_task_list(*, user) -> QuerySet[RectificationTask]:
    """Tasks still worked on whose deadline has passed, the most overdue first."""
    return task_list(user=user, filters={"overdue": True}).order_by("deadline", "pk")


def step_list(*, user) -> QuerySet[ProjectStep]:
    return visible_to(user, ProjectStep.objects.select_related("project__implementing_agency"))


def obligation_list(*, user, filters=None) -> QuerySet[Obligation]:
    obligations = Obligation.objects.select_related("project__implementing_agency")
    return _listed(ObligationFilterSet, obligations, user=user, filters=filters)


def contract_list(*, user, filters=None) -> QuerySet[Contract]:
    return _listed(ContractFilterSet, Contract.objects.all(), user=user, filters=filters)


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


def project_parts(project: PPPProject) -> dict:
    """What the project's page lists under it: shareholders, contracts, payments, reviews, rectification
    tasks and the latest events of its timeline (the obligations come with their steps, see the view)."""
    return {
        "shareholders": project.shareholders.all(),
        "contracts": project.contracts.all(),
        "payment_rule": payment_rule_of(project),
        "payment_years": project.payment_years.all(),
        "reviews": project.reviews.select_related("campaign"),
        "tasks": project.rectification_tasks.select_related("owner_unit"),
        "events": project.events.select_related("by")[:30],
    }


def government_share(project: PPPProject) -> Decimal:
    """The government side's share of the project company (SPV)."""
    holders = project.shareholders.filter(side=Shareholder.Side.GOVERNMENT)
    return sum((holder.share for holder in holders), Decimal(0))


def open_tasks(**filters) -> QuerySet[RectificationTask]:
    """Rectification tasks still worked on (neither accepted nor withdrawn)."""
    return RectificationTask.objects.exclude(state__in=RectificationTask.FINISHED).filter(**filters)


def payment_rule_of(project: PPPProject) -> PaymentRule | None:
    return PaymentRule.objects.filter(project=project).first()


def campaigns_under_way(*, user, limit: int = 3) -> list[tuple[ReviewCampaign, dict]]:
    """The review campaigns under way (the latest first), each with its progress (`campaign_progress`)."""
    campaigns = campaign_list(user=user).filter(state=ReviewCampaign.State.UNDER_WAY)[:limit]
    return [(campaign, campaign_progress(campaign)) for campaign in campaigns]


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


# The best rating a review may have without a confirmation, given its worst finding.
_RATING_ORDER = [
    ContractReview.Rating.GOOD,
    ContractReview.Rating.BASIC,
    ContractReview.Rating.POOR,
    ContractReview.Rating.FAILED,
]
_BEST_RATING_WITH = {
    Finding.Severity.MAJOR: ContractReview.Rating.BASIC,
    Finding.Severity.SERIOUS: ContractReview.Rating.POOR,
}


def findings_at_odds_with(review: ContractReview, rating: str) -> str:
    """The findings that make `rating` too good for the review ("2 个严重问题"), or "" when it fits:
    履约良好 does not go with a 重大 or 严重 finding, 基本履约 not with a 严重 one."""
    if rating not in _RATING_ORDER:
        return ""
    counts = dict(
        review.findings.filter(severity__in=_BEST_RATING_WITH).values_list("severity").annotate(n=Count("pk"))
    )
    too_good = [
        severity
        for severity, best in _BEST_RATING_WITH.items()
        if counts.get(severity) and _RATING_ORDER.index(rating) < _RATING_ORDER.index(best)
    ]
    labels = dict(Finding.Severity.choices)
    return "、".join(
        _("%(n)s 个%(severity)s问题") % {"n": counts[s], "severity": labels[s]} for s in reversed(too_good)
    )


def what_if_candidates(*, user) -> QuerySet[PPPProject]:
    """The projects the "what if" check may add: active, in the user's reach, and not counted already
    (a counted project is in the figures above; adding it again would count it twice)."""
    return project_list(user=user).filter(status=ProjectStatus.ACTIVE, counted_in_affordability=False)


def active_projects() -> QuerySet[PPPProject]:
    return PPPProject.objects.filter(status=ProjectStatus.ACTIVE)


def unlinked_tasks() -> QuerySet[RectificationTask]:
    """Tasks still worked on that no directive carries yet."""
    return open_tasks(directive__isnull=True).order_by("pk")


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
        overdue_tasks=open_tasks(project=project, deadline__lt=today).count(),
        open_major_findings=Finding.objects.filter(
            review__project=project, resolved=False, severity__in=Finding.SERIOUS_ENOUGH
        ).count(),
        arrears=sum((year.arrears for year in project.payment_years.all()), Decimal(0)),
        linked_share=rule.linked_share if rule and rule.formula == PaymentRule.Formula.LINKED_70_30 else None,
        rating_failed=bool(
            latest_review and latest_review.failed and latest_review.state != ContractReview.State.CLOSED
        ),
    )


# The history page (`audit:object_history`) reads these models through the selectors of their own pages.
HISTORY_READERS = {
    PPPProject: project_list,
    ContractReview: review_list,
    RectificationTask: task_list,
    ReviewCampaign: campaign_list,
}


def rectification_counts_by_unit(*, start: date, end: date) -> dict[int, tuple[int, int]]:
    """For the assessment (考核排名), one query over every unit: {owner unit id: (销号 by the deadline, due)}
    of the rectification tasks due in [start, end] (not cancelled)."""
    from django.db.models import F, Q

    tasks = RectificationTask.objects.filter(deadline__range=(start, end)).exclude(
        state=RectificationTask.State.CANCELLED
    )
    on_time = Q(state=RectificationTask.State.DONE, done_on__lte=F("deadline"))
    counts = (
        tasks.order_by().values("owner_unit_id").annotate(total=Count("pk"), done=Count("pk", filter=on_time))
    )
    return {row["owner_unit_id"]: (row["done"], row["total"]) for row in counts}


def rating_counts_by_unit(*, start: date, end: date) -> dict[int, tuple[int, int]]:
    """For the assessment (考核排名), one query over every unit: {implementing agency id: (rated 履约良好 or
    基本履约, rated)} of the contract reviews rated in [start, end].

    The rating is a rate of passing reviews, not a mean score: the model already splits the four grades
    in two (`ContractReview.failed`: 履约较差 and 严重违约 call for rectification), while points per grade
    for a mean are set by no document the platform follows. The implementing agency (实施机构) is the
    unit answering for the government's side of the contract."""
    from django.db.models import Q

    rated = ContractReview.objects.filter(RATED, rated_on__range=(start, end))
    passed = Q(rating__in=(ContractReview.Rating.GOOD, ContractReview.Rating.BASIC))
    counts = (
        rated.order_by()
        .values("project__implementing_agency_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=passed))
    )
    return {row["project__implementing_agency_id"]: (row["done"], row["total"]) for row in counts}


def cockpit_cards(*, user, today: date) -> list:
    """The PPP programme's card of the cockpit: the user's projects classed 需整改, counted with the
    register's own `project_class` filter (one query)."""
    from django.utils.translation import gettext_lazy

    from duban.core.cards import card

    count = project_list(user=user, filters={"project_class": ClassChoice.RECTIFY}).count()
    return [
        card(
            "ppp_rectify",
            gettext_lazy("PPP项目需整改"),
            count,
            page="ppp:project_list",
            api="api:ppp-project-list",
            query={"project_class": ClassChoice.RECTIFY.value},
            tone="red",
        )
    ]
