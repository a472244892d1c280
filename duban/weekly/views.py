"""Pages of the weekly cycle: the cycles, the office's cycle page, the unit's report form (saved as you
go), the leaders' bulletin, the weekly meeting with its decisions, and the downloads.

Views parse, call a selector or a service, and render; who may do what is asked of `rules.py` (the
templates show their buttons with it, the services refuse with it), and refusals are shown by
`core.middleware.RefusalMiddleware` (buttons) or `service_errors_into` (forms)."""

from __future__ import annotations

from itertools import islice
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.core.concurrency import parse_version
from duban.core.excel import workbook_response
from duban.core.forms import cleaned, service_errors_into
from duban.core.pagination import paginate
from duban.core.routes import Pages
from duban.core.rules import require
from duban.core.views import ListPage, attachment, done, find, form_page, list_page
from duban.directives import selectors as directive_selectors
from duban.organisation import selectors as organisation

from . import exports, rules, selectors, services
from .filters import CycleFilterSet, DecisionFilterSet, ItemFilterSet, ReportFilterSet, SnapshotItemFilterSet
from .forms import (
    AgendaAddForm,
    DecisionForm,
    RemindForm,
    ReopenForm,
    ReportItemForm,
    SendBackForm,
    WeeklyMeetingForm,
    choices_of,
)
from .models import BulletinState, ReportingCycle, ReportState
from .word import minutes_docx

pages = Pages()

FLAGGED_ON_PAGE = 200
DECIDED_ON_PAGE = 200
REQUESTS_ON_PAGE = 500


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _cycle(request, pk) -> ReportingCycle:
    return find(request, selectors.cycle_list, pk)


def _active_leaders(request):
    return organisation.leader_list(user=request.user).filter(is_active=True)


def _form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


# --- cycles --------------------------------------------------------------------------------------


def _cycles_workbook(cycles) -> bytes:
    return exports.workbook(title=_("周报周期"), columns=exports.CYCLE_COLUMNS, rows=cycles.iterator())


def _report_state_labels(request) -> dict:
    # A liaison's row shows the state of the unit's own report.
    return {"state_labels": dict(ReportState.choices)}


CYCLES = ListPage(
    selectors.cycle_rows,
    "weekly/cycle_list.html",
    filterset_class=CycleFilterSet,
    workbook=_cycles_workbook,
    filename=gettext_lazy("周报周期.xlsx"),
    context=_report_state_labels,
)
pages.list("", CYCLES, name="cycle_list", export="cycles_export")
# The units' reports (a unit's own; the office's all): the assessment's weekly-timeliness records.
pages.list(
    "reports/",
    ListPage(selectors.report_rows, "weekly/report_list.html", filterset_class=ReportFilterSet),
    name="report_list",
)
# The coordination requests of the reports the user reads (`?addressed_to=me`: the cockpit's card).
pages.list(
    "coordination/",
    ListPage(selectors.coordination_list, "weekly/coordination_list.html", filterset_class=ItemFilterSet),
    name="coordination_list",
)


def _snapshot_items_workbook(items) -> bytes:
    return exports.workbook(
        title=_("截止时红黄灯事项"), columns=exports.SNAPSHOT_ITEM_COLUMNS, rows=items.iterator()
    )


# The red and yellow items as each cycle closed: the list the cockpit's weekly trend opens.
SNAPSHOT_ITEMS = ListPage(
    selectors.snapshot_item_list,
    "weekly/snapshot_item_list.html",
    filterset_class=SnapshotItemFilterSet,
    workbook=_snapshot_items_workbook,
    filename=gettext_lazy("截止时红黄灯事项.xlsx"),
)
pages.list("snapshot-items/", SNAPSHOT_ITEMS, name="snapshot_items", export="snapshot_items_export")


@pages.route("cycles/<int:pk>/")
@office_required
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    return list_page(
        request,
        "weekly/cycle_detail.html",
        selectors.cycle_reports(user=request.user, cycle=cycle, filters=request.GET),
        filterset_class=ReportFilterSet,
        cycle=cycle,
        past_due=timezone.now() > cycle.due_at,
        counts=selectors.report_counts(cycle=cycle),
        bulletin=selectors.bulletin_for(user=request.user, cycle=cycle),
        weekly_meeting=selectors.weekly_meeting_for(user=request.user, cycle=cycle),
        meeting_form=WeeklyMeetingForm(initial={"held_on": timezone.localtime(cycle.close_at).date()}),
    )


