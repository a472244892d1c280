"""The bond pages: the library, a project (cash-flow grid, balance, timeline, actions), batches and the
programme overview. Views parse input and call selectors and services; nothing here decides access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.roles import Role
from duban.accounts.scope import can_change, can_create
from duban.core.concurrency import EditConflict
from duban.core.excel import ImportRejected, workbook_response
from duban.core.pagination import paginate

from . import exports, regulations, selectors, services
from .forms import (
    BatchForm,
    CashFlowRowForm,
    DebtForm,
    DocumentForm,
    ImportForm,
    ProjectFilterForm,
    ProjectForm,
    TransitionForm,
)
from .models import BondProject, CashFlowRow, ProjectDebt, ProjectDocument, ProjectTheme
from .workflow import EDITABLE_STATES, TRANSITIONS, actors_for


def _filters(request) -> tuple[ProjectFilterForm, dict]:
    form = ProjectFilterForm(request.GET)
    form.is_valid()
    return form, getattr(form, "cleaned_data", {})


def _form_errors(form) -> str:
    """One line naming each field in error, for a message after a redirect."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(errors)
        parts.append(f"{form.fields[name].label}：{text}" if name in form.fields else text)
    return "；".join(parts)


def _project(request, pk) -> BondProject:
    return get_object_or_404(selectors.project_list(user=request.user), pk=pk)


def _may_edit_data(user, project) -> bool:
    return (
        user.role in (Role.LIAISON, Role.FINANCE, Role.ADMIN)
        and can_change(user, project)
        and (project.state in EDITABLE_STATES or user.role == Role.FINANCE)
    )


def _may_create(user) -> bool:
    return user.role in (Role.LIAISON, Role.FINANCE, Role.ADMIN) and (
        user.role != Role.LIAISON or can_create(user, BondProject, unit=user.unit)
    )


@login_required
def project_list(request):
    filter_form, filters = _filters(request)
    projects = selectors.project_list(user=request.user, filters=filters)
    return render(
        request,
        "bonds/project_list.html",
        {
            "page_obj": paginate(request, projects),
            "filter_form": filter_form,
            "totals": selectors.programme_totals(user=request.user, filters=filters),
            "can_create": _may_create(request.user),
        },
    )


@login_required
def project_export(request):
    _form, filters = _filters(request)
    projects = selectors.project_list(user=request.user, filters=filters)
    return workbook_response(exports.projects_to_excel(projects), filename=_("专项债券项目库.xlsx"))


