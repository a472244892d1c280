"""The bond pages: the library, a project (cash-flow grid, balance, timeline, steps), batches and the
programme overview. Views parse input and call selectors and services; who may do what is asked of
rules.py and the transition table, and a refusal is shown by the middleware (or on the form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.excel import workbook_response
from duban.core.forms import cleaned, service_errors_into
from duban.core.pagination import paginate
from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.core.views import ListPage, attachment, done, find, form_page, import_page

from . import exports, regulations, rules, selectors, services
from .filters import ApplicationFilterSet, ProjectFilterSet
from .forms import BatchForm, CashFlowRowForm, DebtForm, DocumentForm, ProjectForm, TransitionForm, YearForm
from .models import BondProject
from .workflow import WORKFLOW, transition_for

pages = Pages()


def _project(request, pk) -> BondProject:
    return find(request, selectors.project_list, pk)


def _to_project(pk):
    return redirect("bonds:project_detail", pk=pk)


def _error_lines(form) -> list[str]:
    """Each field in error with its label, for a message or the grid's alert."""
    lines = []
    for name, errors in form.errors.items():
        text = " ".join(errors)
        lines.append(f"{form.fields[name].label}：{text}" if name in form.fields else text)
    return lines


def _library_fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}


# ---------------------------------------------------------------------------------------------------
# The library


def _library_totals(request) -> dict:
    return {"totals": selectors.programme_totals(user=request.user, filters=request.GET)}


LIBRARY = ListPage(
    selectors.project_list,
    "bonds/project_list.html",
    filterset_class=ProjectFilterSet,
    workbook=exports.projects_to_excel,
    filename=gettext_lazy("专项债券项目库.xlsx"),
    context=_library_totals,
)
pages.list("", LIBRARY, name="project_list", export="project_export")

# Every application the user may see, across batches (the assessment's success rates open it filtered to
# a unit's applications decided in the period).
APPLICATIONS = ListPage(
    selectors.application_list,
    "bonds/application_list.html",
    filterset_class=ApplicationFilterSet,
    workbook=exports.applications_to_excel,
    filename=gettext_lazy("专项债券申报记录.xlsx"),
)
pages.list("applications/", APPLICATIONS, name="application_list", export="application_export")


@pages.route("new/")
@rule_required(rules.may_create_project)
def project_create(request):
    def save(form):
        project = services.project_create(by=request.user, **_library_fields(form))
        messages.success(request, _("已将“%(name)s”纳入项目储备。") % {"name": project.name})
        return _to_project(project.pk)

    form = ProjectForm(request.POST or None, user=request.user)
    return form_page(
        request, form, save=save, title=_("新增专项债券项目"), cancel_url=reverse("bonds:project_list")
    )


@pages.route("<int:pk>/edit/")
@login_required
def project_edit(request, pk):
    project = find(request, selectors.project_list, pk, may=rules.may_edit_project)

    def save(form):
        version = form.cleaned_data["expected_version"] or 0
        services.project_update(
            project=project, by=request.user, expected_version=version, **_library_fields(form)
        )
        messages.success(request, _("已保存。"))
        return _to_project(pk)

    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    title = _("编辑项目：%(name)s") % {"name": project.name}
    return form_page(
        request, form, save=save, title=title, cancel_url=reverse("bonds:project_detail", args=[pk])
    )


def _grid_context(project, *, errors=()) -> dict:
    sources = project.income_sources
    rows = selectors.cash_flow_list(project)
    return {
        "project": project,
        "sources": sources,
        "rows": [{"row": row, "amounts": [row.income_amounts().get(s) for s in sources]} for row in rows],
        "new_form": CashFlowRowForm(sources=sources, prefix="new"),
        "grid_errors": list(errors),
    }


