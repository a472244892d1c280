"""Pages of the weekly cycle: the office's cycle page, the unit's report form (saved as you go), the
leaders' bulletin, the weekly meeting with its decisions, and the downloads."""

from __future__ import annotations

from itertools import islice
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.accounts.roles import Role
from duban.accounts.scope import can_change, is_office
from duban.core.concurrency import EditConflict
from duban.core.errors import DomainError
from duban.core.excel import workbook_response, write_workbook
from duban.core.pagination import paginate
from duban.organisation.models import Leader, Theme, Unit

from . import bulletin as bulletins
from . import providers as registry
from . import selectors, services
from .forms import (
    AgendaAddForm,
    DecisionForm,
    ReopenForm,
    ReportFilterForm,
    ReportItemForm,
    WeeklyMeetingForm,
)
from .models import BulletinState, CycleState, ReportingCycle, ReportState, WeeklyMeeting, WeeklyReport
from .word import minutes_docx

FLAGGED_ON_PAGE = 200


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _unit_names() -> list[str]:
    return list(Unit.objects.filter(is_active=True).order_by("tree_path").values_list("name", flat=True))


# --- cycles --------------------------------------------------------------------------------------


@login_required
def cycle_list(request):
    cycles = selectors.cycle_list(user=request.user).order_by("-starts_on")
    office = is_office(request.user)
    if office:
        cycles = cycles.annotate(
            asked=Count("reports"), submitted=Count("reports", filter=Q(reports__state=ReportState.SUBMITTED))
        )
    elif request.user.role == Role.LIAISON and request.user.unit_id:
        mine = WeeklyReport.objects.filter(cycle=OuterRef("pk"), unit_id=request.user.unit_id)
        cycles = cycles.annotate(
            my_state=Subquery(mine.values("state")[:1]), my_report=Subquery(mine.values("pk")[:1])
        )
    return render(
        request,
        "weekly/cycle_list.html",
        {
            "page_obj": paginate(request, cycles),
            "is_office": office,
            "is_liaison": request.user.role == Role.LIAISON,
            "reads_bulletin": selectors.can_read_bulletin(request.user),
            "state_labels": dict(ReportState.choices),
        },
    )


@login_required
def cycles_export(request):
    cycles = selectors.cycle_list(user=request.user)
    rows = (
        (c.iso_year, c.issue_number, c.starts_on, c.ends_on, c.due_at, c.close_at, str(c.get_state_display()))
        for c in cycles.iterator()
    )
    headers = [
        _("年度"),
        _("期数"),
        _("开始日期"),
        _("结束日期"),
        _("报送截止时间"),
        _("关闭时间"),
        _("状态"),
    ]
    return workbook_response(
        write_workbook(title=_("周报周期"), headers=headers, rows=rows), filename=_("周报周期.xlsx")
    )


@office_required
def cycle_detail(request, pk):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    filters = ReportFilterForm(request.GET)
    filters.is_valid()
    reports = selectors.cycle_reports(user=request.user, cycle=cycle, filters=filters.cleaned_data)
    weekly_meeting = WeeklyMeeting.objects.filter(cycle=cycle).first()
    return render(
        request,
        "weekly/cycle_detail.html",
        {
            "cycle": cycle,
            "past_due": timezone.now() > cycle.due_at,
            "counts": selectors.report_counts(cycle=cycle),
            "page_obj": paginate(request, reports),
            "filter_form": filters,
            "bulletin": selectors.bulletin_for(user=request.user, cycle=cycle),
            "weekly_meeting": weekly_meeting,
            "meeting_form": WeeklyMeetingForm(initial={"held_on": timezone.localtime(cycle.close_at).date()}),
        },
    )


