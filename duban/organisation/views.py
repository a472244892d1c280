from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.accounts.scope import can_change, is_office
from duban.core.concurrency import EditConflict
from duban.core.excel import ImportRejected, workbook_response
from duban.core.pagination import paginate
from duban.core.uploads import SPREADSHEET, check_upload

from . import selectors, services
from .forms import LeaderForm, UnitFilterForm, UnitForm, UnitImportForm
from .models import Leader


@login_required
def unit_list(request):
    filters = UnitFilterForm(request.GET)
    filters.is_valid()
    units = selectors.unit_list(user=request.user, filters=filters.cleaned_data)
    return render(
        request,
        "organisation/unit_list.html",
        {"page_obj": paginate(request, units), "filter_form": filters, "can_manage": is_office(request.user)},
    )


@login_required
def unit_export(request):
    filters = UnitFilterForm(request.GET)
    filters.is_valid()
    units = selectors.unit_list(user=request.user, filters=filters.cleaned_data)
    return workbook_response(services.units_to_excel(units), filename=_("单位名录.xlsx"))


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(selectors.unit_list(user=request.user), pk=pk)
    children = selectors.unit_list(user=request.user).filter(parent=unit)
    return render(
        request,
        "organisation/unit_detail.html",
        {"unit": unit, "children": paginate(request, children), "can_change": can_change(request.user, unit)},
    )


@office_required
def unit_create(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            unit = services.unit_create(by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已新增单位“%(name)s”。") % {"name": unit.name})
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form})


@login_required
def unit_edit(request, pk):
    unit = get_object_or_404(selectors.unit_list(user=request.user), pk=pk)
    if not can_change(request.user, unit):
        raise PermissionDenied
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            services.unit_update(
                unit=unit,
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
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form, "unit": unit})


@office_required
def unit_import(request):
    form = UnitImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=SPREADSHEET)
            result = services.units_import_excel(upload=upload, by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        except ImportRejected as rejected:
            row_errors = rejected.errors.messages()
            messages.error(
                request, _("导入未完成：发现 %(n)d 处错误，未保存任何数据。") % {"n": len(row_errors)}
            )
        else:
            messages.success(
                request, _("导入完成：新增 %(created)d 个单位，更新 %(updated)d 个单位。") % result
            )
            return redirect("organisation:unit_list")
    return render(request, "organisation/unit_import.html", {"form": form, "row_errors": row_errors})


@login_required
def leader_list(request):
    leaders = selectors.leader_list(user=request.user).prefetch_related("units", "themes")
    return render(
        request,
        "organisation/leader_list.html",
        {"page_obj": paginate(request, leaders), "can_manage": is_office(request.user)},
    )


@office_required
def leader_create(request):
    form = LeaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            services.leader_create(by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已新增领导。"))
            return redirect("organisation:leader_list")
    return render(request, "organisation/leader_form.html", {"form": form})


@office_required
def leader_edit(request, pk):
    leader = get_object_or_404(Leader, pk=pk)
    form = LeaderForm(request.POST or None, instance=leader)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            services.leader_update(
                leader=leader,
                by=request.user,
                expected_version=form.cleaned_data["expected_version"] or 0,
                **data,
            )
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存领导分工。"))
            return redirect("organisation:leader_list")
    return render(request, "organisation/leader_form.html", {"form": form, "leader": leader})


@require_POST
@office_required
def unit_toggle_active(request, pk):
    unit = get_object_or_404(selectors.unit_list(user=request.user), pk=pk)
    services.unit_update(
        unit=unit, by=request.user, expected_version=unit.version, is_active=not unit.is_active
    )
    return redirect("organisation:unit_detail", pk=pk)
