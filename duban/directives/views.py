"""Pages of the directives: the board, my work, the directive page and the office's forms.

Views parse, call a selector or a service, and render; refusals are raised by the services and shown
by `core.middleware.RefusalMiddleware` (buttons) or `service_errors_into` (forms)."""

from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.accounts.rules import is_office_user
from duban.core.excel import workbook_response
from duban.core.forms import cleaned, service_errors_into
from duban.core.pagination import paginate
from duban.core.routes import Pages
from duban.core.uploads import EVIDENCE
from duban.core.views import attachment, button, done, find, form_of, form_page, import_page

from . import rules, selectors, services
from .filters import DirectiveFilterSet, NoticeFilterSet, ReminderFilterSet
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
    ReplyForm,
    SplitForm,
    TransitionForm,
)
from .models import CommentKind, Directive, Light, MilestoneState, Source, State
from .workflow import closing_by_decision

pages = Pages()

DETAIL = "directives:detail"


def _list_page(request, *, template: str, select):
    """A list with counts per light: the counts (one query, the light filter aside) also give the
    paginator its total, so a large list is scanned once for counting rather than twice."""
    filterset = DirectiveFilterSet(request.GET or None, user=request.user)
    light = filterset.light_chosen
    counts = selectors.light_counts(select(user=request.user, filters=filterset, light=False))
    directives = select(user=request.user, filters=filterset)
    page_obj = paginate(request, directives, count=counts[light] if light else counts["total"])
    page_obj.object_list = selectors.with_light_reasons(page_obj.object_list)
    context = {
        "page_obj": page_obj,
        "filter_form": filterset.form,
        "counts": counts,
        "light_counts": [(value, label, counts[value]) for value, label in Light.choices],
        "current_light": light,
        "is_office": is_office_user.test(request.user),
    }
    return render(request, template, context)


@pages.route("")
@login_required
def board(request):
    return _list_page(request, template="directives/board.html", select=selectors.directive_list)


@pages.route("mine/")
@login_required
def my_work(request):
    return _list_page(request, template="directives/my_work.html", select=selectors.my_work)


@pages.route("export/")
@login_required
def export(request):
    directives = selectors.directive_list(user=request.user, filters=request.GET)
    return workbook_response(services.directives_to_excel(directives), filename=_("督办事项台账.xlsx"))


def _get_directive(request, pk) -> Directive:
    return find(request, selectors.directive_list, pk)


@pages.route("<int:pk>/")
@login_required
def detail(request, pk):
    return _detail_page(request, _get_directive(request, pk))


def _detail_page(request, directive: Directive, *, progress_form=None, milestones=None):
    """The directive's page; `progress_form` is a report sent back with its errors (what was typed kept)."""
    user = request.user
    if milestones is None:
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
        "ladder": selectors.ladder(user=user, directive=directive),
        "sub_tasks": selectors.directive_list(user=user).filter(parent=directive),
        "transitions": services.allowed_transitions(user, directive),
        "closing_by_decision": closing_by_decision(directive),
        "light_reasons": selectors.light_reasons([directive])[directive.pk],
        "notice_withheld": rules.notice_withheld(directive),
        "evidence_types": ",".join(EVIDENCE),
        "max_upload_mb": settings.DUBAN_MAX_UPLOAD_MB,
        "transition_form": TransitionForm(initial={"expected_version": directive.version}),
        "progress_form": progress_form
        or ProgressForm(milestones=milestones, initial={"percent": directive.percent}),
        "milestone_form": MilestoneForm(),
        "comment_form": CommentForm(),
        "milestone_states": MilestoneState.choices,
    }
    return render(request, "directives/detail.html", context)


@pages.route("new/")
@office_required
def create(request):
    def save(form):
        form.cleaned_data.pop("expected_version", None)
        directive = services.directive_create(by=request.user, **form.cleaned_data)
        return done(
            request, _("已新增督办事项“%(title)s”。") % {"title": directive.title}, DETAIL, directive.pk
        )

    meeting = request.GET.get("meeting")
    # 会议议定 demands a meeting: start from it only when coming from one.
    source = Source.MEETING if meeting else selectors.usual_source()
    form = DirectiveCreateForm(request.POST or None, initial={"meeting": meeting, "source": source})
    form.fields["meeting"].queryset = selectors.meeting_list(user=request.user)
    return form_page(request, form, save=save, template="directives/directive_form.html")


@pages.route("<int:pk>/edit/")
@office_required
def edit(request, pk):
    directive = _get_directive(request, pk)

    def save(form):
        version = form.cleaned_data.pop("expected_version") or 0
        services.directive_update(
            directive=directive, by=request.user, expected_version=version, **form.cleaned_data
        )
        return done(request, _("已保存。"), DETAIL, pk)

    form = DirectiveForm(request.POST or None, instance=directive)
    form.fields["meeting"].queryset = selectors.meeting_list(user=request.user)
    return form_page(request, form, save=save, template="directives/directive_form.html", directive=directive)


