"""Appeals (申诉) of a published ranking and manual entries (人工评分) with the office's approval."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.views import ListPage, attachment, button, done, find, form_of, form_page

from .. import rules, selectors, services
from ..filters import AppealFilterSet, EntryFilterSet
from ..forms import AppealDecisionForm, AppealForm, DecisionForm, EntryForm
from .common import pages

APPEALS = ListPage(selectors.appeal_list, "assessment/appeal_list.html", filterset_class=AppealFilterSet)
pages.list("appeals/", APPEALS, name="appeal_list")

ENTRIES = ListPage(
    selectors.entry_list,
    "assessment/entry_list.html",
    filterset_class=EntryFilterSet,
    context=lambda request: {"open_periods": selectors.periods_open_for_entries(user=request.user)[:20]},
)
pages.list("entries/", ENTRIES, name="entry_list")


def _period(request, pk, *, may):
    return find(request, selectors.period_list, pk, may=may)


@pages.route("periods/<int:pk>/appeal/")
@login_required
def appeal_create(request, pk):
    """A liaison appeals a line of his unit's published ranking, with evidence, in the 公示 period."""
    period = _period(request, pk, may=rules.may_appeal)
    form = AppealForm(request.POST or None, request.FILES or None, period=period, initial=request.GET)

    def save(form):
        appeal = services.appeal_create(period=period, by=request.user, **form.cleaned_data)
        return done(request, _("已提交申诉，请等待督查室复核。"), "assessment:appeal_detail", appeal.pk)

    return form_page(
        request,
        form,
        save=save,
        title=_("申诉：%(period)s") % {"period": period},
        cancel_url=reverse("assessment:breakdown", args=[period.pk, request.user.unit_id or 0]),
        multipart=True,
    )


@pages.route("appeals/<int:pk>/")
@login_required
def appeal_detail(request, pk):
    appeal = find(request, selectors.appeal_list, pk)
    return render(request, "assessment/appeal_detail.html", {"appeal": appeal, "form": AppealDecisionForm()})


@pages.route("appeals/<int:pk>/evidence/")
@login_required
def appeal_evidence(request, pk):
    appeal = find(request, selectors.appeal_list, pk)
    return attachment(appeal.evidence)


appeal_decide = pages.route("appeals/<int:pk>/decide/", name="appeal_decide")(
    button(
        services.appeal_decide,
        gettext_lazy("已作出复核决定。"),
        select=selectors.appeal_list,
        name="appeal",
        page="assessment:appeal_detail",
        read=form_of(AppealDecisionForm),
    )
)


@pages.route("periods/<int:pk>/entries/new/")
@login_required
def entry_create(request, pk):
    """A named reviewer's score on a manual indicator, with its grounds and evidence."""
    period = find(request, selectors.periods_open_for_entries, pk, may=rules.may_enter_score)
    form = EntryForm(request.POST or None, request.FILES or None, period=period)

    def save(form):
        services.entry_create(period=period, by=request.user, **form.cleaned_data)
        return done(
            request,
            _("已录入评分，待督查室审定。"),
            reverse("assessment:entry_list") + f"?period={period.pk}",
        )

    return form_page(
        request,
        form,
        save=save,
        title=_("录入人工评分：%(period)s") % {"period": period},
        cancel_url=reverse("assessment:ranking", args=[period.pk]),
        multipart=True,
    )


@pages.route("entries/<int:pk>/")
@login_required
def entry_detail(request, pk):
    entry = find(request, selectors.entry_list, pk)
    return render(request, "assessment/entry_detail.html", {"entry": entry})


@pages.route("entries/<int:pk>/evidence/")
@login_required
def entry_evidence(request, pk):
    entry = find(request, selectors.entry_list, pk)
    return attachment(entry.evidence)


def _decide(approve: bool, message):
    def read(request, _entry):
        return {"approve": approve, **form_of(DecisionForm)(request, _entry)}

    return button(
        services.entry_decide,
        message,
        select=selectors.entry_list,
        name="entry",
        page="assessment:entry_detail",
        read=read,
    )


entry_approve = pages.route("entries/<int:pk>/approve/", name="entry_approve")(
    _decide(True, gettext_lazy("已审定。"))
)
entry_reject = pages.route("entries/<int:pk>/reject/", name="entry_reject")(
    _decide(False, gettext_lazy("已退回，不计分。"))
)
