"""The unit directory and the leaders' portfolios: thin pages over the selectors and services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.pagination import paginate
from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.core.views import ListPage, done, find, form_page, import_page, list_page

from . import rules, selectors, services
from .excel import UnitImport, units_workbook
from .filters import UnitFilterSet
from .forms import LeaderForm, UnitForm

pages = Pages()


UNITS = ListPage(
    selectors.unit_list,
    "organisation/unit_list.html",
    filterset_class=UnitFilterSet,
    workbook=units_workbook,
    filename=gettext_lazy("单位名录.xlsx"),
)
pages.list("", UNITS, name="unit_list", export="unit_export")


@pages.route("import/")
@login_required
def unit_import(request):
    return import_page(
        request,
        UnitImport(),
        title=_("导入单位名录"),
        help_text=_(
            "表头：单位编码、单位全称、简称、别名、类型、上级单位编码、排序、启用。按单位编码新增或更新；"
            "任何一行有错，全部不保存。可先导出现有名录作为模板。"
        ),
        success_url=reverse("organisation:unit_list"),
    )


@pages.route("<int:pk>/")
@login_required
def unit_detail(request, pk):
    unit = find(request, selectors.unit_list, pk)
    children = selectors.unit_list(user=request.user).filter(parent=unit)
    return render(
        request, "organisation/unit_detail.html", {"unit": unit, "children": paginate(request, children)}
    )


@pages.route("new/")
@rule_required(rules.may_manage_units)
def unit_create(request):
    def save(form):
        unit = services.unit_create(by=request.user, **form.changes)
        return done(
            request, _("已新增单位“%(name)s”。") % {"name": unit.name}, "organisation:unit_detail", pk=unit.pk
        )

    cancel = reverse("organisation:unit_list")
    return form_page(
        request, UnitForm(request.POST or None), save=save, title=_("新增单位"), cancel_url=cancel
    )


@pages.route("<int:pk>/edit/")
@login_required
def unit_edit(request, pk):
    unit = find(request, selectors.unit_list, pk, may=rules.may_edit_unit)

    def save(form):
        services.unit_update(unit=unit, by=request.user, expected_version=form.version, **form.changes)
        return done(request, _("已保存。"), "organisation:unit_detail", pk=unit.pk)

    title = _("编辑单位：%(name)s") % {"name": unit.name}
    cancel = reverse("organisation:unit_detail", args=[unit.pk])
    return form_page(
        request, UnitForm(request.POST or None, instance=unit), save=save, title=title, cancel_url=cancel
    )


@pages.route("<int:pk>/toggle-active/")
@require_POST
@login_required
def unit_toggle_active(request, pk):
    unit = find(request, selectors.unit_list, pk)
    services.unit_update(
        unit=unit, by=request.user, expected_version=unit.version, is_active=not unit.is_active
    )
    return redirect("organisation:unit_detail", pk=pk)


@pages.route("leaders/")
@login_required
def leader_list(request):
    leaders = selectors.leader_list(user=request.user).prefetch_related("units", "themes")
    return list_page(request, "organisation/leader_list.html", leaders)


LEADERS = reverse_lazy("organisation:leader_list")


@pages.route("leaders/new/")
@rule_required(rules.may_manage_leaders)
def leader_create(request):
    def save(form):
        services.leader_create(by=request.user, **form.changes)
        return done(request, _("已新增领导。"), LEADERS)

    return form_page(
        request, LeaderForm(request.POST or None), save=save, title=_("新增领导"), cancel_url=LEADERS
    )


@pages.route("leaders/<int:pk>/edit/")
@login_required
def leader_edit(request, pk):
    leader = find(request, selectors.leader_list, pk, may=rules.may_manage_leaders)

    def save(form):
        services.leader_update(leader=leader, by=request.user, expected_version=form.version, **form.changes)
        return done(request, _("已保存领导分工。"), LEADERS)

    title = _("编辑领导：%(name)s") % {"name": leader.name}
    form = LeaderForm(request.POST or None, instance=leader)
    return form_page(request, form, save=save, title=title, cancel_url=LEADERS)