@pages.route("<int:pk>/transition/<slug:name>/")
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
        confirmed=bool(data.get("confirmed")),
        expected_version=data.get("expected_version"),
    )
    return done(request, _("操作成功，事项状态：%(s)s。") % {"s": directive.get_state_display()}, DETAIL, pk)


@pages.route("<int:pk>/progress/")
@require_POST
@login_required
def progress_add(request, pk):
    directive = _get_directive(request, pk)
    milestones = list(selectors.milestone_list(user=request.user, directive=directive))
    form = ProgressForm(request.POST, milestones=milestones)
    if form.is_valid():
        # A refused file (or any refusal) lands on the form: what was typed stays, the file is named.
        with service_errors_into(form):
            services.progress_report_add(
                directive=directive,
                by=request.user,
                text=form.cleaned_data["text"],
                percent=form.cleaned_data["percent"],
                milestone_states=form.milestone_states(),
                files=request.FILES.getlist("files"),
            )
            return done(request, _("进展已报送。"), DETAIL, pk)
    if request.FILES:
        form.add_error(None, _("进展未报送，已填写的内容保留在下方；请修改后重新选择佐证材料再报送。"))
    return _detail_page(request, directive, progress_form=form, milestones=milestones)


# A button on the directive's page that sends a small form.
_on_directive = partial(button, select=selectors.directive_list, name="directive", page=DETAIL)

milestone_add = pages.route("<int:pk>/milestones/", name="milestone_add")(
    _on_directive(services.milestone_add, gettext_lazy("已新增节点。"), read=form_of(MilestoneForm))
)
comment_add = pages.route("<int:pk>/comments/", name="comment_add")(
    _on_directive(services.comment_add, gettext_lazy("批示已发送。"), read=form_of(CommentForm))
)


@pages.route("<int:pk>/milestones/<int:milestone_pk>/")
@require_POST
@login_required
def milestone_update(request, pk, milestone_pk):
    directive = _get_directive(request, pk)
    milestone = get_object_or_404(
        selectors.milestone_list(user=request.user, directive=directive), pk=milestone_pk
    )
    milestone.directive = directive
    services.milestone_update(milestone=milestone, by=request.user, state=request.POST.get("state") or None)
    return redirect(DETAIL, pk=pk)


@pages.route("<int:pk>/comments/<int:comment_pk>/reply/")
@require_POST
@login_required
def comment_reply(request, pk, comment_pk):
    directive = _get_directive(request, pk)
    comment = get_object_or_404(selectors.comment_list(user=request.user, directive=directive), pk=comment_pk)
    text = cleaned(CommentForm(request.POST))["text"]
    services.comment_reply(comment=comment, by=request.user, text=text)
    return done(request, _("回复已发送。"), DETAIL, pk=pk)


@pages.route("<int:pk>/split/")
@login_required
def split(request, pk):
    parent = find(request, selectors.directive_list, pk, may=rules.works_on)

    def save(form):
        child = services.directive_split(parent=parent, by=request.user, **form.cleaned_data)
        return done(request, _("已分解子任务。"), DETAIL, child.pk)

    form = SplitForm(request.POST or None, parent=parent)
    return form_page(request, form, save=save, template="directives/split_form.html", directive=parent)


@pages.route("assign/")
@office_required
def bulk_assign(request):
    drafts = selectors.directive_list(user=request.user, filters={"state": State.DRAFT})

    def save(form):
        data = {**form.cleaned_data, "directives": list(form.cleaned_data["directives"])}
        count = services.directives_assign_bulk(by=request.user, **data)
        return done(request, _("已交办 %(n)d 项督办事项。") % {"n": count}, "directives:board")

    # From the board: the drafts ticked there come preselected, to be confirmed here.
    chosen = request.GET.getlist("directives")
    form = BulkAssignForm(
        request.POST or None,
        drafts=drafts,
        initial={"directives": chosen},
        suggested_units=selectors.suggested_lead_units(drafts),
    )
    return form_page(request, form, save=save, template="directives/bulk_assign.html", chosen=len(chosen))


@pages.route("remind/")
@office_required
def remind(request):
    unit = request.POST.get("unit") or request.GET.get("unit")
    open_directives = selectors.open_directive_list(
        user=request.user, filters={"unit": unit} if unit else None
    )
    initial = {"unit": request.GET.get("unit"), "directives": request.GET.getlist("directive")}

    def save(form):
        services.reminder_send(by=request.user, **form.cleaned_data)
        return done(request, _("催办已发送。"), "directives:board")

    form = ReminderForm(request.POST or None, initial=initial, directives=open_directives)
    return form_page(request, form, save=save, template="directives/remind.html")


@pages.route("<int:pk>/notice/")
@office_required
def notice_issue(request, pk):
    directive = _get_directive(request, pk)

    def save(form):
        notice = services.notice_issue(directive=directive, by=request.user, **form.cleaned_data)
        return done(request, _("已印发督办通知单%(n)s。") % {"n": notice.number}, DETAIL, pk)

    form = NoticeForm(request.POST or None)
    return form_page(request, form, save=save, template="directives/notice_form.html", directive=directive)


