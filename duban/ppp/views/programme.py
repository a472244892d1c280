"""The programme as a whole: fiscal affordability with the "what if" check, the dated parameters, and
the timetable by class."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from duban.core.errors import Invalid
from duban.core.forms import service_errors_into
from duban.core.rules import require, rule_required
from duban.core.views import done

from .. import fiscal, rules, selectors, services
from ..forms import BudgetYearForm, ClassificationRulesForm, ThresholdSetForm, WhatIfForm
from ..models import ClassChoice
from .common import pages

LINES = ("cap", "warning", "gov_pay_gate")


def _percent(ratio) -> float:
    return float(ratio) * 100


def _chart(view: fiscal.ProgrammeView) -> dict:
    """The ratio by year against the three lines, in percent, for the page's chart."""
    thresholds = view.thresholds
    return {
        "years": [year.year for year in view.report.years],
        "ratio": [round(_percent(year.ratio), 3) for year in view.report.years],
        "cap": _percent(thresholds.cap),
        "warning": _percent(thresholds.warning),
        "gate": _percent(thresholds.gov_pay_gate),
        "labels": {
            "ratio": _("支出责任占比"),
            "cap": _("红线"),
            "warning": _("预警线"),
            "gate": _("政府付费项目门槛"),
        },
    }


def _what_if(project) -> dict:
    """The check of a candidate project, or why it cannot be checked yet."""
    missing = fiscal.missing_terms(project)
    if missing:
        return {"what_if_error": _("该项目的补贴测算参数不全：%(fields)s") % {"fields": "、".join(missing)}}
    check = fiscal.what_if(project=project)
    peak = check.after.peak
    return {
        "check": check,
        "refusals": [fiscal.describe_refusal(r.code, r.years) for r in check.refusals],
        "peak_after": peak,
        "peak_after_percent": f"{_percent(peak.ratio):.2f}" if peak is not None else "",
    }


@pages.route("affordability/")
@rule_required(rules.sees_programme)
def affordability(request):
    form = WhatIfForm(request.GET or None, projects=selectors.what_if_candidates(user=request.user))
    context = {"form": form, "no_budget": not selectors.budget_years()}
    if not context["no_budget"]:
        view = fiscal.programme_view()
        context |= {
            "view": view,
            "chart": _chart(view),
            "rows": [{"year": year, "percent": _percent(year.ratio)} for year in view.report.years],
            "lines": {name: f"{_percent(getattr(view.thresholds, name)):g}%" for name in LINES},
        }
        if form.is_bound and form.is_valid():
            context |= _what_if(form.cleaned_data["project"])
    return render(request, "ppp/affordability.html", context)


PARAMETER_FORMS = {
    "thresholds": (ThresholdSetForm, services.threshold_set_save),
    "rules": (ClassificationRulesForm, services.classification_rules_save),
    "budget": (BudgetYearForm, services.budget_year_save),
}


@pages.route("parameters/")
@rule_required(rules.sees_programme)
def parameters(request):
    """The dated lines, classification rules and budget figures; the finance reviewers and the office edit them."""
    forms = {name: form_class(prefix=name) for name, (form_class, _service) in PARAMETER_FORMS.items()}
    if request.method == "POST":
        require(rules.is_manager, request.user)
        name = request.POST.get("which", "")
        if name not in PARAMETER_FORMS:
            raise Invalid(_("无效的参数类型。"))
        form_class, service = PARAMETER_FORMS[name]
        form = forms[name] = form_class(request.POST, prefix=name)
        if form.is_valid():
            with service_errors_into(form):
                service(by=request.user, **form.cleaned_data)
                return done(request, _("已保存。"), "ppp:parameters")
    context = {
        "forms": forms,
        "thresholds": selectors.threshold_list(),
        "rules": selectors.rules_list(),
        "budget_years": selectors.budget_years(),
    }
    return render(request, "ppp/parameters.html", context)


@pages.route("timetable/")
@login_required
def timetable(request):
    """The timetable (推进时间表) per class: each project's next planned step and next due obligation."""
    projects = selectors.timetable(user=request.user)
    groups = [
        {"value": value, "label": label, "projects": [p for p in projects if p.project_class == value]}
        for value, label in ClassChoice.choices
    ]
    return render(request, "ppp/timetable.html", {"groups": groups})
