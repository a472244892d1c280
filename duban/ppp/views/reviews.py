"""The contract-performance review: campaigns, one review per signed contract, findings, rating and
the rectification tasks a review calls for."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.forms import cleaned
from duban.core.rules import rule_required
from duban.core.views import ListPage, button, done, find, form_of, form_page, list_page

from .. import rules, selectors, services
from ..filters import CampaignFilterSet, CampaignReviewFilterSet, ReviewFilterSet
from ..forms import CampaignForm, ChecklistFormSet, FindingForm, RatingForm, TaskForm
from ..models import ContractReview
from .common import pages

# Every review the user may read across campaigns (a unit's: its projects'): the assessment's PPP rating records.
pages.list(
    "reviews/all/",
    ListPage(selectors.review_list, "ppp/review_list.html", filterset_class=ReviewFilterSet),
    name="review_list",
)
CAMPAIGNS = ListPage(selectors.campaign_list, "ppp/campaign_list.html", filterset_class=CampaignFilterSet)
pages.list("reviews/", CAMPAIGNS, name="campaign_list", guard=rule_required(rules.sees_programme))


@pages.route("reviews/new/")
@rule_required(rules.is_manager)
def campaign_create(request):
    def save(form):
        campaign = services.campaign_create(by=request.user, **form.cleaned_data)
        return redirect("ppp:campaign_detail", pk=campaign.pk)

    cancel = reverse("ppp:campaign_list")
    return form_page(
        request, CampaignForm(request.POST or None), save=save, title=_("发起履约审查"), cancel_url=cancel
    )


@pages.route("reviews/<int:pk>/")
@rule_required(rules.sees_programme)
def campaign_detail(request, pk):
    campaign = find(request, selectors.campaign_list, pk)
    filters = {**request.GET.dict(), "campaign": campaign.pk}
    reviews = selectors.review_list(user=request.user, filters=filters).prefetch_related("tasks", "findings")
    return list_page(
        request,
        "ppp/campaign_detail.html",
        reviews,
        filterset_class=CampaignReviewFilterSet,
        campaign=campaign,
        progress=selectors.campaign_progress(campaign),
        signed_count=selectors.signed_projects().count() if campaign.state == campaign.State.DRAFT else None,
    )


@pages.route("reviews/<int:pk>/start/")
@require_POST
@login_required
def campaign_start(request, pk):
    count = services.campaign_start(campaign=find(request, selectors.campaign_list, pk), by=request.user)
    return done(request, _("已启动，纳入 %(n)d 个已签约项目。") % {"n": count}, "ppp:campaign_detail", pk=pk)


@pages.route("reviews/<int:pk>/close/")
@require_POST
@login_required
def campaign_close(request, pk):
    services.campaign_close(campaign=find(request, selectors.campaign_list, pk), by=request.user)
    return done(request, _("审查已结束。"), "ppp:campaign_detail", pk=pk)


@pages.route("contract-reviews/<int:pk>/")
@login_required
def review_detail(request, pk):
    """The review's page; the managers record its checklist here."""
    review = find(request, selectors.review_list, pk)
    if request.method == "POST":
        services.require_under_review(review, request.user)
    formset = ChecklistFormSet(request.POST or None, queryset=review.items.all(), prefix="items")
    if request.method == "POST" and formset.is_valid():
        results = {
            form.instance.pk: (form.cleaned_data["result"], form.cleaned_data["note"]) for form in formset
        }
        services.review_check(review=review, by=request.user, results=results)
        return done(request, _("已保存审查清单。"), "ppp:review_detail", pk=pk)
    context = {
        "review": review,
        "formset": formset,
        "findings": review.findings.select_related("item"),
        "tasks": review.tasks.select_related("owner_unit"),
        "finding_form": FindingForm(review=review),
        "rating_form": RatingForm(),
        # Which ratings the findings make too good (shown beside the form; the service asks to confirm).
        "ratings_at_odds": {
            label: text
            for value, label in ContractReview.Rating.choices
            if (text := selectors.findings_at_odds_with(review, value))
        },
        "task_form": TaskForm(review=review),
    }
    return render(request, "ppp/review_detail.html", context)


# A button on the review's page.
_on_review = partial(button, select=selectors.review_list, name="review", page="ppp:review_detail")


def _recorded(form_class):
    """Read a form that records something on the review (a finding, a task): who may, and whether the
    review is still open, is asked before the form is read."""

    def read(request, review):
        services.require_under_review(review, request.user)
        return cleaned(form_class(request.POST, review=review))

    return read


review_rate = pages.route("contract-reviews/<int:pk>/rate/", name="review_rate")(
    _on_review(services.review_rate, gettext_lazy("已评定。"), read=form_of(RatingForm))
)
review_close = pages.route("contract-reviews/<int:pk>/close/", name="review_close")(
    _on_review(services.review_close, gettext_lazy("已办结。"))
)
finding_add = pages.route("contract-reviews/<int:pk>/findings/", name="finding_add")(
    _on_review(services.finding_add, gettext_lazy("已记录问题。"), read=_recorded(FindingForm))
)
task_create = pages.route("contract-reviews/<int:pk>/tasks/", name="task_create")(
    _on_review(services.task_create, gettext_lazy("已下达整改任务。"), read=_recorded(TaskForm))
)