@office_required
@require_POST
def cycle_remind(request, pk):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    unit_ids = [int(u) for u in request.POST.getlist("unit") if u.isdigit()] or None
    try:
        count = services.cycle_remind(cycle=cycle, by=request.user, unit_ids=unit_ids)
    except services.WeeklyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已向 %(n)d 个未报送单位发送催报通知。") % {"n": count})
    return redirect("weekly:cycle_detail", pk=cycle.pk)


@office_required
@require_POST
def cycle_close(request, pk):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    missing = services.cycle_close(cycle=cycle, by=request.user)
    messages.success(request, _("周期已截止，%(n)d 个单位未报送。") % {"n": missing})
    return redirect("weekly:cycle_detail", pk=cycle.pk)


@office_required
def cycle_reports_export(request, pk):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    reports = selectors.cycle_reports(user=request.user, cycle=cycle)
    rows = (
        (
            r.unit.name,
            str(r.get_state_display()),
            str(r.get_timeliness_display()),
            r.submitted_at,
            r.item_count,
            r.request_count,
            r.reminder_count,
        )
        for r in reports.iterator(chunk_size=2000)
    )
    headers = [
        _("报送单位"),
        _("状态"),
        _("报送及时性"),
        _("提交时间"),
        _("事项数"),
        _("需协调事项数"),
        _("催报次数"),
    ]
    content = write_workbook(title=str(cycle.issue_label), headers=headers, rows=rows)
    return workbook_response(content, filename=_("%(issue)s周报报送情况.xlsx") % {"issue": cycle.issue_label})


# --- the unit's report ---------------------------------------------------------------------------


def _can_edit(user, report: WeeklyReport) -> bool:
    if user.role != Role.LIAISON or not can_change(user, report) or report.state == ReportState.SUBMITTED:
        return False
    return report.cycle.state == CycleState.OPEN or report.reopened_at is not None


@login_required
def my_report(request):
    report = selectors.my_report(user=request.user)
    if report is not None:
        return redirect("weekly:report_detail", pk=report.pk)
    return render(request, "weekly/no_report.html", {"cycle": selectors.current_cycle()})


@login_required
def report_detail(request, pk):
    report = get_object_or_404(selectors.report_list(user=request.user), pk=pk)
    editable = _can_edit(request.user, report)
    if editable:
        services.report_refresh(report=report)
    items = selectors.report_items(user=request.user, report=report)
    leaders = [
        ("", "---------"),
        *((leader.pk, str(leader)) for leader in Leader.objects.filter(is_active=True)),
    ]
    rows = [
        (
            item,
            ReportItemForm(instance=item, prefix=f"item{item.pk}", leader_choices=leaders)
            if editable
            else None,
        )
        for item in items
    ]
    return render(
        request,
        "weekly/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "editable": editable,
            "unit_names": _unit_names() if editable else [],
            "can_reopen": is_office(request.user)
            and (report.state == ReportState.SUBMITTED or report.cycle.state == CycleState.CLOSED),
            "reopen_form": ReopenForm(),
        },
    )


@login_required
@require_POST
def item_save(request, pk):
    item = get_object_or_404(selectors.item_list(user=request.user), pk=pk)
    form = ReportItemForm(request.POST, instance=item, prefix=f"item{item.pk}")
    saved = False
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ITEM_FIELDS}
        try:
            services.item_save(item=item, by=request.user, **data)
            saved = True
        except services.WeeklyError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
    status = 200 if saved or _is_htmx(request) else 400
    if not _is_htmx(request):
        if saved:
            messages.success(request, _("已保存。"))
        else:
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("weekly:report_detail", pk=item.report_id)
    if saved:
        # Only the status line changes, so that nothing the user is typing in the card is replaced.
        return render(request, "weekly/_item_status.html", {"item": item})
    # A refusal re-renders the card, with its messages, in place of the whole card.
    item.refresh_from_db(fields=["done_this_week", "plan_next_week", "problems", "percent"])
    response = render(
        request, "weekly/_item.html", {"item": item, "form": form, "editable": True}, status=status
    )
    response["HX-Retarget"] = f"#item-{item.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