def _balance_chart(outcome) -> dict | None:
    """The balance test by year, as the panel's chart reads it: net income against debt service (bars)
    and the cumulative balance (line), in 万元; None when the test cannot be run."""
    if outcome.result is None:
        return None
    years = outcome.result.years
    return {
        "years": [y.year for y in years],
        "net": [float(y.net) for y in years],
        "debt_service": [float(y.debt_service) for y in years],
        "cumulative": [float(y.cumulative_balance) for y in years],
        "labels": {
            "net": _("净收益"),
            "debt_service": _("还本付息"),
            "cumulative": _("累计结余"),
            "unit": _("万元"),
        },
    }


def _balance_context(project) -> dict:
    outcome = selectors.project_balance(project)
    return {"outcome": outcome, "balance_chart": _balance_chart(outcome)}


@pages.route("<int:pk>/")
@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    steps = [
        {"transition": t, "form": TransitionForm(transition=t, project=project, prefix=t.name)}
        for t in WORKFLOW.available(request.user, project)
    ]
    events = list(selectors.event_list(project))
    context = {
        **_balance_context(project),
        "problems": regulations.project_problems(project),
        "checklist": selectors.document_checklist(project),
        "debts": selectors.debt_list(project),
        "events": events,
        "override": selectors.balance_override(events),
        "applications": selectors.application_history(project),
        "disbursements": selectors.disbursement_list(project),
        "spendings": selectors.spending_list(project),
        "transitions": steps,
        "debt_form": DebtForm(),
        "document_form": DocumentForm(),
        **_grid_context(project),
    }
    return render(request, "bonds/project_detail.html", context)


@pages.route("<int:pk>/do/<str:name>/")
@require_POST
@login_required
def project_transition(request, pk, name):
    project = _project(request, pk)
    transition = transition_for(request.user, project, name)
    form = TransitionForm(request.POST, transition=transition, project=project, prefix=name)
    if form.is_valid():
        services.project_transition(project=project, by=request.user, name=name, **form.cleaned_data)
        messages.success(request, _("已完成“%(action)s”。") % {"action": transition.label})
    else:
        errors = "；".join(_error_lines(form))
        messages.error(
            request, _("“%(action)s”未完成：%(errors)s") % {"action": transition.label, "errors": errors}
        )
    return _to_project(pk)


# ---------------------------------------------------------------------------------------------------
# The cash-flow grid (htmx: each row swaps between display and edit)


def _grid_changed(request, project, *, errors=()):
    if not request.headers.get("HX-Request"):
        for error in errors:
            messages.error(request, error)
        return _to_project(project.pk)
    project.refresh_from_db()
    response = render(request, "bonds/_cashflow_grid.html", _grid_context(project, errors=errors))
    # The balance depends on the grid: let the page reload the result panel.
    response["HX-Trigger"] = "cashflow-changed"
    return response


@pages.route("<int:pk>/cashflows/<int:row_pk>/edit/")
@login_required
def cashflow_edit(request, pk, row_pk):
    project = find(request, selectors.project_list, pk, may=rules.may_edit_project)
    row = get_object_or_404(selectors.cash_flow_list(project), pk=row_pk)
    form = CashFlowRowForm(sources=project.income_sources, row=row, prefix=f"r{row.pk}")
    return render(request, "bonds/_cashflow_edit_row.html", {"project": project, "row": row, "form": form})


@pages.route("<int:pk>/cashflows/new/", name="cashflow_create")
@pages.route("<int:pk>/cashflows/<int:row_pk>/save/")
@require_POST
@login_required
def cashflow_save(request, pk, row_pk=None):
    project = _project(request, pk)
    row = get_object_or_404(selectors.cash_flow_list(project), pk=row_pk) if row_pk else None
    form = CashFlowRowForm(
        request.POST, sources=project.income_sources, prefix=f"r{row.pk}" if row else "new"
    )
    if form.is_valid():
        with service_errors_into(form):
            services.cash_flow_save(
                project=project,
                by=request.user,
                row=row,
                year=form.cleaned_data["year"],
                income=form.income(),
                operating_cost=form.cleaned_data.get("operating_cost"),
                tax=form.cleaned_data.get("tax"),
            )
    return _grid_changed(request, project, errors=_error_lines(form))


