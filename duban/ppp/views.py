"""Pages of the PPP programme: the register, the project page, the review campaigns, rectification tasks and
fiscal affordability. Views parse input and call a selector or a service; nothing here decides access.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.scope import can_change, can_see, is_office
from duban.core.concurrency import EditConflict
from duban.core.excel import ImportRejected, workbook_response
from duban.core.pagination import paginate
from duban.core.uploads import EVIDENCE, SPREADSHEET, check_upload

from . import exchange, fiscal, selectors, services
from .affordability import AffordabilityInputError
from .forms import (
    BudgetYearForm,
    CampaignForm,
    ChecklistFormSet,
    ClassificationRulesForm,
    ContractForm,
    ExpenditureForm,
    ExpenditureMethodForm,
    FindingForm,
    ImportForm,
    ObligationForm,
    ObligationStateForm,
    OverrideForm,
    PaymentRuleForm,
    PaymentYearForm,
    ProjectFilterForm,
    ProjectForm,
    RatingForm,
    ShareholderForm,
    StepForm,
    TaskCancelForm,
    TaskForm,
    TaskRescheduleForm,
    TaskReturnForm,
    TaskSubmitForm,
    ThresholdSetForm,
    WhatIfForm,
    WithdrawForm,
)
from .models import (
    ClassChoice,
    Obligation,
    PaymentRule,
    PPPProject,
    ProjectStatus,
    ProjectStep,
    ReviewCampaign,
)
from .steps import PHASE_ORDER, Phase


def _require_manager(user) -> None:
    if not selectors.is_manager(user):
        raise PermissionDenied


def _require_programme(user) -> None:
    if not selectors.sees_programme(user):
        raise PermissionDenied


def _data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}


# --- the register -------------------------------------------------------------------------------


@login_required
def project_list(request):
    filters = ProjectFilterForm(request.GET)
    filters.is_valid()
    projects = selectors.project_list(user=request.user, filters=filters.cleaned_data)
    return render(
        request,
        "ppp/project_list.html",
        {
            "page_obj": paginate(request, projects),
            "filter_form": filters,
            "can_manage": selectors.is_manager(request.user),
            "sees_programme": selectors.sees_programme(request.user),
        },
    )


@login_required
def project_export(request):
    filters = ProjectFilterForm(request.GET)
    filters.is_valid()
    projects = selectors.project_list(user=request.user, filters=filters.cleaned_data)
    return workbook_response(exchange.register_to_excel(projects), filename=_("PPP项目台账.xlsx"))


@login_required
def project_import(request):
    _require_manager(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=SPREADSHEET)
            result = exchange.register_import_excel(upload=upload, by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        except ImportRejected as rejected:
            row_errors = rejected.errors.messages()
            messages.error(
                request, _("导入未完成：发现 %(n)d 处错误，未保存任何数据。") % {"n": len(row_errors)}
            )
        else:
            messages.success(
                request, _("导入完成：新增 %(created)d 个项目，更新 %(updated)d 个项目。") % result
            )
            return redirect("ppp:project_list")
    return render(
        request,
        "ppp/project_import.html",
        {"form": form, "row_errors": row_errors, "columns": "、".join(exchange.REGISTER_COLUMNS)},
    )


@login_required
def project_create(request):
    _require_manager(request.user)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, **_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已登记项目“%(name)s”。") % {"name": project.name})
            return redirect("ppp:project_detail", pk=project.pk)
    return render(request, "ppp/project_form.html", {"form": form})


@login_required
def project_edit(request, pk):
    project = get_object_or_404(selectors.project_list(user=request.user), pk=pk)
    _require_manager(request.user)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                project=project,
                by=request.user,
                expected_version=form.cleaned_data["expected_version"] or 0,
                **_data(form),
            )
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("ppp:project_detail", pk=project.pk)
    return render(request, "ppp/project_form.html", {"form": form, "project": project})


def _timeline(project: PPPProject) -> list[dict]:
    steps = list(project.steps.all())
    phases = []
    for phase in PHASE_ORDER:
        phase_steps = [step for step in steps if step.phase == phase]
        if not phase_steps:
            continue
        done = all(step.done_on for step in phase_steps)
        phases.append(
            {
                "phase": phase,
                "label": Phase(phase).label,
                "steps": phase_steps,
                "done": done,
                "current": project.phase == phase,
            }
        )
    return phases


@login_required
def project_detail(request, pk):
    project = get_object_or_404(
        selectors.project_list(user=request.user).select_related("override_by"), pk=pk
    )
    spending = fiscal.project_spending(project)
    payment_years = list(project.payment_years.all())
    context = {
        "project": project,
        "timeline": _timeline(project),
        "shareholders": project.shareholders.all(),
        "contracts": project.contracts.all(),
        "payment_rule": PaymentRule.objects.filter(project=project).first(),
        "payment_years": payment_years,
        "obligations": project.obligations.all(),
        "reviews": project.reviews.select_related("campaign"),
        "tasks": project.rectification_tasks.select_related("owner_unit"),
        "events": project.events.select_related("by")[:30],
        "reasons": [services.describe_reason(reason) for reason in project.computed_reasons],
        "spending": sorted(spending.by_year.items()) if spending else [],
        "missing_terms": fiscal.missing_terms(project),
        "vfm": fiscal.project_vfm(project, spending),
        "can_manage": selectors.is_manager(request.user),
        "can_progress": can_change(request.user, project),
        "is_office": is_office(request.user),
        "override_form": OverrideForm(initial={"project_class": project.override_class}),
        "obligation_state_form": ObligationStateForm(),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "ppp/project_detail.html", context)


def _project_for_manager(request, pk) -> PPPProject:
    project = get_object_or_404(selectors.project_list(user=request.user), pk=pk)
    _require_manager(request.user)
    return project


@login_required
def step_edit(request, pk):
    step = get_object_or_404(ProjectStep.objects.select_related("project"), pk=pk)
    project = get_object_or_404(selectors.project_list(user=request.user), pk=step.project_id)
    if not can_change(request.user, step):
        raise PermissionDenied
    can_plan = selectors.is_manager(request.user)
    form = StepForm(request.POST or None, request.FILES or None, instance=step, can_plan=can_plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # Only a newly uploaded file replaces the stored one, and only after its type and size are checked.
        data["document"] = request.FILES.get("document")
        try:
            if data["document"]:
                check_upload(data["document"], allowed=EVIDENCE)
            services.step_update(step=ProjectStep.objects.get(pk=step.pk), by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已更新步骤。"))
            return redirect("ppp:project_detail", pk=project.pk)
    return render(
        request,
        "ppp/simple_form.html",
        {"form": form, "project": project, "title": step.name, "multipart": True},
    )


def _project_child_form(request, pk, *, form_class, service, title, multipart=False):
    project = _project_for_manager(request, pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if value is not None or name != "document"
        }
        try:
            if data.get("document"):
                check_upload(data["document"], allowed=EVIDENCE)
            service(project=project, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("ppp:project_detail", pk=project.pk)
    return render(
        request,
        "ppp/simple_form.html",
        {"form": form, "project": project, "title": title, "multipart": multipart},
    )


@login_required
def contract_add(request, pk):
    return _project_child_form(
        request,
        pk,
        form_class=ContractForm,
        service=services.contract_add,
        title=_("登记合同"),
        multipart=True,
    )


@login_required
def shareholder_add(request, pk):
    return _project_child_form(
        request, pk, form_class=ShareholderForm, service=services.shareholder_add, title=_("新增项目公司股东")
    )


@login_required
def expenditure_add(request, pk):
    """Record an amount directly, or work it out by one of the methods of 财金〔2015〕21号."""
    project = _project_for_manager(request, pk)
    which = request.POST.get("which")
    form = ExpenditureForm(request.POST if which == "amount" else None, prefix="amount")
    method_form = ExpenditureMethodForm(request.POST if which == "method" else None, prefix="method")
    bound = form if which == "amount" else method_form if which == "method" else None
    if bound is not None and bound.is_valid():
        try:
            if bound is form:
                services.expenditure_set(project=project, by=request.user, **form.cleaned_data)
            else:
                services.expenditure_by_method(
                    project=project, by=request.user, **method_form.service_arguments()
                )
        except ValidationError as error:
            bound.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("ppp:project_detail", pk=project.pk)
    return render(
        request,
        "ppp/expenditure_form.html",
        {
            "form": form,
            "method_form": method_form,
            "project": project,
            "plans": project.expenditure_plans.all(),
        },
    )


@login_required
def payment_rule_edit(request, pk):
    project = _project_for_manager(request, pk)
    instance = PaymentRule.objects.filter(project=project).first() or PaymentRule(project=project)
    form = PaymentRuleForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_rule_set(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存付费规则。"))
            return redirect("ppp:project_detail", pk=project.pk)
    return render(request, "ppp/simple_form.html", {"form": form, "project": project, "title": _("付费规则")})


@login_required
def payment_year_add(request, pk):
    return _project_child_form(
        request, pk, form_class=PaymentYearForm, service=services.payment_year_record, title=_("年度付费")
    )


@login_required
def obligation_add(request, pk):
    return _project_child_form(
        request, pk, form_class=ObligationForm, service=services.obligation_create, title=_("新增合同义务")
    )


@require_POST
@login_required
def obligation_state(request, pk):
    obligation = get_object_or_404(Obligation, pk=pk)
    project = get_object_or_404(selectors.project_list(user=request.user), pk=obligation.project_id)
    form = ObligationStateForm(request.POST)
    if form.is_valid():
        try:
            services.obligation_transition(obligation=obligation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已更新义务状态。"))
    return redirect("ppp:project_detail", pk=project.pk)


@require_POST
@login_required
def project_override(request, pk):
    project = get_object_or_404(selectors.project_list(user=request.user), pk=pk)
    if not is_office(request.user):
        raise PermissionDenied
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.project_override_class(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已调整分类。"))
    else:
        messages.error(request, _("请填写调整理由。"))
    return redirect("ppp:project_detail", pk=project.pk)


@require_POST
@login_required
def project_withdraw(request, pk):
    project = _project_for_manager(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        services.project_withdraw(project=project, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("项目已退库。"))
    else:
        messages.error(request, _("请填写退库理由。"))
    return redirect("ppp:project_detail", pk=project.pk)


@require_POST
@login_required
def reclassify(request):
    _require_manager(request.user)
    count = services.programme_reclassify(by=request.user)
    messages.success(request, _("已按现行规则重新分类 %(n)d 个项目。") % {"n": count})
    return redirect("ppp:project_list")


# --- review campaigns ---------------------------------------------------------------------------


@login_required
def campaign_list(request):
    _require_programme(request.user)
    campaigns = selectors.campaign_list(user=request.user)
    return render(
        request,
        "ppp/campaign_list.html",
        {"page_obj": paginate(request, campaigns), "can_manage": selectors.is_manager(request.user)},
    )


@login_required
def campaign_create(request):
    _require_manager(request.user)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("ppp:campaign_detail", pk=campaign.pk)
    return render(request, "ppp/simple_form.html", {"form": form, "title": _("发起履约审查")})


@login_required
def campaign_detail(request, pk):
    _require_programme(request.user)
    campaign = get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)
    reviews = list(
        selectors.review_list(user=request.user, campaign=campaign).prefetch_related("tasks", "findings")
    )
    return render(
        request,
        "ppp/campaign_detail.html",
        {
            "campaign": campaign,
            "reviews": reviews,
            "progress": services.campaign_progress(campaign, reviews),
            "can_manage": selectors.is_manager(request.user),
            "signed_count": services.signed_projects().count()
            if campaign.state == ReviewCampaign.State.DRAFT
            else None,
        },
    )


@require_POST
@login_required
def campaign_start(request, pk):
    campaign = get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)
    try:
        count = services.campaign_start(campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已启动，纳入 %(n)d 个已签约项目。") % {"n": count})
    return redirect("ppp:campaign_detail", pk=pk)


@require_POST
@login_required
def campaign_close(request, pk):
    campaign = get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)
    try:
        services.campaign_close(campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("审查已结束。"))
    return redirect("ppp:campaign_detail", pk=pk)


@login_required
def review_detail(request, pk):
    review = get_object_or_404(selectors.review_list(user=request.user), pk=pk)
    can_manage = selectors.is_manager(request.user)
    items = review.items.all()
    formset = ChecklistFormSet(request.POST or None, queryset=items, prefix="items")
    if request.method == "POST":
        _require_manager(request.user)
        if formset.is_valid():
            results = {
                form.instance.pk: (form.cleaned_data["result"], form.cleaned_data["note"]) for form in formset
            }
            try:
                services.review_check(review=review, by=request.user, results=results)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                messages.success(request, _("已保存审查清单。"))
                return redirect("ppp:review_detail", pk=pk)
    return render(
        request,
        "ppp/review_detail.html",
        {
            "review": review,
            "formset": formset,
            "findings": review.findings.select_related("item"),
            "tasks": review.tasks.select_related("owner_unit"),
            "finding_form": FindingForm(review=review),
            "rating_form": RatingForm(instance=review),
            "task_form": TaskForm(review=review),
            "can_manage": can_manage,
            "is_open": review.campaign.state == ReviewCampaign.State.UNDER_WAY,
        },
    )


def _review_for_manager(request, pk):
    review = get_object_or_404(selectors.review_list(user=request.user), pk=pk)
    _require_manager(request.user)
    return review


@require_POST
@login_required
def finding_add(request, pk):
    review = _review_for_manager(request, pk)
    form = FindingForm(request.POST, review=review)
    if form.is_valid():
        try:
            services.finding_add(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    else:
        messages.error(request, _("请填写问题描述和严重程度。"))
    return redirect("ppp:review_detail", pk=pk)


@require_POST
@login_required
def review_rate(request, pk):
    review = _review_for_manager(request, pk)
    form = RatingForm(request.POST, instance=review)
    if form.is_valid():
        try:
            services.review_rate(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已评定。"))
    else:
        messages.error(request, _("请选择评定等级。"))
    return redirect("ppp:review_detail", pk=pk)


@require_POST
@login_required
def task_create(request, pk):
    review = _review_for_manager(request, pk)
    form = TaskForm(request.POST, review=review)
    if form.is_valid():
        try:
            services.task_create(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已下达整改任务。"))
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("ppp:review_detail", pk=pk)


@require_POST
@login_required
def review_close(request, pk):
    review = _review_for_manager(request, pk)
    try:
        services.review_close(review=review, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已办结。"))
    return redirect("ppp:review_detail", pk=pk)


# --- rectification tasks ------------------------------------------------------------------------


@login_required
def task_list(request):
    tasks = selectors.task_list(user=request.user, filters={"state": request.GET.get("state", "")})
    return render(request, "ppp/task_list.html", {"page_obj": paginate(request, tasks)})


@login_required
def task_detail(request, pk):
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    form = TaskSubmitForm(
        request.POST or None, initial={"expected_version": task.version, "response": task.response}
    )
    if request.method == "POST":
        if not can_change(request.user, task):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.task_submit(task=task, by=request.user, **form.cleaned_data)
            except EditConflict as conflict:
                form.add_error(None, conflict.message)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已报送整改情况。"))
                return redirect("ppp:task_detail", pk=pk)
    can_manage = selectors.is_manager(request.user)
    return render(
        request,
        "ppp/task_detail.html",
        {
            "task": task,
            "form": form,
            "return_form": TaskReturnForm(),
            "cancel_form": TaskCancelForm(),
            "reschedule_form": TaskRescheduleForm(
                initial={"expected_version": task.version, "deadline": task.deadline}
            ),
            "can_submit": can_change(request.user, task),
            "can_manage": can_manage,
            # Once the task is a directive, the office decides on it (see services.task_accept).
            "can_decide": can_manage and (not task.directive_id or is_office(request.user)),
            "can_link": is_office(request.user) and not task.directive_id,
            "directive_visible": bool(task.directive_id) and can_see(request.user, task.directive),
        },
    )


@require_POST
@login_required
def task_accept(request, pk):
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    _require_manager(request.user)
    try:
        services.task_accept(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已销号。"))
    return redirect("ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_return(request, pk):
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    _require_manager(request.user)
    form = TaskReturnForm(request.POST)
    if form.is_valid():
        try:
            services.task_return(task=task, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已退回。"))
    return redirect("ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_cancel(request, pk):
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    _require_manager(request.user)
    form = TaskCancelForm(request.POST)
    if form.is_valid():
        try:
            services.task_cancel(task=task, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已撤销整改任务。"))
    else:
        messages.error(request, _("请填写撤销理由。"))
    return redirect("ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_reschedule(request, pk):
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    _require_manager(request.user)
    form = TaskRescheduleForm(request.POST)
    if form.is_valid():
        try:
            services.task_reschedule(task=task, by=request.user, **form.cleaned_data)
        except EditConflict as conflict:
            messages.error(request, conflict.message)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已调整整改期限。"))
    else:
        messages.error(request, _("请填写有效的整改期限。"))
    return redirect("ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_link(request, pk):
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    if not is_office(request.user):
        raise PermissionDenied
    try:
        services.task_link(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已转为督办事项并交办责任单位。"))
    return redirect("ppp:task_detail", pk=pk)


# --- fiscal affordability -----------------------------------------------------------------------


@login_required
def affordability(request):
    _require_programme(request.user)
    candidates = selectors.project_list(user=request.user).filter(status=ProjectStatus.ACTIVE)
    form = WhatIfForm(request.GET or None, projects=candidates)
    context = {"form": form, "can_manage": selectors.is_manager(request.user)}
    try:
        view = fiscal.programme_view()
    except fiscal.NoBudget:
        context["no_budget"] = True
        return render(request, "ppp/affordability.html", context)
    except AffordabilityInputError as error:
        context["input_error"] = str(error)
        return render(request, "ppp/affordability.html", context)
    years = view.report.years
    chart = {
        "years": [year.year for year in years],
        "ratio": [round(float(year.ratio) * 100, 3) for year in years],
        "cap": float(view.thresholds.cap) * 100,
        "warning": float(view.thresholds.warning) * 100,
        "gate": float(view.thresholds.gov_pay_gate) * 100,
        "labels": {
            "ratio": _("支出责任占比"),
            "cap": _("红线"),
            "warning": _("预警线"),
            "gate": _("政府付费项目门槛"),
        },
    }
    rows = [{"year": year, "percent": float(year.ratio) * 100} for year in years]
    lines = {
        name: f"{float(getattr(view.thresholds, name)) * 100:g}%"
        for name in ("cap", "warning", "gov_pay_gate")
    }
    context.update({"view": view, "chart": chart, "rows": rows, "lines": lines})
    if form.is_bound and form.is_valid():
        try:
            check = fiscal.what_if(project=form.cleaned_data["project"])
        except AffordabilityInputError as error:
            context["what_if_error"] = _("该项目的补贴测算参数不全：%(fields)s") % {
                "fields": "、".join(error.params.get("missing", [])) or error.field
            }
        else:
            context["check"] = check
            context["refusals"] = [fiscal.describe_refusal(r.code, r.years) for r in check.refusals]
            context["peak_after"] = check.after.peak
            if check.after.peak is not None:
                context["peak_after_percent"] = f"{float(check.after.peak.ratio) * 100:.2f}"
    return render(request, "ppp/affordability.html", context)


# --- dated parameters ---------------------------------------------------------------------------

PARAMETER_FORMS = {
    "thresholds": (ThresholdSetForm, services.threshold_set_save),
    "rules": (ClassificationRulesForm, services.classification_rules_save),
    "budget": (BudgetYearForm, services.budget_year_save),
}


@login_required
def parameters(request):
    """The dated lines, classification rules and budget figures; the finance reviewers and the office edit them."""
    _require_programme(request.user)
    can_manage = selectors.is_manager(request.user)
    forms = {name: form_class(prefix=name) for name, (form_class, _service) in PARAMETER_FORMS.items()}
    if request.method == "POST":
        _require_manager(request.user)
        name = request.POST.get("which", "")
        if name not in PARAMETER_FORMS:
            raise PermissionDenied
        form_class, service = PARAMETER_FORMS[name]
        form = forms[name] = form_class(request.POST, prefix=name)
        if form.is_valid():
            try:
                service(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                services.programme_reclassify(by=request.user)
                messages.success(request, _("已保存。"))
                return redirect("ppp:parameters")
    return render(
        request,
        "ppp/parameters.html",
        {
            "forms": forms,
            "can_manage": can_manage,
            "thresholds": selectors.threshold_list(),
            "rules": selectors.rules_list(),
            "budget_years": selectors.budget_years(),
        },
    )


@login_required
def timetable(request):
    """The timetable (推进时间表) per class: each project's next planned step and next due obligation."""
    projects = selectors.timetable(user=request.user)
    groups = [
        {"value": value, "label": label, "projects": [p for p in projects if p.project_class == value]}
        for value, label in ClassChoice.choices
    ]
    return render(request, "ppp/timetable.html", {"groups": groups})