@require_POST
def report_submit(request, pk):
    report = get_object_or_404(selectors.report_list(user=request.user), pk=pk)
    try:
        version = request.POST.get("expected_version")
        services.report_submit(
            report=report, by=request.user, expected_version=int(version) if version else None
        )
    except services.WeeklyError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("周报已提交。"))
    return redirect("weekly:report_detail", pk=report.pk)


@office_required
@require_POST
def report_reopen(request, pk):
    report = get_object_or_404(selectors.report_list(user=request.user), pk=pk)
    form = ReopenForm(request.POST)
    form.is_valid()
    try:
        services.report_reopen(report=report, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except services.WeeklyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已退回该单位修改。"))
    return redirect("weekly:report_detail", pk=report.pk)


# --- the bulletin --------------------------------------------------------------------------------


def _bulletin_cycle(request, pk) -> ReportingCycle:
    if not selectors.can_read_bulletin(request.user):
        raise PermissionDenied
    return get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)


@login_required
def bulletin_view(request, pk):
    """The leaders' view: the figures, what is red and yellow, what needs coordinating, who did not file."""
    cycle = _bulletin_cycle(request, pk)
    flagged = {
        light: [
            (p.label, list(islice(p.flagged(light=light), FLAGGED_ON_PAGE))) for p in registry.providers()
        ]
        for light in ("red", "yellow")
    }
    return render(
        request,
        "weekly/bulletin.html",
        {
            "cycle": cycle,
            "bulletin": selectors.bulletin_for(user=request.user, cycle=cycle),
            "figures": bulletins.summary_figures(cycle),
            "flagged": flagged,
            "flagged_limit": FLAGGED_ON_PAGE,
            "requests": paginate(request, list(islice(bulletins.coordination_requests(cycle), 500))),
            "filing": bulletins.filing_lists(cycle),
            "weekly_meeting": selectors.weekly_meeting_list(user=request.user).filter(cycle=cycle).first(),
            "is_office": is_office(request.user),
        },
    )


@office_required
@require_POST
def bulletin_compile(request, pk):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    bulletin = bulletins.bulletin_request(cycle=cycle, by=request.user)
    if _is_htmx(request):
        return render(request, "weekly/_bulletin_status.html", {"bulletin": bulletin, "cycle": cycle})
    if bulletin.state == BulletinState.DONE:
        messages.success(request, _("周报已编制完成。"))
    elif bulletin.state == BulletinState.FAILED:
        messages.error(request, _("周报编制失败：%(e)s") % {"e": bulletin.error})
    else:
        messages.info(request, _("周报正在后台编制，完成后可下载。"))
    return redirect("weekly:cycle_detail", pk=cycle.pk)


@login_required
def bulletin_status(request, pk):
    cycle = _bulletin_cycle(request, pk)
    bulletin = selectors.bulletin_for(user=request.user, cycle=cycle)
    return render(request, "weekly/_bulletin_status.html", {"bulletin": bulletin, "cycle": cycle})


@login_required
def bulletin_download(request, pk, kind):
    cycle = _bulletin_cycle(request, pk)
    bulletin = selectors.bulletin_for(user=request.user, cycle=cycle)
    if bulletin is None or bulletin.state != BulletinState.DONE or kind not in ("docx", "xlsx"):
        raise Http404
    field = bulletin.docx if kind == "docx" else bulletin.xlsx
    if not field:
        raise Http404
    name = _("周报%(year)d年第%(n)d期.%(ext)s") % {
        "year": cycle.iso_year,
        "n": cycle.issue_number,
        "ext": kind,
    }
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


# --- the weekly meeting --------------------------------------------------------------------------