@pages.route("<int:pk>/cashflows/<int:row_pk>/delete/")
@require_POST
@login_required
def cashflow_delete(request, pk, row_pk):
    project = _project(request, pk)
    services.cash_flow_delete(
        by=request.user, row=get_object_or_404(selectors.cash_flow_list(project), pk=row_pk)
    )
    return _grid_changed(request, project)


@pages.route("<int:pk>/cashflows/")
@login_required
def cashflow_grid(request, pk):
    return render(request, "bonds/_cashflow_grid.html", _grid_context(_project(request, pk)))


@pages.route("<int:pk>/balance/")
@login_required
def balance_panel(request, pk):
    project = _project(request, pk)
    return render(request, "bonds/_balance.html", {"project": project, **_balance_context(project)})


@pages.route("<int:pk>/cashflows/import/")
@login_required
def cashflow_import(request, pk):
    project = _project(request, pk)
    help_text = format_html(
        '{} <a href="{}">{}</a>',
        _(
            "第一行为表头：年度、各项收入来源（每个来源一列，如 停车费、租金）、经营成本、税费；金额单位万元。"
            "导入会替换现有的收支数据；有任何一行出错则不保存。"
        ),
        reverse("bonds:cashflow_export", args=[pk]),
        _("下载当前数据作为模板"),
    )
    return import_page(
        request,
        services.CashFlowImport(project),
        title=_("导入收支预算：%(name)s") % {"name": project.name},
        help_text=help_text,
        success_url=reverse("bonds:project_detail", args=[pk]),
    )


@pages.route("<int:pk>/cashflows/export/")
@login_required
def cashflow_export(request, pk):
    project = _project(request, pk)
    return workbook_response(
        exports.cash_flows_to_excel(project), filename=_("%(code)s 收支预算.xlsx") % {"code": project.code}
    )


@pages.route("<int:pk>/balance/export/")
@login_required
def balance_export(request, pk):
    project = _project(request, pk)
    return workbook_response(
        exports.balance_to_excel(project, selectors.project_balance(project)),
        filename=_("%(code)s 资金平衡表.xlsx") % {"code": project.code},
    )


# ---------------------------------------------------------------------------------------------------
# Debts and attachments


@pages.route("<int:pk>/debts/new/")
@require_POST
@login_required
def debt_add(request, pk):
    services.debt_save(project=_project(request, pk), by=request.user, **cleaned(DebtForm(request.POST)))
    return done(request, _("已添加债务。"), "bonds:project_detail", pk=pk)


@pages.route("<int:pk>/debts/<int:debt_pk>/delete/")
@require_POST
@login_required
def debt_delete(request, pk, debt_pk):
    project = _project(request, pk)
    services.debt_delete(by=request.user, debt=get_object_or_404(selectors.debt_list(project), pk=debt_pk))
    messages.success(request, _("已删除。"))
    return _to_project(pk)


@pages.route("<int:pk>/documents/new/")
@require_POST
@login_required
def document_add(request, pk):
    project = _project(request, pk)
    data = cleaned(DocumentForm(request.POST, request.FILES))
    services.document_add(
        project=project, by=request.user, kind=data["kind"], upload=data["file"], note=data["note"]
    )
    messages.success(request, _("已上传附件。"))
    return _to_project(pk)


@pages.route("<int:pk>/documents/<int:document_pk>/")
@login_required
def document_download(request, pk, document_pk):
    """Attachments are served through the project's access rule, never as public media URLs."""
    document = get_object_or_404(selectors.document_list(_project(request, pk)), pk=document_pk)
    return attachment(document.file)


@pages.route("<int:pk>/documents/<int:document_pk>/delete/")
@require_POST
@login_required
def document_delete(request, pk, document_pk):
    document = get_object_or_404(selectors.document_list(_project(request, pk)), pk=document_pk)
    services.document_delete(by=request.user, document=document)
    messages.success(request, _("已删除附件。"))
    return _to_project(pk)


# ---------------------------------------------------------------------------------------------------
# Batches and the overview


