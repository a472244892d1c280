"""The office's pages to set a scheme up: the scheme (name, period type, visibility, grading), its unit
groups and members, its indicator tree and each group's weights. Each edit starts from the version it
read (a save over someone else's is refused on the form); the services audit every change."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core.rules import rule_required
from duban.core.views import done, find, form_page

from .. import rules, selectors, services
from ..forms import GroupForm, IndicatorForm, SchemeForm, WeightsForm
from .common import pages


def _setup_page(request, scheme_id: int, form, *, write, message, title, **context):
    """A setup form: `write(form)` calls the service, then back to the scheme's page saying `message`."""

    def save(form):
        write(form)
        return done(request, message, "assessment:scheme_detail", scheme_id)

    cancel_url = reverse("assessment:scheme_detail", args=[scheme_id])
    return form_page(request, form, save=save, title=title, cancel_url=cancel_url, **context)


@pages.route("new/")
@rule_required(rules.is_assessment_office)
def scheme_create(request):
    def save(form):
        scheme = services.scheme_create(by=request.user, **form.changes)
        return done(request, _("已建立考核方案。"), "assessment:scheme_detail", scheme.pk)

    return form_page(
        request,
        SchemeForm(request.POST or None),
        save=save,
        title=_("新建考核方案"),
        cancel_url=reverse("assessment:scheme_list"),
    )


@pages.route("<int:pk>/edit/")
@rule_required(rules.is_assessment_office)
def scheme_edit(request, pk):
    scheme = find(request, selectors.scheme_list, pk, may=rules.is_assessment_office)
    return _setup_page(
        request,
        pk,
        SchemeForm(request.POST or None, instance=scheme),
        write=lambda form: services.scheme_update(
            scheme=scheme, by=request.user, expected_version=form.version, **form.changes
        ),
        message=_("已保存。"),
        title=_("编辑考核方案：%(name)s") % {"name": scheme.name},
    )


@pages.route("<int:pk>/groups/new/")
@rule_required(rules.is_assessment_office)
def group_create(request, pk):
    scheme = find(request, selectors.scheme_list, pk, may=rules.is_assessment_office)
    return _setup_page(
        request,
        pk,
        GroupForm(request.POST or None),
        write=lambda form: services.group_create(scheme=scheme, by=request.user, **form.changes),
        message=_("已新增考核分组。"),
        title=_("新增考核分组：%(name)s") % {"name": scheme.name},
    )


@pages.route("groups/<int:pk>/edit/")
@rule_required(rules.is_assessment_office)
def group_edit(request, pk):
    group = find(request, selectors.group_list, pk, may=rules.is_assessment_office)
    return _setup_page(
        request,
        group.scheme_id,
        GroupForm(request.POST or None, instance=group),
        write=lambda form: services.group_update(
            group=group, by=request.user, expected_version=form.version, **form.changes
        ),
        message=_("已保存。"),
        title=_("编辑考核分组：%(name)s") % {"name": group.name},
    )


@pages.route("groups/<int:pk>/weights/")
@rule_required(rules.is_assessment_office)
def group_weights(request, pk):
    group = find(request, selectors.group_list, pk, may=rules.is_assessment_office)
    tree, setups = selectors.scheme_setup(group.scheme)
    own = next(setup.weights for setup in setups if setup.group.pk == group.pk)
    return _setup_page(
        request,
        group.scheme_id,
        WeightsForm(request.POST or None, group=group, tree=tree, own=own),
        write=lambda form: services.group_weights_set(
            group=group, by=request.user, expected_version=form.version, weights=form.weights
        ),
        message=_("已保存分组权重。"),
        title=_("分组权重：%(group)s") % {"group": group.name},
        template="assessment/weights_form.html",
    )


@pages.route("<int:pk>/indicators/new/")
@rule_required(rules.is_assessment_office)
def indicator_create(request, pk):
    scheme = find(request, selectors.scheme_list, pk, may=rules.is_assessment_office)
    return _setup_page(
        request,
        pk,
        IndicatorForm(request.POST or None, scheme=scheme),
        write=lambda form: services.indicator_create(scheme=scheme, by=request.user, **form.changes),
        message=_("已新增指标。"),
        title=_("新增指标：%(name)s") % {"name": scheme.name},
    )


@pages.route("indicators/<int:pk>/edit/")
@rule_required(rules.is_assessment_office)
def indicator_edit(request, pk):
    indicator = find(request, selectors.indicator_list, pk, may=rules.is_assessment_office)
    return _setup_page(
        request,
        indicator.scheme_id,
        IndicatorForm(request.POST or None, instance=indicator, scheme=indicator.scheme),
        write=lambda form: services.indicator_update(
            indicator=indicator, by=request.user, expected_version=form.version, **form.changes
        ),
        message=_("已保存。"),
        title=_("编辑指标：%(name)s") % {"name": indicator.name},
    )