@pages.route("cycles/<int:pk>/remind/")
@office_required
@require_POST
def cycle_remind(request, pk):
    cycle = _cycle(request, pk)
    units = cleaned(RemindForm(request.POST))["unit"]
    unit_ids = [unit.pk for unit in units] or None
    count = services.cycle_remind(cycle=cycle, by=request.user, unit_ids=unit_ids)
    return done(
        request, _("已向 %(n)d 个未报送单位发送催报通知。") % {"n": count}, "weekly:cycle_detail", pk=pk
    )


@pages.route("cycles/<int:pk>/close/")
@office_required
@require_POST
def cycle_close(request, pk):
    cycle = _cycle(request, pk)
    missing = services.cycle_close(cycle=cycle, by=request.user)
    return done(request, _("周期已截止，%(n)d 个单位未报送。") % {"n": missing}, "weekly:cycle_detail", pk=pk)


@pages.route("cycles/<int:pk>/reports.xlsx")
@office_required
def cycle_reports_export(request, pk):
    cycle = _cycle(request, pk)
    reports = selectors.cycle_reports(user=request.user, cycle=cycle, filters=request.GET)
    content = exports.workbook(
        title=str(cycle.issue_label), columns=exports.REPORT_COLUMNS, rows=reports.iterator(chunk_size=2000)
    )
    return workbook_response(content, filename=_("%(issue)s周报报送情况.xlsx") % {"issue": cycle.issue_label})


# --- the unit's report ---------------------------------------------------------------------------


@pages.route("mine/")
@login_required
def my_report(request):
    report = selectors.my_report(user=request.user)
    if report is not None:
        return redirect("weekly:report_detail", pk=report.pk)
    return render(request, "weekly/no_report.html", {"cycle": selectors.current_cycle()})


@pages.route("reports/<int:pk>/")
@login_required
def report_detail(request, pk):
    return _report_page(request, find(request, selectors.report_list, pk))


def _report_page(request, report, *, bound=None, status=200):
    """The report with one form per item (`bound`: an item's form that failed to save, shown as typed)."""
    # The page shows one form per item: whether it may be filled is asked once, here.
    editable = rules.may_fill_report(request.user, report)
    if editable:
        services.report_refresh(report=report)
    leaders = choices_of(_active_leaders(request)) if editable else None
    rows = []
    for item in selectors.report_items(user=request.user, report=report):
        form = None
        if bound is not None and bound.instance.pk == item.pk:
            form = bound
        elif editable:
            form = ReportItemForm(instance=item, prefix=f"item{item.pk}", leader_choices=leaders)
        rows.append((item, form))
    context = {
        "report": report,
        "rows": rows,
        "editable": editable,
        "unit_names": selectors.unit_names() if editable else [],
        "reopen_form": ReopenForm(),
    }
    return render(request, "weekly/report_detail.html", context, status=status)


@pages.route("items/<int:pk>/")
@login_required
@require_POST
def item_save(request, pk):
    item = find(request, selectors.item_list, pk)
    form = ReportItemForm(request.POST, instance=item, prefix=f"item{item.pk}")
    saved = False
    if form.is_valid():
        with service_errors_into(form):
            services.item_save(item=item, by=request.user, **form.changes())
            saved = True
    if not _is_htmx(request):
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("weekly:report_detail", pk=item.report_id)
        # Without htmx too, a failed save shows the item as typed, its faults on its fields.
        messages.error(request, _("未保存：%(errors)s") % {"errors": _form_errors(form)})
        return _report_page(request, item.report, bound=form)
    if saved:
        # Only the status line changes (and the version the submit button sends), so that nothing the
        # user is typing in the card is replaced.
        item.report.refresh_from_db(fields=["state", "version"])
        return render(request, "weekly/_item_status.html", {"item": item, "report": item.report})
    # A refusal re-renders the card, with its messages on its fields, in place of the whole card (and
    # the "已保存" of an earlier save goes with it).
    item.refresh_from_db(fields=["done_this_week", "plan_next_week", "problems", "percent"])
    response = render(request, "weekly/_item.html", {"item": item, "form": form, "editable": True})
    response["HX-Retarget"] = f"#item-{item.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _report_step(service, message, *, read=None):
    """A button of the report page: one step taken on the version the page showed (`read(request)`:
    what else the step takes from the form)."""

    @login_required
    @require_POST
    def view(request, pk):
        report = find(request, selectors.report_list, pk)
        version = request.POST.get("expected_version")
        service(
            report=report,
            by=request.user,
            expected_version=parse_version(version) if version else None,
            **(read(request) if read else {}),
        )
        return done(request, message, "weekly:report_detail", pk=report.pk)

    return view


