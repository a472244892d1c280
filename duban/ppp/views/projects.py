"""The register and the project page, with the managers' forms for a project's parts and the progress
its implementing agency reports."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.forms import cleaned, service_errors_into
from duban.core.rules import require, rule_required
from duban.core.views import ListPage, button, done, find, form_of, form_page, import_page

from .. import exchange, fiscal, rules, selectors, services
from ..filters import ProjectFilterSet
from ..forms import (
    ContractForm,
    ExpenditureForm,
    ExpenditureMethodForm,
    ObligationForm,
    ObligationStateForm,
    OverrideForm,
    PaymentRuleForm,
    PaymentYearForm,
    ProjectForm,
    ShareholderForm,
    StepForm,
)
from ..models import PaymentRule
from ..workflow import OBLIGATIONS
from .common import pages, reason

PART_FORM = "ppp/part_form.html"
PROJECT_PAGE = "ppp:project_detail"


REGISTER = ListPage(
    selectors.project_list,
    "ppp/project_list.html",
    filterset_class=ProjectFilterSet,
    workbook=exchange.register_to_excel,
    filename=gettext_lazy("PPP项目台账.xlsx"),
)
pages.list("", REGISTER, name="project_list", export="project_export")


@pages.route("import/")
@login_required
def project_import(request):
    return import_page(
        request,
        exchange.RegisterImport(),
        title=_("导入PPP项目台账"),
        help_text=_(
            "表头：%(columns)s。按项目编号新增或更新；任何一行有错，全部不保存。可先导出现有台账作为模板。"
        )
        % {"columns": "、".join(exchange.REGISTER_COLUMNS)},
        success_url=reverse("ppp:project_list"),
    )


@pages.route("new/")
@rule_required(rules.is_manager)
def project_create(request):
    def save(form):
        project = services.project_create(by=request.user, **form.changes)
        return done(
            request, _("已登记项目“%(name)s”。") % {"name": project.name}, "ppp:project_detail", pk=project.pk
        )

    form = ProjectForm(request.POST or None)
    return form_page(request, form, save=save, title=_("登记PPP项目"), cancel_url=reverse("ppp:project_list"))


@pages.route("<int:pk>/edit/")
@login_required
def project_edit(request, pk):
    project = find(request, selectors.project_list, pk, may=rules.is_manager)

    def save(form):
        services.project_update(
            project=project, by=request.user, expected_version=form.version, **form.changes
        )
        return done(request, _("已保存。"), "ppp:project_detail", pk=project.pk)

    form = ProjectForm(request.POST or None, instance=project)
    title = _("编辑项目：%(name)s") % {"name": project.name}
    return form_page(request, form, save=save, title=title, cancel_url=_detail_url(project))


def _detail_url(project) -> str:
    return reverse("ppp:project_detail", args=[project.pk])


@pages.route("<int:pk>/")
@login_required
def project_detail(request, pk):
    project = get_object_or_404(
        selectors.project_list(user=request.user).select_related("override_by"), pk=pk
    )
    spending = fiscal.project_spending(project)
    obligations = [(o, OBLIGATIONS.available(request.user, o)) for o in project.obligations.all()]
    context = {
        **selectors.project_parts(project),
        "project": project,
        "timeline": selectors.project_phases(project),
        "obligations": obligations,
        "reasons": [services.describe_reason(reason) for reason in project.computed_reasons],
        "spending": sorted(spending.by_year.items()) if spending else [],
        "missing_terms": fiscal.missing_terms(project),
        "vfm": fiscal.project_vfm(project, spending),
        "override_form": OverrideForm(initial={"project_class": project.override_class}),
    }
    return render(request, "ppp/project_detail.html", context)


@pages.route("steps/<int:pk>/")
@login_required
def step_edit(request, pk):
    step = find(request, selectors.step_list, pk)
    require(rules.may_report_progress, request.user, step.project)
    can_plan = rules.is_manager.test(request.user)
    form = StepForm(request.POST or None, request.FILES or None, instance=step, can_plan=can_plan)

    def save(form):
        data = {**form.cleaned_data, "document": request.FILES.get("document")}
        # The form wrote its values on `step`; the service compares against the stored row.
        services.step_update(step=selectors.step_list(user=request.user).get(pk=pk), by=request.user, **data)
        return done(request, _("已更新步骤。"), "ppp:project_detail", pk=step.project_id)

    return _part_form(request, step.project, form, save=save, title=step.name)


def _part_form(request, project, form, *, save, title: str):
    """A form about one part of a project (a contract, a payment, a step…), under the project's name."""
    return form_page(
        request,
        form,
        save=save,
        template=PART_FORM,
        title=title,
        project=project,
        cancel_url=_detail_url(project),
        multipart=True,
    )