@office_required
@require_POST
def meeting_create(request, pk):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    form = WeeklyMeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("weekly:cycle_detail", pk=cycle.pk)
    try:
        weekly = services.weekly_meeting_create(cycle=cycle, by=request.user, **form.cleaned_data)
    except services.WeeklyError as error:
        messages.error(request, error.message)
        return redirect("weekly:cycle_detail", pk=cycle.pk)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("weekly:cycle_detail", pk=cycle.pk)
    return redirect("weekly:meeting_detail", pk=weekly.pk)


@login_required
def meeting_detail(request, pk):
    weekly = get_object_or_404(selectors.weekly_meeting_list(user=request.user), pk=pk)
    page = paginate(request, selectors.agenda_list(user=request.user, weekly_meeting=weekly))
    office = is_office(request.user)
    rows = [(item, None) for item in page]
    if office:
        blank = [("", "---------")]
        themes = blank + [(t.pk, t.name) for t in Theme.objects.filter(is_active=True)]
        leaders = blank + [(leader.pk, str(leader)) for leader in Leader.objects.filter(is_active=True)]
        rows = [
            (
                item,
                DecisionForm(
                    prefix=f"a{item.pk}",
                    initial={"expected_version": item.version, "title": item.title},
                    theme_choices=themes,
                    leader_choices=leaders,
                ),
            )
            for item in page
        ]
    return render(
        request,
        "weekly/meeting_detail.html",
        {
            "weekly": weekly,
            "rows": rows,
            "page_obj": page,
            "is_office": office,
            "add_form": AgendaAddForm(),
            "unit_names": _unit_names() if office else [],
        },
    )


@office_required
@require_POST
def agenda_decide(request, pk, item_pk):
    weekly = get_object_or_404(selectors.weekly_meeting_list(user=request.user), pk=pk)
    item = get_object_or_404(selectors.agenda_list(user=request.user, weekly_meeting=weekly), pk=item_pk)
    form = DecisionForm(request.POST, prefix=f"a{item.pk}")
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("weekly:meeting_detail", pk=weekly.pk)
    data = dict(form.cleaned_data)
    try:
        services.agenda_decide(item=item, by=request.user, **data)
    except services.WeeklyError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已记录会议决定。"))
    return redirect(reverse("weekly:meeting_detail", args=[weekly.pk]) + f"#agenda-{item.pk}")


@office_required
@require_POST
def agenda_add(request, pk):
    weekly = get_object_or_404(selectors.weekly_meeting_list(user=request.user), pk=pk)
    form = AgendaAddForm(request.POST)
    if form.is_valid():
        services.agenda_add(weekly_meeting=weekly, by=request.user, **form.cleaned_data)
        messages.success(request, _("已添加议题。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("weekly:meeting_detail", pk=weekly.pk)


@login_required
def minutes_download(request, pk):
    weekly = get_object_or_404(selectors.weekly_meeting_list(user=request.user), pk=pk)
    response = HttpResponse(
        minutes_docx(weekly),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = _("周例会纪要%(issue)s.docx") % {"issue": weekly.cycle.issue_label}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def decisions_export(request, pk):
    weekly = get_object_or_404(selectors.weekly_meeting_list(user=request.user), pk=pk)
    agenda = selectors.agenda_list(user=request.user, weekly_meeting=weekly)
    rows = (
        (
            a.order,
            str(a.get_kind_display()),
            a.title,
            a.unit.name if a.unit_id else "",
            a.detail,
            a.decision,
            str(a.get_action_display()) if a.action else "",
            a.resulting_directive_id,
            a.decided_at,
        )
        for a in agenda
    )
    headers = [
        _("序号"),
        _("议题类型"),
        _("议题"),
        _("相关单位"),
        _("议题内容"),
        _("会议决定"),
        _("决定事项"),
        _("督办事项编号"),
        _("决定时间"),
    ]
    content = write_workbook(title=_("周例会决定"), headers=headers, rows=rows)
    return workbook_response(
        content, filename=_("周例会决定%(issue)s.xlsx") % {"issue": weekly.cycle.issue_label}
    )