@login_required
def project_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            project = services.project_create(by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已将“%(name)s”纳入项目储备。") % {"name": project.name})
            return redirect("bonds:project_detail", pk=project.pk)
    return render(request, "bonds/project_form.html", {"form": form})


@login_required
def project_edit(request, pk):
    project = _project(request, pk)
    if not _may_edit_data(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            services.project_update(
                project=project,
                by=request.user,
                expected_version=form.cleaned_data["expected_version"] or 0,
                **data,
            )
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("bonds:project_detail", pk=project.pk)
    return render(request, "bonds/project_form.html", {"form": form, "project": project})


def _grid_context(request, project) -> dict:
    rows = list(project.cash_flows.all())
    sources = project.income_sources
    return {
        "project": project,
        "sources": sources,
        "rows": [{"row": row, "amounts": [row.income_amounts().get(s) for s in sources]} for row in rows],
        "can_edit": _may_edit_data(request.user, project),
        "new_form": CashFlowRowForm(sources=sources, prefix="new"),
    }


@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    user = request.user
    transitions = [
        {"transition": t, "form": TransitionForm(transition=t, project=project, prefix=t.name)}
        for t in services.available_transitions(project=project, user=user)
    ]
    context = {
        "project": project,
        "outcome": selectors.project_balance(project),
        "problems": regulations.project_problems(project),
        "checklist": selectors.document_checklist(project),
        "debts": project.debts.all(),
        "events": project.events.select_related("by", "batch"),
        "applications": project.applications.select_related("batch"),
        "disbursements": project.disbursements.all(),
        "spendings": project.spendings.all(),
        "transitions": transitions,
        "can_edit": _may_edit_data(user, project),
        "can_attach": user.role in (Role.LIAISON, Role.FINANCE, Role.ADMIN) and can_change(user, project),
        "debt_form": DebtForm(),
        "document_form": DocumentForm(),
        "import_form": ImportForm(),
        **_grid_context(request, project),
    }
    return render(request, "bonds/project_detail.html", context)


@require_POST
@login_required
def project_transition(request, pk, name):
    project = _project(request, pk)
    transition = TRANSITIONS.get(name)
    # The role first: a wrong role is refused (403) whatever it submitted.
    if transition is None or not (actors_for(request.user, project) & transition.actors):
        raise PermissionDenied
    form = TransitionForm(request.POST, transition=transition, project=project, prefix=name)
    if not form.is_valid():
        errors = _form_errors(form)
        messages.error(
            request, _("“%(action)s”未完成：%(errors)s") % {"action": transition.label, "errors": errors}
        )
        return redirect("bonds:project_detail", pk=pk)
    try:
        services.SERVICES[name](project=project, by=request.user, **form.service_kwargs())
    except ValidationError as error:
        messages.error(
            request,
            _("“%(action)s”未完成：%(errors)s")
            % {"action": transition.label, "errors": "；".join(error.messages)},
        )
    else:
        messages.success(request, _("已完成“%(action)s”。") % {"action": transition.label})
    return redirect("bonds:project_detail", pk=pk)


# ---------------------------------------------------------------------------------------------------
# The cash-flow grid (htmx: each row swaps between display and edit)


def _grid_response(request, project, *, errors=None, status=200):
    context = _grid_context(request, project)
    context["grid_errors"] = errors or []
    return render(request, "bonds/_cashflow_grid.html", context, status=status)


@login_required
def cashflow_edit(request, pk, row_pk):
    project = _project(request, pk)
    if not _may_edit_data(request.user, project):
        raise PermissionDenied
    row = get_object_or_404(project.cash_flows, pk=row_pk)
    form = CashFlowRowForm(sources=project.income_sources, row=row, prefix=f"r{row.pk}")
    return render(request, "bonds/_cashflow_edit_row.html", {"project": project, "row": row, "form": form})


@require_POST
@login_required
def cashflow_save(request, pk, row_pk=None):
    project = _project(request, pk)
    if not _may_edit_data(request.user, project):
        raise PermissionDenied
    row = get_object_or_404(project.cash_flows, pk=row_pk) if row_pk else None
    form = CashFlowRowForm(
        request.POST, sources=project.income_sources, prefix=f"r{row.pk}" if row else "new"
    )
    errors = []
    if form.is_valid():
        try:
            services.cash_flow_save(
                project=project,
                by=request.user,
                row=row,
                year=form.cleaned_data["year"],
                income=form.income(),
                operating_cost=form.cleaned_data.get("operating_cost"),
                tax=form.cleaned_data.get("tax"),
            )
        except ValidationError as error:
            errors = error.messages
    else:
        errors = [_form_errors(form)]
    if not request.headers.get("HX-Request"):
        for error in errors:
            messages.error(request, error)
        return redirect("bonds:project_detail", pk=pk)
    project.refresh_from_db()
    response = _grid_response(request, project, errors=errors)
    # The balance depends on the grid: let the page reload the result panel.
    response["HX-Trigger"] = "cashflow-changed"
    return response


@require_POST
@login_required
def cashflow_delete(request, pk, row_pk):
    project = _project(request, pk)
    row = get_object_or_404(CashFlowRow.objects.filter(project=project), pk=row_pk)
    services.cash_flow_delete(project=project, by=request.user, row=row)
    if not request.headers.get("HX-Request"):
        return redirect("bonds:project_detail", pk=pk)
    response = _grid_response(request, project)
    response["HX-Trigger"] = "cashflow-changed"
    return response


@login_required
def cashflow_grid(request, pk):
    return _grid_response(request, _project(request, pk))


@login_required
def balance_panel(request, pk):
    project = _project(request, pk)
    return render(
        request, "bonds/_balance.html", {"project": project, "outcome": selectors.project_balance(project)}
    )


@login_required
def cashflow_import(request, pk):
    project = _project(request, pk)
    if not _may_edit_data(request.user, project):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.cash_flows_import_excel(
                project=project, by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        except ImportRejected as rejected:
            row_errors = rejected.errors.messages()
            messages.error(
                request, _("导入未完成：发现 %(n)d 处错误，未保存任何数据。") % {"n": len(row_errors)}
            )
        else:
            messages.success(request, _("已导入 %(n)d 个年度的收支数据。") % {"n": count})
            return redirect("bonds:project_detail", pk=pk)
    return render(
        request, "bonds/cashflow_import.html", {"project": project, "form": form, "row_errors": row_errors}
    )


@login_required
def cashflow_export(request, pk):
    project = _project(request, pk)
    return workbook_response(
        exports.cash_flows_to_excel(project), filename=_("%(code)s 收支预算.xlsx") % {"code": project.code}
    )


@login_required
def balance_export(request, pk):
    project = _project(request, pk)
    outcome = selectors.project_balance(project)
    return workbook_response(
        exports.balance_to_excel(project, outcome),
        filename=_("%(code)s 资金平衡表.xlsx") % {"code": project.code},
    )


# ---------------------------------------------------------------------------------------------------
# Debts and attachments


@require_POST
@login_required
def debt_add(request, pk):
    project = _project(request, pk)
    form = DebtForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "instalments_text"}
        try:
            services.debt_save(
                project=project, by=request.user, instalments=form.cleaned_data["instalments_text"], **data
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已添加债务。"))
    else:
        messages.error(request, _form_errors(form))
    return redirect("bonds:project_detail", pk=pk)


@require_POST
@login_required
def debt_delete(request, pk, debt_pk):
    project = _project(request, pk)
    debt = get_object_or_404(ProjectDebt.objects.filter(project=project), pk=debt_pk)
    services.debt_delete(project=project, by=request.user, debt=debt)
    messages.success(request, _("已删除。"))
    return redirect("bonds:project_detail", pk=pk)


@require_POST
@login_required
def document_add(request, pk):
    project = _project(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                project=project,
                by=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已上传附件。"))
    else:
        messages.error(request, _form_errors(form))
    return redirect("bonds:project_detail", pk=pk)


@login_required
def document_download(request, pk, document_pk):
    """Attachments are served through the project's access rule, never as public media URLs."""
    project = _project(request, pk)
    document = get_object_or_404(ProjectDocument.objects.filter(project=project), pk=document_pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@require_POST
@login_required
def document_delete(request, pk, document_pk):
    project = _project(request, pk)
    document = get_object_or_404(ProjectDocument.objects.filter(project=project), pk=document_pk)
    services.document_delete(project=project, by=request.user, document=document)
    messages.success(request, _("已删除附件。"))
    return redirect("bonds:project_detail", pk=pk)


# ---------------------------------------------------------------------------------------------------
# Batches and the overview


@login_required
def batch_list(request):
    batches = selectors.batch_list(user=request.user)
    rates = {row["key"]: row for row in selectors.success_rates(user=request.user, by="batch")}
    rows = [{"batch": b, "rates": rates.get(b.pk)} for b in batches]
    return render(
        request,
        "bonds/batch_list.html",
        {"rows": rows, "can_create": request.user.role in (Role.FINANCE, Role.ADMIN)},
    )


@login_required
def batch_create(request):
    if request.user.role not in (Role.FINANCE, Role.ADMIN):
        raise PermissionDenied
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已新增批次“%(name)s”。") % {"name": batch.name})
            return redirect("bonds:batch_detail", pk=batch.pk)
    return render(request, "bonds/batch_form.html", {"form": form})


@login_required
def batch_detail(request, pk):
    batch = get_object_or_404(selectors.batch_list(user=request.user), pk=pk)
    applications = selectors.application_list(user=request.user, batch=batch)
    rates = next(
        (r for r in selectors.success_rates(user=request.user, by="batch") if r["key"] == batch.pk), None
    )
    return render(
        request,
        "bonds/batch_detail.html",
        {"batch": batch, "page_obj": paginate(request, applications), "rates": rates},
    )


@login_required
def batch_export(request, pk):
    batch = get_object_or_404(selectors.batch_list(user=request.user), pk=pk)
    applications = selectors.application_list(user=request.user, batch=batch)
    return workbook_response(exports.applications_to_excel(applications), filename=f"{batch.name}.xlsx")


@login_required
def overview(request):
    user = request.user
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= 2100 else today.year
    groups = {
        by: selectors.success_rates(user=user, by=by, year=None)
        for by in ("batch", "county", "supervising_department", "theme")
    }
    totals = selectors.programme_totals(user=user)
    monthly = selectors.monthly_spending(user=user, year=year)
    states = selectors.state_counts(user=user)
    theme_amounts = [
        {
            "label": str(label),
            "value": float(selectors.programme_totals(user=user, filters={"theme": code})["demand"]),
        }
        for code, label in ProjectTheme.choices
    ]
    chart = {
        "states": {"labels": [s["label"] for s in states], "values": [s["count"] for s in states]},
        "themes": theme_amounts,
        "batches": {
            "labels": [r["label"] for r in groups["batch"]],
            "count_rate": [
                None if r["count_rate"] is None else round(float(r["count_rate"]) * 100, 1)
                for r in groups["batch"]
            ],
            "amount_rate": [
                None if r["amount_rate"] is None else round(float(r["amount_rate"]) * 100, 1)
                for r in groups["batch"]
            ],
        },
        "monthly": {
            "labels": [_("%(month)d月") % {"month": m["month"]} for m in monthly],
            "progress": [
                None if m["progress"] is None else round(float(m["progress"]) * 100, 1) for m in monthly
            ],
            "target": [None if m["target"] is None else round(float(m["target"]) * 100, 1) for m in monthly],
        },
    }
    return render(
        request,
        "bonds/overview.html",
        {
            "year": year,
            "groups": groups,
            "totals": totals,
            "quota": selectors.quota_won(user=user, year=year),
            "spending": selectors.spending_progress(user=user, on=today),
            "lagging": selectors.lagging_projects(user=user, on=today),
            "chart": chart,
            "states": states,
        },
    )


@login_required
def overview_export(request):
    """The success-rate table of one grouping (batch, county, supervising department, theme)."""
    by = request.GET.get("by", "batch")
    if by not in selectors.GROUPS:
        by = "batch"
    rows = selectors.success_rates(user=request.user, by=by)
    return workbook_response(exports.success_rates_to_excel(rows), filename=_("专项债券申报成功率.xlsx"))