def _part_view(form_class, service, title):
    """The managers' form for a new part of a project (a contract, a payment…): its fields are the
    service's arguments."""

    @login_required
    def view(request, pk):
        project = find(request, selectors.project_list, pk, may=rules.is_manager)

        def save(form):
            service(project=project, by=request.user, **form.cleaned_data)
            return done(request, _("已保存。"), "ppp:project_detail", pk=project.pk)

        form = form_class(request.POST or None, request.FILES or None)
        return _part_form(request, project, form, save=save, title=title)

    return view


contract_add = pages.route("<int:pk>/contracts/new/", name="contract_add")(
    _part_view(ContractForm, services.contract_add, gettext_lazy("登记合同"))
)
shareholder_add = pages.route("<int:pk>/shareholders/new/", name="shareholder_add")(
    _part_view(ShareholderForm, services.shareholder_add, gettext_lazy("新增项目公司股东"))
)
payment_year_add = pages.route("<int:pk>/payments/new/", name="payment_year_add")(
    _part_view(PaymentYearForm, services.payment_year_record, gettext_lazy("年度付费"))
)
obligation_add = pages.route("<int:pk>/obligations/new/", name="obligation_add")(
    _part_view(ObligationForm, services.obligation_create, gettext_lazy("新增合同义务"))
)


@pages.route("<int:pk>/payment-rule/")
@login_required
def payment_rule_edit(request, pk):
    project = find(request, selectors.project_list, pk, may=rules.is_manager)
    rule = selectors.payment_rule_of(project) or PaymentRule(project=project)

    def save(form):
        services.payment_rule_set(project=project, by=request.user, **form.cleaned_data)
        return done(request, _("已保存付费规则。"), "ppp:project_detail", pk=project.pk)

    form = PaymentRuleForm(request.POST or None, instance=rule)
    return _part_form(request, project, form, save=save, title=_("付费规则"))


@pages.route("<int:pk>/expenditure/")
@login_required
def expenditure_add(request, pk):
    """Record an amount directly, or work it out by one of the methods of 财金〔2015〕21号."""
    project = find(request, selectors.project_list, pk, may=rules.is_manager)
    which = request.POST.get("which")
    form = ExpenditureForm(request.POST if which == "amount" else None, prefix="amount")
    method_form = ExpenditureMethodForm(request.POST if which == "method" else None, prefix="method")
    bound = {"amount": form, "method": method_form}.get(which)
    if bound is not None and bound.is_valid():
        with service_errors_into(bound):
            if bound is form:
                services.expenditure_set(project=project, by=request.user, **form.cleaned_data)
            else:
                services.expenditure_by_method(
                    project=project, by=request.user, **method_form.service_arguments()
                )
            return done(request, _("已保存。"), "ppp:project_detail", pk=project.pk)
    context = {
        "form": form,
        "method_form": method_form,
        "project": project,
        "plans": project.expenditure_plans.all(),
    }
    return render(request, "ppp/expenditure_form.html", context)


# A button on the project's page.
_on_project = partial(button, select=selectors.project_list, name="project", page=PROJECT_PAGE)


@pages.route("obligations/<int:pk>/state/")
@require_POST
@login_required
def obligation_state(request, pk):
    obligation = find(request, selectors.obligation_list, pk)
    step = cleaned(ObligationStateForm(request.POST))
    services.obligation_transition(obligation=obligation, by=request.user, **step)
    return done(request, _("已更新义务状态。"), PROJECT_PAGE, pk=obligation.project_id)


project_override = pages.route("<int:pk>/override/", name="project_override")(
    _on_project(services.project_override_class, gettext_lazy("已调整分类。"), read=form_of(OverrideForm))
)
project_withdraw = pages.route("<int:pk>/withdraw/", name="project_withdraw")(
    _on_project(services.project_withdraw, gettext_lazy("项目已退库。"), read=reason)
)


@pages.route("reclassify/")
@require_POST
@login_required
def reclassify(request):
    count = services.programme_reclassify(by=request.user)
    return done(request, _("已按现行规则重新分类 %(n)d 个项目。") % {"n": count}, "ppp:project_list")
