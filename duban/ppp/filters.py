"""One FilterSet per list of the PPP programme: the selector applies it, the page renders its form, the
Excel export and the API's list read the same query parameters through it."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from duban.accounts.scope import visible_to
from duban.core.filters import ConditionFilter, FilterSet, SearchFilter
from duban.core.widgets import DateInput
from duban.organisation.models import Unit, UnitKind

from .models import (
    ClassChoice,
    Contract,
    ContractReview,
    Mechanism,
    Obligation,
    PPPProject,
    ProjectStatus,
    RectificationTask,
    ReviewCampaign,
    Sector,
)
from .steps import Path, Phase

# A review given its rating (履约良好 … 严重违约): what the assessment's PPP rating counts.
RATED = ~Q(rating="") & Q(rated_on__isnull=False)


class _YesOrAll(BooleanWidget):
    """A yes/all select for a filter that is either asked for or not (the list's shortcuts link to it)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("是")), ("false", _("否")))


def _choice(choices, label, everything, **options):
    return django_filters.ChoiceFilter(choices=choices, label=label, empty_label=everything, **options)


def _visible_projects(user):
    return visible_to(user, PPPProject.objects.all()) if user is not None else PPPProject.objects.none()


class ProjectFilterSet(FilterSet):
    """The register (项目台账): the page, its Excel export and /api/ppp/projects/."""

    q = SearchFilter(fields=["name", "code", "spv_name"], label=_("名称或编号"))
    phase = _choice(Phase.choices, _("阶段"), _("全部阶段"))
    project_class = _choice(ClassChoice.choices, _("分类"), _("全部分类"))
    mechanism = _choice(Mechanism.choices, _("回报机制"), _("全部回报机制"))
    sector = _choice(Sector.choices, _("行业"), _("全部行业"))
    path = _choice(Path.choices, _("实施路径"), _("全部路径"))
    status = _choice(ProjectStatus.choices, _("状态"), _("全部状态"))
    county = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.none(), label=_("所属县区"), empty_label=_("全部县区")
    )

    class Meta:
        model = PPPProject
        fields = ["q", "phase", "project_class", "mechanism", "sector", "path", "status", "county"]

    def narrow_choices(self, user) -> None:
        counties = Unit.objects.filter(kind=UnitKind.COUNTY)
        self.filters["county"].queryset = visible_to(user, counties) if user is not None else counties.none()


class ProjectPartFilterSet(FilterSet):
    """A list of what belongs to projects (tasks, reviews, obligations, contracts), filtered by project
    among others: the projects offered are those the user may see."""

    project = django_filters.ModelChoiceFilter(
        queryset=PPPProject.objects.none(), label=_("项目"), empty_label=_("全部项目")
    )

    def narrow_choices(self, user) -> None:
        self.filters["project"].queryset = _visible_projects(user)


class TaskFilterSet(ProjectPartFilterSet):
    """Rectification tasks (整改任务): the page and /api/ppp/rectification-tasks/."""

    state = _choice(RectificationTask.State.choices, _("状态"), _("全部状态"))
    owner_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(is_active=True), label=_("责任单位"), empty_label=_("全部责任单位")
    )
    # A task still worked on that no directive carries yet: the office's queue.
    awaiting_directive = django_filters.BooleanFilter(
        label=_("待转督办"), method="filter_awaiting_directive", widget=_YesOrAll
    )
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue", widget=_YesOrAll)
    # The assessment's records: a unit's tasks due in a period, not withdrawn (`rectification_counts_by_unit`).
    due_after = django_filters.DateFilter(
        label=_("整改期限起"), field_name="deadline", lookup_expr="gte", widget=DateInput()
    )
    due_before = django_filters.DateFilter(
        label=_("整改期限止"), field_name="deadline", lookup_expr="lte", widget=DateInput()
    )
    cancelled = ConditionFilter(
        label=_("已撤销"), condition=Q(state=RectificationTask.State.CANCELLED), widget=_YesOrAll
    )

    class Meta:
        model = RectificationTask
        fields = [
            "project",
            "state",
            "owner_unit",
            "awaiting_directive",
            "overdue",
            "due_after",
            "due_before",
            "cancelled",
        ]

    def filter_awaiting_directive(self, queryset, name, value):
        if value is None:
            return queryset
        waiting = Q(directive__isnull=True) & ~Q(state__in=RectificationTask.FINISHED)
        return queryset.filter(waiting) if value else queryset.exclude(waiting)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(deadline__lt=timezone.localdate()) & ~Q(state__in=RectificationTask.FINISHED)
        return queryset.filter(late) if value else queryset.exclude(late)


class CampaignFilterSet(FilterSet):
    """Review campaigns (履约审查): the page and /api/ppp/campaigns/."""

    year = django_filters.NumberFilter(label=_("年度"))
    state = _choice(ReviewCampaign.State.choices, _("状态"), _("全部状态"))

    class Meta:
        model = ReviewCampaign
        fields = ["year", "state"]


class ReviewFilterSet(ProjectPartFilterSet):
    """The reviews of a campaign (its page), the review list and /api/ppp/reviews/."""

    campaign = django_filters.ModelChoiceFilter(queryset=ReviewCampaign.objects.all(), label=_("履约审查"))
    state = _choice(ContractReview.State.choices, _("状态"), _("全部状态"))
    rating = _choice(ContractReview.Rating.choices, _("评定等级"), _("全部等级"))
    # The assessment's records: the rated reviews of a unit's projects in a period (`rating_counts_by_unit`).
    implementing_agency = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(),
        field_name="project__implementing_agency",
        label=_("实施机构"),
        empty_label=_("全部实施机构"),
    )
    rated_after = django_filters.DateFilter(
        label=_("评定日期起"), field_name="rated_on", lookup_expr="gte", widget=DateInput()
    )
    rated_before = django_filters.DateFilter(
        label=_("评定日期止"), field_name="rated_on", lookup_expr="lte", widget=DateInput()
    )
    rated = ConditionFilter(label=_("已评定等级"), condition=RATED, widget=_YesOrAll)

    class Meta:
        model = ContractReview
        fields = [
            "campaign",
            "project",
            "state",
            "rating",
            "implementing_agency",
            "rated_after",
            "rated_before",
            "rated",
        ]


# Obligations and contracts are listed as filters only through the API (a project's page lists its own):
# their choice filters are the ones django-filter makes of the fields.


class ObligationFilterSet(ProjectPartFilterSet):
    class Meta:
        model = Obligation
        fields = ["project", "state", "side", "kind"]


class ContractFilterSet(ProjectPartFilterSet):
    class Meta:
        model = Contract
        fields = ["project", "kind"]


class CampaignReviewFilterSet(ReviewFilterSet):
    """The same filters on a campaign's page, where the campaign is the page's own."""

    campaign = None
    implementing_agency = rated_after = rated_before = rated = None

    class Meta(ReviewFilterSet.Meta):
        fields = ["project", "state", "rating"]
