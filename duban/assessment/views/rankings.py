"""Schemes, a period's ranking, a unit's breakdown with the records behind each value, the exports."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.excel import workbook_response
from duban.core.forms import cleaned
from duban.core.rules import rule_required
from duban.core.views import ListPage, button, done

from .. import rules, selectors, services
from ..exports import ranking_docx, ranking_workbook
from ..filters import SchemeFilterSet
from ..forms import PeriodForm
from .common import pages

SCHEMES = ListPage(selectors.scheme_list, "assessment/scheme_list.html", filterset_class=SchemeFilterSet)
pages.list("", SCHEMES, name="scheme_list")


@pages.route("<int:pk>/")
@login_required
def scheme_detail(request, pk):
    """The scheme's periods (drafts for the office only), its groups and indicator tree."""
    scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=pk)
    periods = selectors.period_list(user=request.user).filter(scheme=scheme).order_by("-starts_on")
    indicators, groups = selectors.scheme_setup(scheme)
    return render(
        request,
        "assessment/scheme_detail.html",
        {"scheme": scheme, "periods": periods, "indicators": indicators, "groups": groups},
    )


def _period(request, pk):
    return get_object_or_404(selectors.period_list(user=request.user).select_related("scheme"), pk=pk)


def _snapshot(request, period):
    """The version asked for (`?version=`), or the period's current one: earlier versions stay readable."""
    version = request.GET.get("version", "")
    if version:
        if not version.isdigit():
            raise Http404
        return get_object_or_404(period.snapshots.all(), version=int(version))
    if period.current is None:
        raise Http404(_("该考核期尚未计算。"))
    return period.current


@pages.route("periods/<int:pk>/")
@login_required
def ranking(request, pk):
    period = _period(request, pk)
    versions = list(period.snapshots.values_list("version", "note", "created_at"))
    snapshot = _snapshot(request, period) if versions else None
    rows = selectors.ranking_rows(snapshot) if snapshot else []
    return render(
        request,
        "assessment/ranking.html",
        {
            "period": period,
            "scheme": period.scheme,
            "snapshot": snapshot,
            "rows": rows,
            "spreads": selectors.spread(rows),
            "versions": versions,
            "own_unit": request.user.unit_id,
        },
    )


@pages.route("periods/<int:pk>/units/<int:unit_id>/")
@login_required
def breakdown(request, pk, unit_id):
    """A unit's score → each indicator's value, formula and points → the records behind the value."""
    period = _period(request, pk)
    snapshot = _snapshot(request, period)
    row = get_object_or_404(snapshot.rows.select_related("unit"), unit_id=unit_id)
    lines = selectors.breakdown(row, period, snapshot)
    return render(
        request,
        "assessment/breakdown.html",
        {
            "period": period,
            "scheme": period.scheme,
            "snapshot": snapshot,
            "row": row,
            "lines": lines,
            "total": sum(line.points for line in lines),
            "history": selectors.unit_history(user=request.user, scheme=period.scheme, unit_id=unit_id),
            "may_appeal": rules.may_appeal(request.user, period) and request.user.unit_id == unit_id,
        },
    )


@pages.route("periods/<int:pk>/ranking.xlsx")
@login_required
def ranking_export(request, pk):
    period = _period(request, pk)
    rows = selectors.ranking_rows(_snapshot(request, period))
    return workbook_response(
        ranking_workbook(period, rows), filename=f"{period.scheme.name}{period.label}.xlsx"
    )


@pages.route("periods/<int:pk>/bulletin.docx")
@login_required
def bulletin(request, pk):
    period = _period(request, pk)
    snapshot = _snapshot(request, period)
    rows = selectors.ranking_rows(snapshot)
    experiences = selectors.showcase(user=request.user).filter(
        published_on__range=(period.starts_on, period.ends_on)
    )
    response = HttpResponse(
        ranking_docx(period, rows, spreads=selectors.spread(rows), experiences=experiences),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = _("考核排名通报%(label)s.docx") % {"label": period.label}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _periods(*, user):
    return selectors.period_list(user=user)


_step = lambda service, message: button(  # noqa: E731
    service, message, select=_periods, name="period", page="assessment:ranking"
)
period_compute = pages.route("periods/<int:pk>/compute/", name="period_compute")(
    _step(services.period_compute, gettext_lazy("已重新计算，生成新的预览版本。"))
)
period_publish = pages.route("periods/<int:pk>/publish/", name="period_publish")(
    _step(services.period_publish, gettext_lazy("已发布，进入公示期。"))
)
period_finalise = pages.route("periods/<int:pk>/finalise/", name="period_finalise")(
    _step(services.period_finalise, gettext_lazy("已定稿。"))
)


@pages.route("<int:pk>/periods/new/")
@require_POST
@rule_required(rules.is_assessment_office)
def period_open(request, pk):
    scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=pk)
    period = services.period_open(scheme=scheme, by=request.user, **cleaned(PeriodForm(request.POST)))
    return done(
        request, _("已建立考核期 %(label)s。") % {"label": period.label}, "assessment:ranking", period.pk
    )