def _send_back_reason(request) -> dict:
    return cleaned(SendBackForm(request.POST))


report_submit = pages.route("reports/<int:pk>/submit/", name="report_submit")(
    _report_step(services.report_submit, gettext_lazy("周报已提交。"))
)
# 单位领导审核: the liaison sends the report to the unit's head, who approves it or sends it back.
report_submit_for_approval = pages.route(
    "reports/<int:pk>/submit-for-approval/", name="report_submit_for_approval"
)(_report_step(services.report_submit_for_approval, gettext_lazy("周报已提交单位领导审核。")))
report_approve = pages.route("reports/<int:pk>/approve/", name="report_approve")(
    _report_step(services.report_approve, gettext_lazy("已审核通过，周报已报送督查室。"))
)
report_send_back = pages.route("reports/<int:pk>/send-back/", name="report_send_back")(
    _report_step(services.report_send_back, gettext_lazy("已退回联络员修改。"), read=_send_back_reason)
)


@pages.route("reports/<int:pk>/reopen/")
@office_required
@require_POST
def report_reopen(request, pk):
    report = find(request, selectors.report_list, pk)
    services.report_reopen(report=report, by=request.user, **cleaned(ReopenForm(request.POST)))
    return done(request, _("已退回该单位修改。"), "weekly:report_detail", pk=report.pk)


# --- the bulletin --------------------------------------------------------------------------------


def _bulletin_cycle(request, pk) -> ReportingCycle:
    require(rules.may_read_bulletin, request.user)
    return _cycle(request, pk)


@pages.route("cycles/<int:pk>/bulletin/", name="bulletin")
@login_required
def bulletin_view(request, pk):
    """The leaders' view: the figures, what is red and yellow, what needs coordinating, who did not file."""
    cycle = _bulletin_cycle(request, pk)
    context = {
        "cycle": cycle,
        "bulletin": selectors.bulletin_for(user=request.user, cycle=cycle),
        "figures": selectors.bulletin_figures(cycle),
        "flagged": {
            light: selectors.bulletin_flagged(cycle, light=light, limit=FLAGGED_ON_PAGE)
            for light in ("red", "yellow")
        },
        "lights_note": selectors.bulletin_lights_note(cycle),
        "flagged_limit": FLAGGED_ON_PAGE,
        "requests": paginate(request, list(islice(selectors.coordination_requests(cycle), REQUESTS_ON_PAGE))),
        "filing": selectors.filing_lists(cycle),
        "weekly_meeting": selectors.weekly_meeting_for(user=request.user, cycle=cycle),
    }
    return render(request, "weekly/bulletin.html", context)


@pages.route("cycles/<int:pk>/bulletin/compile/")
@office_required
@require_POST
def bulletin_compile(request, pk):
    cycle = _cycle(request, pk)
    bulletin = services.bulletin_request(cycle=cycle, by=request.user)
    if _is_htmx(request):
        return render(request, "weekly/_bulletin_status.html", {"bulletin": bulletin, "cycle": cycle})
    if bulletin.state == BulletinState.DONE:
        messages.success(request, _("周报已编制完成。"))
    elif bulletin.state == BulletinState.FAILED:
        messages.error(request, _("周报编制失败：%(e)s") % {"e": bulletin.error})
    else:
        messages.info(request, _("周报正在后台编制，完成后可下载。"))
    return redirect("weekly:cycle_detail", pk=cycle.pk)


@pages.route("cycles/<int:pk>/bulletin/status/")
@login_required
def bulletin_status(request, pk):
    cycle = _bulletin_cycle(request, pk)
    bulletin = selectors.bulletin_for(user=request.user, cycle=cycle)
    return render(request, "weekly/_bulletin_status.html", {"bulletin": bulletin, "cycle": cycle})


@pages.route("cycles/<int:pk>/bulletin/<slug:kind>/")
@login_required
def bulletin_download(request, pk, kind):
    cycle = _bulletin_cycle(request, pk)
    bulletin = selectors.bulletin_for(user=request.user, cycle=cycle)
    if bulletin is None or bulletin.state != BulletinState.DONE or kind not in ("docx", "xlsx"):
        raise Http404
    field = bulletin.docx if kind == "docx" else bulletin.xlsx
    name = _("周报%(year)d年第%(n)d期.%(ext)s") % {
        "year": cycle.iso_year,
        "n": cycle.issue_number,
        "ext": kind,
    }
    return attachment(field, name)


# --- the weekly meeting --------------------------------------------------------------------------