@pages.route("notices/")
@login_required
def notice_list(request):
    """The supervision notices of a year with their reply state, and how many each unit received
    (counted against it)."""
    year = NoticeYearForm.chosen(request.GET)
    filters = request.GET.copy()
    filters["year"] = str(year)
    filterset = NoticeFilterSet(filters, user=request.user)
    notices = selectors.notice_list(user=request.user, filters=filters)
    page_obj = paginate(request, notices)
    page_obj.object_list = selectors.reply_due_notes(page_obj.object_list)
    return render(
        request,
        "directives/notice_list.html",
        {
            "year": year,
            "page_obj": page_obj,
            "filterset": filterset,
            "per_unit": selectors.notice_counts_by_unit(user=request.user, year=year)[:20],
        },
    )


@pages.route("reminders/")
@login_required
def reminder_list(request):
    """The reminders (催办) sent to units, newest first, with their reply state."""
    filterset = ReminderFilterSet(request.GET, user=request.user)
    page_obj = paginate(request, selectors.reminder_list(user=request.user, filters=request.GET))
    page_obj.object_list = selectors.reply_due_notes(page_obj.object_list)
    return render(request, "directives/reminder_list.html", {"page_obj": page_obj, "filterset": filterset})


def _reply_page(request, sent, *, reply, title: str, back: str):
    """The addressed unit's reply form: text and an optional file (the shared upload checks)."""

    def save(form):
        reply(by=request.user, text=form.cleaned_data["text"], file=form.cleaned_data.get("file"))
        return done(request, _("回复已发送。"), back)

    form = ReplyForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        save=save,
        template="directives/reply_form.html",
        sent=sent,
        title=title,
        cancel_url=back,
        multipart=True,
        evidence_types=",".join(EVIDENCE),
        max_upload_mb=settings.DUBAN_MAX_UPLOAD_MB,
    )


@pages.route("notices/<int:notice_pk>/reply/")
@login_required
def notice_reply(request, notice_pk):
    notice = find(request, selectors.notice_list, notice_pk, may=rules.may_answer)
    return _reply_page(
        request,
        notice,
        reply=partial(services.notice_reply, notice=notice),
        title=_("回复督办通知单%(n)s") % {"n": notice.number},
        back=reverse("directives:notice_list") + f"?year={notice.year}",
    )


@pages.route("reminders/<int:reminder_pk>/reply/")
@login_required
def reminder_reply(request, reminder_pk):
    reminder = find(request, selectors.reminder_list, reminder_pk, may=rules.may_answer)
    return _reply_page(
        request,
        reminder,
        reply=partial(services.reminder_reply, reminder=reminder),
        title=_("回复催办"),
        back=reverse("directives:reminder_list"),
    )


@pages.route("replies/<int:reply_pk>/file/")
@login_required
def reply_download(request, reply_pk):
    reply = find(request, selectors.reply_list, reply_pk)
    return attachment(reply.file, reply.file_name or reply.file.name)


@pages.route("notices/<int:notice_pk>/")
@login_required
def notice_download(request, notice_pk):
    notice = find(request, selectors.notice_list, notice_pk)
    # A step of the ladder's number names its document (督办〔2026〕蓝3号); a plain one is 〔2026〕第3号.
    name = f"{notice.number}.docx" if notice.series else f"督办通知单{notice.number}.docx"
    return attachment(notice.file, name)


@pages.route("evidence/<int:evidence_pk>/")
@login_required
def evidence_download(request, evidence_pk):
    evidence = find(request, selectors.evidence_list, evidence_pk)
    return attachment(evidence.file, evidence.name)


@pages.route("import/", name="import")
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
        extra_context={"template_url": reverse("directives:import_template")},
    )


@pages.route("import/template/")
@office_required
def import_template(request):
    return workbook_response(services.ledger_template(), filename=_("督办台账导入模板.xlsx"))


@pages.route("meetings/")
@login_required
def meeting_list(request):
    meetings = selectors.meeting_list(user=request.user)
    return render(
        request,
        "directives/meeting_list.html",
        {"page_obj": paginate(request, meetings), "is_office": is_office_user.test(request.user)},
    )


@pages.route("meetings/<int:pk>/")
@login_required
def meeting_detail(request, pk):
    meeting = find(request, selectors.meeting_list, pk)
    # A weekly meeting's page is the weekly cycle's (agenda, decisions and the directives they made).
    if (page := selectors.meeting_page(meeting, request.user)) is not None:
        return redirect(page)
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


@pages.route("meetings/new/")
@office_required
def meeting_create(request):
    def save(form):
        meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        return done(request, _("已新增会议。"), "directives:meeting_detail", meeting.pk)

    form = MeetingForm(request.POST or None)
    return form_page(request, form, save=save, template="directives/meeting_form.html")
