"""Pages of the directives: the board, my work, the directive page and the office's forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.accounts.roles import Role
from duban.accounts.scope import is_office
from duban.core.concurrency import EditConflict
from duban.core.excel import ImportRejected, workbook_response
from duban.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from duban.core.uploads import SPREADSHEET, check_upload

from . import selectors, services
from .forms import (
    BulkAssignForm,
    CommentForm,
    DirectiveCreateForm,
    DirectiveFilterForm,
    DirectiveForm,
    ImportForm,
    MeetingForm,
    MilestoneForm,
    NoticeForm,
    ProgressForm,
    ReminderForm,
    SplitForm,
    TransitionForm,
)
from .models import ACTIVE_STATES, CommentKind, Directive, Light, MilestoneState, State
from .workflow import Actor


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _filter_form(request):
    return DirectiveFilterForm(request.GET or None, meetings=selectors.meeting_list(user=request.user))


def _list_page(request, *, template: str, select, filter_form):
    """A list with counts per light: the counts (one query, the light filter aside) also give the
    paginator its total, so a large list is scanned once for counting rather than twice."""
    filters = filter_form.filters()
    light = filters.pop("light", None)
    directives = select(user=request.user, filters=filters)
    counts = selectors.light_counts(directives)
    if light:
        directives = directives.filter(light=light)
    try:
        per_page = max(1, min(int(request.GET.get("page_size", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE))
    except ValueError:
        per_page = DEFAULT_PAGE_SIZE
    paginator = Paginator(directives, per_page)
    paginator.count = counts[light] if light else counts["total"]
    context = {
        "page_obj": paginator.get_page(request.GET.get("page")),
        "filter_form": filter_form,
        "options": filter_form.option_lists(),
        "counts": counts,
        "lights": Light,
        "current_light": light or "",
        "is_office": is_office(request.user),
    }
    return render(request, template, context)


@login_required
def board(request):
    return _list_page(
        request,
        template="directives/board.html",
        select=selectors.directive_list,
        filter_form=_filter_form(request),
    )


@login_required
def my_work(request):
    return _list_page(
        request,
        template="directives/my_work.html",
        select=selectors.my_work,
        filter_form=_filter_form(request),
    )


@login_required
def export(request):
    form = _filter_form(request)
    directives = selectors.directive_list(user=request.user, filters=form.filters())
    return workbook_response(services.directives_to_excel(directives), filename=_("督办事项台账.xlsx"))


def _get_directive(request, pk) -> Directive:
    return get_object_or_404(selectors.directive_list(user=request.user), pk=pk)


@login_required
def detail(request, pk):
    directive = _get_directive(request, pk)
    user = request.user
    milestones = list(selectors.milestone_list(user=user, directive=directive))
    is_unit = services.acts_as(user, Actor.UNIT, directive)
    comments = list(selectors.comment_list(user=user, directive=directive))
    replies: dict[int, list] = {}
    for comment in comments:
        if comment.reply_to_id:
            replies.setdefault(comment.reply_to_id, []).append(comment)
    context = {
        "directive": directive,
        "co_units": directive.co_units.all(),
        "milestones": milestones,
        "progress": paginate(request, selectors.progress_list(user=user, directive=directive), per_page=20),
        "instructions": [(c, replies.get(c.pk, [])) for c in comments if c.kind == CommentKind.INSTRUCTION],
        "events": selectors.timeline(user=user, directive=directive),
        "notices": selectors.notice_list(user=user).filter(directive=directive),
        "sub_tasks": selectors.directive_list(user=user).filter(parent=directive),
        "transitions": services.allowed_transitions(user, directive),
        "transition_form": TransitionForm(initial={"expected_version": directive.version}),
        "is_office": is_office(user),
        "is_unit": is_unit,
        "can_report": is_unit and directive.state in (State.ASSIGNED, State.IN_PROGRESS),
        "can_comment": user.role == Role.LEADER or is_office(user),
        "can_reply": user.role == Role.LIAISON,
        "can_plan": (is_unit or is_office(user)) and directive.state in (State.DRAFT, *ACTIVE_STATES),
        "can_notice": is_office(user) and directive.light == Light.RED and directive.state in ACTIVE_STATES,
        "progress_form": ProgressForm(milestones=milestones),
        "milestone_form": MilestoneForm(),
        "comment_form": CommentForm(),
        "milestone_states": MilestoneState.choices,
    }
    return render(request, "directives/detail.html", context)


@office_required
def create(request):
    form = DirectiveCreateForm(request.POST or None, initial={"meeting": request.GET.get("meeting")})
    form.fields["meeting"].queryset = selectors.meeting_list(user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            directive = services.directive_create(by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已新增督办事项“%(title)s”。") % {"title": directive.title})
            return redirect("directives:detail", pk=directive.pk)
    return render(request, "directives/directive_form.html", {"form": form})


@office_required
def edit(request, pk):
    directive = _get_directive(request, pk)
    form = DirectiveForm(request.POST or None, instance=directive)
    form.fields["meeting"].queryset = selectors.meeting_list(user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            services.directive_update(
                directive=directive,
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
            return redirect("directives:detail", pk=directive.pk)
    return render(request, "directives/directive_form.html", {"form": form, "directive": directive})


@require_POST
@login_required
def transition(request, pk, name):
    directive = _get_directive(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        directive = services.directive_transition(
            directive=directive,
            name=name,
            by=request.user,
            note=data.get("note") or "",
            until=data.get("until"),
            expected_version=data.get("expected_version"),
        )
    except services.TransitionNotAllowed as refused:
        if refused.status == 403:
            raise PermissionDenied(refused.message) from refused
        messages.error(request, refused.message)
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("操作成功，事项状态：%(s)s。") % {"s": directive.get_state_display()})
    return redirect("directives:detail", pk=pk)


@require_POST
@login_required
def progress_add(request, pk):
    directive = _get_directive(request, pk)
    milestones = list(selectors.milestone_list(user=request.user, directive=directive))
    form = ProgressForm(request.POST, milestones=milestones)
    if not form.is_valid():
        messages.error(request, _("请填写进展情况和 0–100 之间的完成进度。"))
        return redirect("directives:detail", pk=pk)
    try:
        services.progress_report_add(
            directive=directive,
            by=request.user,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            milestone_states=form.milestone_states(),
            files=request.FILES.getlist("files"),
        )
    except services.TransitionNotAllowed as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("进展已报送。"))
    return redirect("directives:detail", pk=pk)


@require_POST
@login_required
def milestone_add(request, pk):
    directive = _get_directive(request, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(directive=directive, by=request.user, **form.cleaned_data)
        except services.TransitionNotAllowed as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("已新增节点。"))
    else:
        messages.error(request, _("请填写节点名称和时限。"))
    return redirect("directives:detail", pk=pk)


@require_POST
@login_required
def milestone_update(request, pk, milestone_pk):
    directive = _get_directive(request, pk)
    milestone = get_object_or_404(
        selectors.milestone_list(user=request.user, directive=directive), pk=milestone_pk
    )
    milestone.directive = directive
    state = request.POST.get("state") or None
    try:
        services.milestone_update(milestone=milestone, by=request.user, state=state)
    except services.TransitionNotAllowed as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("directives:detail", pk=pk)


@require_POST
@login_required
def comment_add(request, pk):
    directive = _get_directive(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(directive=directive, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("批示已发送。"))
    return redirect("directives:detail", pk=pk)


@require_POST
@login_required
def comment_reply(request, pk, comment_pk):
    directive = _get_directive(request, pk)
    comment = get_object_or_404(selectors.comment_list(user=request.user, directive=directive), pk=comment_pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_reply(comment=comment, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("回复已发送。"))
    return redirect("directives:detail", pk=pk)


@login_required
def split(request, pk):
    parent = _get_directive(request, pk)
    if not (is_office(request.user) or services.acts_as(request.user, Actor.UNIT, parent)):
        raise PermissionDenied
    form = SplitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.directive_split(parent=parent, by=request.user, **form.cleaned_data)
        except services.TransitionNotAllowed as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已分解子任务。"))
            return redirect("directives:detail", pk=child.pk)
    return render(request, "directives/split_form.html", {"form": form, "directive": parent})


@office_required
def bulk_assign(request):
    drafts = selectors.directive_list(user=request.user, filters={"state": State.DRAFT})
    form = BulkAssignForm(request.POST or None, drafts=drafts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.directives_assign_bulk(
                directives=list(data["directives"]),
                by=request.user,
                lead_unit=data["lead_unit"],
                responsible_leader=data["responsible_leader"],
                deadline=data["deadline"],
            )
        except services.TransitionNotAllowed as refused:
            form.add_error(None, refused.message)
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已交办 %(n)d 项督办事项。") % {"n": count})
            return redirect("directives:board")
    return render(request, "directives/bulk_assign.html", {"form": form})


@office_required
def remind(request):
    open_directives = selectors.directive_list(user=request.user).filter(state__in=ACTIVE_STATES)
    if unit_id := (request.POST.get("unit") or request.GET.get("unit")):
        open_directives = selectors.apply_filters(open_directives, {"unit": unit_id})
    initial = {"unit": request.GET.get("unit"), "directives": request.GET.getlist("directive")}
    form = ReminderForm(request.POST or None, initial=initial, directives=open_directives)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_send(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("催办已发送。"))
            return redirect("directives:board")
    return render(request, "directives/remind.html", {"form": form})


@office_required
def notice_issue(request, pk):
    directive = _get_directive(request, pk)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_issue(directive=directive, by=request.user, **form.cleaned_data)
        except services.TransitionNotAllowed as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("已印发督办通知单%(n)s。") % {"n": notice.number})
            return redirect("directives:detail", pk=pk)
    return render(request, "directives/notice_form.html", {"form": form, "directive": directive})


@login_required
def notice_list(request):
    """The supervision notices of a year, and how many each unit received (counted against it)."""
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    notices = selectors.notice_list(user=request.user).filter(year=year)
    return render(
        request,
        "directives/notice_list.html",
        {
            "year": year,
            "page_obj": paginate(request, notices),
            "per_unit": selectors.notice_counts_by_unit(user=request.user, year=year)[:20],
        },
    )


@login_required
def notice_download(request, notice_pk):
    notice = get_object_or_404(selectors.notice_list(user=request.user), pk=notice_pk)
    if not notice.file:
        raise Http404
    return FileResponse(
        notice.file.open("rb"), as_attachment=True, filename=f"督办通知单{notice.number}.docx"
    )


@login_required
def evidence_download(request, evidence_pk):
    evidence = get_object_or_404(selectors.evidence_list(user=request.user), pk=evidence_pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@office_required
def import_ledger(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=SPREADSHEET)
            result = services.directives_import_excel(
                upload=upload, by=request.user, assign=form.cleaned_data["assign"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        except ImportRejected as rejected:
            row_errors = rejected.errors.messages()
            messages.error(
                request, _("导入未完成：发现 %(n)d 处错误，未保存任何数据。") % {"n": len(row_errors)}
            )
        else:
            messages.success(request, _("导入完成：新增 %(created)d 项督办事项。") % result)
            return redirect("directives:board")
    return render(request, "directives/import.html", {"form": form, "row_errors": row_errors})


@login_required
def meeting_list(request):
    meetings = selectors.meeting_list(user=request.user)
    return render(
        request,
        "directives/meeting_list.html",
        {"page_obj": paginate(request, meetings), "is_office": is_office(request.user)},
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    directives = selectors.directive_list(user=request.user, filters={"meeting": meeting.pk})
    return render(
        request,
        "directives/meeting_detail.html",
        {
            "meeting": meeting,
            "page_obj": paginate(request, directives),
            "is_office": is_office(request.user),
            "today": timezone.localdate(),
        },
    )


@office_required
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已新增会议。"))
            return redirect("directives:meeting_detail", pk=meeting.pk)
    return render(request, "directives/meeting_form.html", {"form": form})
