"""The escalation ladder's pages: the office's morning proposals (issued in bulk from one form), the
leader's approvals of the steps waiting for him, and his two buttons. Declared on the app's `pages`."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.core.forms import cleaned
from duban.core.rules import rule_required
from duban.core.views import done, find, list_page

from . import rules, selectors, services
from .filters import EscalationFilterSet
from .models import EscalationState, EscalationStep
from .views import pages


class IssueForm(forms.Form):
    """The ticked proposals: each must be one of the proposals waiting to be issued."""

    escalations = forms.TypedMultipleChoiceField(label=gettext_lazy("督办提议"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = selectors.escalation_list(user=user).filter(state=EscalationState.PROPOSED)
        self.fields["escalations"].choices = [(pk, pk) for pk in waiting.values_list("pk", flat=True)]


class RefuseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("理由"), max_length=300)


class ApproveForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("审批意见"), max_length=300, required=False)


@pages.route("escalations/")
@office_required
def escalation_proposals(request):
    """The proposals of the morning (待签发 unless the filter says otherwise), to issue in bulk, and the
    ladder's steps that made them."""
    filters = request.GET.copy()
    filters.setdefault("state", EscalationState.PROPOSED)
    rows = selectors.escalation_list(user=request.user, filters=filters)
    return list_page(
        request,
        "directives/escalation_proposals.html",
        rows,
        filterset=EscalationFilterSet(filters, user=request.user),
        steps=EscalationStep.objects.order_by("order"),
        proposed=EscalationState.PROPOSED,
    )


@pages.route("escalations/issue/")
@require_POST
@office_required
def escalations_issue(request):
    chosen = cleaned(IssueForm(request.POST, user=request.user))["escalations"]
    result = services.escalations_issue(escalation_ids=chosen, by=request.user)
    message = _("已印发 %(issued)d 项，报责任领导审批 %(to_leader)d 项。") % result
    return done(request, message, "directives:escalation_proposals")


@pages.route("escalations/approvals/")
@rule_required(rules.approves_escalations)
def escalation_approvals(request):
    """The steps of the ladder waiting for this leader (the red step of his directives)."""
    return list_page(
        request, "directives/escalation_approvals.html", selectors.escalation_approvals(user=request.user)
    )


@pages.route("escalations/<int:pk>/approve/")
@require_POST
@login_required
def escalation_approve(request, pk):
    escalation = find(request, selectors.escalation_list, pk, may=rules.may_approve_escalation)
    services.escalation_approve(escalation=escalation, by=request.user, **cleaned(ApproveForm(request.POST)))
    return done(request, _("已同意，督办单已印发。"), "directives:escalation_approvals")


@pages.route("escalations/<int:pk>/refuse/")
@require_POST
@login_required
def escalation_refuse(request, pk):
    escalation = find(request, selectors.escalation_list, pk, may=rules.may_approve_escalation)
    services.escalation_refuse(escalation=escalation, by=request.user, **cleaned(RefuseForm(request.POST)))
    return done(request, _("已退回督查室。"), "directives:escalation_approvals")