@pages.route("cycles/<int:pk>/meeting/")
@office_required
def meeting_create(request, pk):
    cycle = _cycle(request, pk)

    def save(form):
        weekly = services.weekly_meeting_create(cycle=cycle, by=request.user, **form.cleaned_data)
        return redirect("weekly:meeting_detail", pk=weekly.pk)

    initial = {"held_on": timezone.localtime(cycle.close_at).date()}
    return form_page(
        request,
        WeeklyMeetingForm(request.POST or None, initial=initial),
        save=save,
        title=_("创建周例会并生成议程"),
        cancel_url=reverse("weekly:cycle_detail", args=[cycle.pk]),
    )


@pages.route("meetings/<int:pk>/")
@login_required
def meeting_detail(request, pk):
    weekly = find(request, selectors.weekly_meeting_list, pk)
    agenda = selectors.agenda_list(user=request.user, weekly_meeting=weekly, filters=request.GET)
    page = paginate(request, agenda)
    # One decision form per agenda item (for the office): themes and leaders are read once for all.
    deciding = rules.may_manage_cycles(request.user)
    themes = leaders = None
    if deciding:
        themes = choices_of(organisation.theme_list(user=request.user, active_only=True))
        leaders = choices_of(_active_leaders(request))
    rows = [
        (
            item,
            DecisionForm(
                prefix=f"a{item.pk}",
                initial={"expected_version": item.version, "title": item.title},
                theme_choices=themes,
                leader_choices=leaders,
            )
            if deciding
            else None,
        )
        for item in page
    ]
    context = {
        "weekly": weekly,
        # The meeting's one page: what it decided as directives too (the directives' meeting page sends
        # here for a weekly meeting).
        "decided": directive_selectors.meeting_directives(user=request.user, meeting=weekly.meeting)[
            :DECIDED_ON_PAGE
        ],
        "decided_limit": DECIDED_ON_PAGE,
        "rows": rows,
        "page_obj": page,
        "filterset": DecisionFilterSet(request.GET, user=request.user),
        "add_form": AgendaAddForm(),
        "unit_names": selectors.unit_names() if deciding else [],
    }
    return render(request, "weekly/meeting_detail.html", context)


@pages.route("meetings/<int:pk>/agenda/<int:item_pk>/decide/")
@office_required
@require_POST
def agenda_decide(request, pk, item_pk):
    weekly = find(request, selectors.weekly_meeting_list, pk)
    item = get_object_or_404(selectors.agenda_list(user=request.user, weekly_meeting=weekly), pk=item_pk)
    data = cleaned(DecisionForm(request.POST, prefix=f"a{item.pk}"))
    services.agenda_decide(item=item, by=request.user, **data)
    decided = reverse("weekly:meeting_detail", args=[weekly.pk]) + f"#agenda-{item.pk}"
    return done(request, _("已记录会议决定。"), decided)


@pages.route("meetings/<int:pk>/agenda/")
@office_required
def agenda_add(request, pk):
    weekly = find(request, selectors.weekly_meeting_list, pk)

    def save(form):
        services.agenda_add(weekly_meeting=weekly, by=request.user, **form.cleaned_data)
        return done(request, _("已添加议题。"), "weekly:meeting_detail", pk=weekly.pk)

    return form_page(
        request,
        AgendaAddForm(request.POST or None),
        save=save,
        template="weekly/agenda_form.html",
        title=_("添加议题"),
        cancel_url=reverse("weekly:meeting_detail", args=[weekly.pk]),
        unit_names=selectors.unit_names(),
    )


@pages.route("meetings/<int:pk>/minutes.docx")
@login_required
def minutes_download(request, pk):
    weekly = find(request, selectors.weekly_meeting_list, pk)
    agenda = selectors.agenda_list(user=request.user, weekly_meeting=weekly)
    response = HttpResponse(
        minutes_docx(weekly, agenda=agenda),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = _("周例会纪要%(issue)s.docx") % {"issue": weekly.cycle.issue_label}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@pages.route("meetings/<int:pk>/decisions.xlsx")
@login_required
def decisions_export(request, pk):
    weekly = find(request, selectors.weekly_meeting_list, pk)
    agenda = selectors.agenda_list(user=request.user, weekly_meeting=weekly, filters=request.GET)
    content = exports.workbook(title=_("周例会决定"), columns=exports.DECISION_COLUMNS, rows=agenda)
    return workbook_response(
        content, filename=_("周例会决定%(issue)s.xlsx") % {"issue": weekly.cycle.issue_label}
    )
