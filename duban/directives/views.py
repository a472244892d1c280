"""Pages of the directives: the board, my work, the directive page and the office's forms.

Views parse, call a selector or a service, and render; refusals are raised by the services and shown
by `core.middleware.RefusalMiddleware` (buttons) or `service_errors_into` (forms)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.accounts.rules import is_office_user
from duban.core.excel import workbook_response
from duban.core.forms import service_errors_into
from duban.core.pagination import paginate
from duban.core.rules import require
from duban.core.views import import_page

from . import rules, selectors, services
from .filters import DirectiveFilterSet
from .forms import (
    BulkAssignForm,
    CommentForm,
    DirectiveCreateForm,
    DirectiveForm,
    LedgerImportForm,
    MeetingForm,
    MilestoneForm,
    NoticeForm,
    NoticeYearForm,
    ProgressForm,
    ReminderForm,
    SplitForm,
    TransitionForm,
)
from .models import CommentKind, Directive, Light, MilestoneState, State


def _list_page(request, *, template: str, select):
    """A list with counts per light: the counts (one query, the light filter aside) also give the
    paginator its total, so a large list is scanned once for counting rather than twice."""
    filterset = DirectiveFilterSet(request.GET or None, user=request.user)
    light = filterset.light_chosen
    counts = selectors.light_counts(select(user=request.user, filters=filterset, light=False))
    directives = select(user=request.user, filters=filterset)
    context = {
        "page_obj": paginate(request, directives, count=counts[light] if light else counts["total"]),
        "filter_form": filterset.form,
        "counts": counts,
        "light_counts": [(value, label, counts[value]) for value, label in Light.choices],
        "current_light": light,
        "is_office": is_office_user.test(request.user),
    }
    return render(request, template, context)


@login_required
def board(request):
    return _list_page(request, template="directives/board.html", select=selectors.directive_list)


@login_required
def my_work(request):
    return _list_page(request, template="directives/my_work.html", select=selectors.my_work)


@login_required
def export(request):
    directives = selectors.directive_list(user=request.user, filters=request.GET)
    return workbook_response(services.directives_to_excel(directives), filename=_("督办事项台账.xlsx"))


def _get_directive(request, pk) -> Directive:
    return get_object_or_404(selectors.directive_list(user=request.user), pk=pk)


@login_required
def detail(request, pk):
    directive = _get_directive(request, pk)
    user = request.user
    milestones = list(selectors.milestone_list(user=user, directive=directive))
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
        "progress_form": ProgressForm(milestones=milestones),
        "milestone_form": MilestoneForm(),
        "comment_form": CommentForm(),
        "milestone_states": MilestoneState.choices,
    }
    return render(request, "directives/detail.html", context)


def _form_page(request, form, template: str, *, save, context: dict | None = None):
    """A form page: on a valid POST, `save(cleaned_data)` acts and returns where to go next; a
    refusal lands on the form, beside its field where it names one."""
    if request.method == "POST" and form.is_valid():
        with service_errors_into(form):
            return redirect(save(form.cleaned_data))
    return render(request, template, {"form": form, **(context or {})})


def _detail_url(directive) -> str:
    return reverse("directives:detail", args=[directive.pk])


@office_required
def create(request):
    def save(data):
        data.pop("expected_version", None)
        directive = services.directive_create(by=request.user, **data)
        messages.success(request, _("已新增督办事项“%(title)s”。") % {"title": directive.title})
        return _detail_url(directive)

    form = DirectiveCreateForm(request.POST or None, initial={"meeting": request.GET.get("meeting")})
    form.fields["meeting"].queryset = selectors.meeting_list(user=request.user)
    return _form_page(request, form, "directives/directive_form.html", save=save)


@office_required
def edit(request, pk):
    directive = _get_directive(request, pk)

    def save(data):
        version = data.pop("expected_version") or 0
        services.directive_update(directive=directive, by=request.user, expected_version=version, **data)
        messages.success(request, _("已保存。"))
        return _detail_url(directive)

    form = DirectiveForm(request.POST or None, instance=directive)
    form.fields["meeting"].queryset = selectors.meeting_list(user=request.user)
    return _form_page(
        request, form, "directives/directive_form.html", save=save, context={"directive": directive}
    )


@require_POST
@login_required
def transition(request, pk, name):
    directive = _get_directive(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    directive = services.directive_transition(
        directive=directive,
        name=name,
        by=request.user,
        note=data.get("note") or "",
        until=data.get("until"),
        expected_version=data.get("expected_version"),
    )
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
    services.progress_report_add(
        directive=directive,
        by=request.user,
        text=form.cleaned_data["text"],
        percent=form.cleaned_data["percent"],
        milestone_states=form.milestone_states(),
        files=request.FILES.getlist("files"),
    )
    messages.success(request, _("进展已报送。"))
    return redirect("directives:detail", pk=pk)


@require_POST
@login_required
def milestone_add(request, pk):
    directive = _get_directive(request, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(directive=directive, by=request.user, **form.cleaned_data)
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
    services.milestone_update(milestone=milestone, by=request.user, state=request.POST.get("state") or None)
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
    require(rules.works_on, request.user, parent)

    def save(data):
        child = services.directive_split(parent=parent, by=request.user, **data)
        messages.success(request, _("已分解子任务。"))
        return _detail_url(child)

    form = SplitForm(request.POST or None, parent=parent)
    return _form_page(request, form, "directives/split_form.html", save=save, context={"directive": parent})


@office_required
def bulk_assign(request):
    drafts = selectors.directive_list(user=request.user, filters={"state": State.DRAFT})

    def save(data):
        data["directives"] = list(data["directives"])
        count = services.directives_assign_bulk(by=request.user, **data)
        messages.success(request, _("已交办 %(n)d 项督办事项。") % {"n": count})
        return reverse("directives:board")

    form = BulkAssignForm(request.POST or None, drafts=drafts)
    return _form_page(request, form, "directives/bulk_assign.html", save=save)


@office_required
def remind(request):
    unit = request.POST.get("unit") or request.GET.get("unit")
    open_directives = selectors.open_directive_list(
        user=request.user, filters={"unit": unit} if unit else None
    )
    initial = {"unit": request.GET.get("unit"), "directives": request.GET.getlist("directive")}

    def save(data):
        services.reminder_send(by=request.user, **data)
        messages.success(request, _("催办已发送。"))
        return reverse("directives:board")

    form = ReminderForm(request.POST or None, initial=initial, directives=open_directives)
    return _form_page(request, form, "directives/remind.html", save=save)


@office_required
def notice_issue(request, pk):
    directive = _get_directive(request, pk)

    def save(data):
        notice = services.notice_issue(directive=directive, by=request.user, **data)
        messages.success(request, _("已印发督办通知单%(n)s。") % {"n": notice.number})
        return _detail_url(directive)

    form = NoticeForm(request.POST or None)
    return _form_page(
        request, form, "directives/notice_form.html", save=save, context={"directive": directive}
    )


@login_required
def notice_list(request):
    """The supervision notices of a year, and how many each unit received (counted against it)."""
    year = NoticeYearForm.chosen(request.GET)
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
    return import_page(
        request,
        services.DirectiveImport(),
        title=_("导入督办台账"),
        help_text=_(
            "表头：事项名称、具体内容、工作主题、责任领导、牵头单位、配合单位、办理时限、优先级、来源、会议、"
            "来源说明。任何一行有错，全部不保存。可先导出现有台账作为模板。"
        ),
        success_url=reverse("directives:board"),
        form_class=LedgerImportForm,
    )


@login_required
def meeting_list(request):
    meetings = selectors.meeting_list(user=request.user)
    return render(
        request,
        "directives/meeting_list.html",
        {"page_obj": paginate(request, meetings), "is_office": is_office_user.test(request.user)},
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    directives = selectors.meeting_directives(user=request.user, meeting=meeting)
    return render(
        request,
        "directives/meeting_detail.html",
        {
            "meeting": meeting,
            "page_obj": paginate(request, directives),
            "is_office": is_office_user.test(request.user),
            "today": timezone.localdate(),
        },
    )


@office_required
def meeting_create(request):

    def save(data):
        meeting = services.meeting_create(by=request.user, **data)
        messages.success(request, _("已新增会议。"))
        return reverse("directives:meeting_detail", args=[meeting.pk])

    return _form_page(request, MeetingForm(request.POST or None), "directives/meeting_form.html", save=save)