def _batch_rates(user) -> dict:
    return {row["key"]: row for row in selectors.success_rates(user=user, by="batch")}


@pages.route("batches/")
@login_required
def batch_list(request):
    rates = _batch_rates(request.user)
    rows = [{"batch": b, "rates": rates.get(b.pk)} for b in selectors.batch_list(user=request.user)]
    return render(request, "bonds/batch_list.html", {"rows": rows})


@pages.route("batches/new/")
@rule_required(rules.may_create_batch)
def batch_create(request):
    def save(form):
        batch = services.batch_create(by=request.user, **form.cleaned_data)
        return done(
            request, _("已新增批次“%(name)s”。") % {"name": batch.name}, "bonds:batch_detail", pk=batch.pk
        )

    form = BatchForm(request.POST or None)
    return form_page(
        request, form, save=save, title=_("新增申报批次"), cancel_url=reverse("bonds:batch_list")
    )


def _batch_applications(request, pk):
    batch = find(request, selectors.batch_list, pk)
    filters = request.GET.copy()
    filters["batch"] = batch.pk
    return batch, filters, selectors.application_list(user=request.user, filters=filters)


@pages.route("batches/<int:pk>/")
@login_required
def batch_detail(request, pk):
    batch, filters, applications = _batch_applications(request, pk)
    context = {
        "batch": batch,
        "page_obj": paginate(request, applications),
        "rates": _batch_rates(request.user).get(batch.pk),
        "filterset": ApplicationFilterSet(filters, user=request.user),
    }
    return render(request, "bonds/batch_detail.html", context)


@pages.route("batches/<int:pk>/export/")
@login_required
def batch_export(request, pk):
    batch, _filters, applications = _batch_applications(request, pk)
    return workbook_response(exports.applications_to_excel(applications), filename=f"{batch.name}.xlsx")


def _percentages(values) -> list:
    return [None if v is None else round(float(v) * 100, 1) for v in values]


def _charts(*, states, themes, batches, monthly) -> dict:
    """The overview's four charts, as the page's script reads them."""
    return {
        "states": {"labels": [s["label"] for s in states], "values": [s["count"] for s in states]},
        "themes": [{"label": t["label"], "value": float(t["demand"])} for t in themes],
        "batches": {
            "labels": [r["label"] for r in batches],
            "count_rate": _percentages(r["count_rate"] for r in batches),
            "amount_rate": _percentages(r["amount_rate"] for r in batches),
        },
        "monthly": {
            "labels": [_("%(month)d月") % {"month": m["month"]} for m in monthly],
            "progress": _percentages(m["progress"] for m in monthly),
            "target": _percentages(m["target"] for m in monthly),
        },
    }


@pages.route("overview/")
@login_required
def overview(request):
    user = request.user
    today = timezone.localdate()
    year = YearForm(request.GET).chosen_year()
    groups = {by: selectors.success_rates(user=user, by=by) for by in selectors.GROUPS}
    states = selectors.state_counts(user=user)
    chart = _charts(
        states=states,
        themes=selectors.theme_demand(user=user),
        batches=groups["batch"],
        monthly=selectors.monthly_spending(user=user, year=year),
    )
    return render(
        request,
        "bonds/overview.html",
        {
            "year": year,
            "groups": groups,
            "totals": selectors.programme_totals(user=user),
            "quota": selectors.quota_won(user=user, year=year),
            "spending": selectors.spending_progress(user=user, on=today),
            "lagging": selectors.lagging_projects(user=user, on=today),
            "chart": chart,
            "states": states,
        },
    )


@pages.route("overview/export/")
@login_required
def overview_export(request):
    """The success-rate table of one grouping (batch, county, supervising department, theme)."""
    by = request.GET.get("by", "batch")
    if by not in selectors.GROUPS:
        by = "batch"
    rows = selectors.success_rates(user=request.user, by=by)
    return workbook_response(exports.success_rates_to_excel(rows), filename=_("专项债券申报成功率.xlsx"))
