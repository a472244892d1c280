"""Pages of the minutes import (office only): paste or upload, edit the drafts, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from duban.accounts.decorators import office_required
from duban.core.pagination import paginate

from . import selectors, services
from .forms import MeetingForm, RowForm, SourceForm, SplitForm
from .models import MinutesDraft


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _draft(request, pk: int) -> MinutesDraft:
    return get_object_or_404(selectors.draft_list(user=request.user), pk=pk)


def _row(draft: MinutesDraft, key: int) -> dict:
    row = selectors.draft_row(draft, key)
    if row is None:
        raise Http404
    return row


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


@office_required
def draft_list(request):
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_create(
                by=request.user,
                text=form.cleaned_data["source_text"],
                meeting_date=form.cleaned_data.get("meeting_date"),
                source_name=form.cleaned_data.get("source_name", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("已提取 %(count)d 项督办事项草稿，请核对后确认。") % {"count": len(draft.rows)}
            )
            return redirect("minutes:draft_detail", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    drafts = selectors.draft_list(user=request.user).defer("source_text", "normalized_text", "extraction")
    page_obj = paginate(request, drafts)
    return render(request, "minutes/draft_list.html", {"form": form, "page_obj": page_obj}, status=status)


def _detail(request, draft: MinutesDraft, *, meeting_form=None, problems=None, editing=None, status=200):
    """The draft page; `editing` is (row key, form template, form) when a row is edited without htmx."""
    context = selectors.workspace(draft)
    context["meeting_form"] = meeting_form or MeetingForm(instance=draft)
    context["problems"] = problems
    if problems is None and draft.is_open:
        context["pending"] = services.confirm_problems(draft)
    if editing is not None:
        context["editing_key"], context["editing_template"], context["form"] = editing
    return render(request, "minutes/draft_detail.html", context, status=status)


@office_required
def draft_detail(request, pk: int):
    return _detail(request, _draft(request, pk))


@office_required
@require_POST
def draft_meeting(request, pk: int):
    """Save the meeting's details; with `confirm`, then create the meeting and its directives."""
    draft = _draft(request, pk)
    if not draft.is_open:
        messages.error(request, _("该纪要已确认，不能再修改。"))
        return redirect("minutes:draft_detail", pk=draft.pk)
    form = MeetingForm(request.POST, instance=MinutesDraft.objects.get(pk=draft.pk))
    if not form.is_valid():
        return _detail(request, draft, meeting_form=form, status=400)
    draft = services.draft_update(draft=draft, by=request.user, **form.cleaned_data)
    if "confirm" not in request.POST:
        messages.success(request, _("会议信息已保存。"))
        return redirect("minutes:draft_detail", pk=draft.pk)
    try:
        meeting = services.draft_confirm(draft=draft, by=request.user)
    except services.ConfirmRejected as rejected:
        draft.refresh_from_db()
        return _detail(request, draft, problems=rejected, status=400)
    messages.success(
        request,
        _("已创建会议“%(meeting)s”和 %(count)d 项督办事项。")
        % {"meeting": meeting.title, "count": meeting.directives.count()},
    )
    return redirect("directives:meeting_detail", pk=meeting.pk)


# Sent with every htmx change so the list of what still blocks confirmation reloads itself.
CHANGED_EVENT = "minutes-draft-changed"


def _workspace_response(request, draft: MinutesDraft, *, error: str = ""):
    if _is_htmx(request):
        context = selectors.workspace(draft)
        context["error"] = error
        response = render(request, "minutes/_workspace.html", context)
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    if error:
        messages.error(request, error)
    return redirect("minutes:draft_detail", pk=draft.pk)


def _row_response(request, draft: MinutesDraft, key: int, *, form=None, status=200):
    rows = selectors.rows_for_display(draft)
    row = next((r for r in rows if r["key"] == key), None)
    if row is None:
        raise Http404
    template = "minutes/_row_form.html" if form is not None else "minutes/_row.html"
    return render(request, template, {"draft": draft, "row": row, "form": form}, status=status)


@office_required
def draft_pending(request, pk: int):
    draft = _draft(request, pk)
    pending = services.confirm_problems(draft) if draft.is_open else None
    return render(request, "minutes/_pending.html", {"pending": pending})


@office_required
def row_show(request, pk: int, key: int):
    draft = _draft(request, pk)
    return _row_response(request, draft, key)


@office_required
@require_http_methods(["GET", "POST"])
def row_edit(request, pk: int, key: int):
    draft = _draft(request, pk)
    row = _row(draft, key)
    if not draft.is_open:
        raise Http404
    if request.method == "GET":
        form = RowForm(initial=RowForm.initial_from(row), prefix=f"r{key}")
        if not _is_htmx(request):
            return _detail(request, draft, editing=(key, "minutes/_row_form.html", form))
        return _row_response(request, draft, key, form=form)
    form = RowForm(request.POST, prefix=f"r{key}")
    if form.is_valid():
        try:
            services.draft_row_update(draft=draft, by=request.user, key=key, values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        if _is_htmx(request):
            return _row_response(request, draft, key, form=form)
        return _detail(request, draft, editing=(key, "minutes/_row_form.html", form), status=400)
    draft.refresh_from_db()
    if _is_htmx(request):
        response = _row_response(request, draft, key)
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    return redirect("minutes:draft_detail", pk=draft.pk)


def _row_action(request, pk: int, key: int, action) -> HttpResponse:
    draft = _draft(request, pk)
    _row(draft, key)
    try:
        draft = action(draft)
    except ValidationError as error:
        return _workspace_response(request, draft, error=_error_text(error))
    return _workspace_response(request, draft)


@office_required
@require_POST
def row_merge(request, pk: int, key: int):
    return _row_action(
        request, pk, key, lambda draft: services.draft_rows_merge(draft=draft, by=request.user, key=key)
    )


@office_required
@require_POST
def row_drop(request, pk: int, key: int):
    return _row_action(
        request, pk, key, lambda draft: services.draft_row_drop(draft=draft, by=request.user, key=key)
    )


@office_required
@require_http_methods(["GET", "POST"])
def row_split(request, pk: int, key: int):
    draft = _draft(request, pk)
    row = _row(draft, key)
    if request.method == "GET":
        form = SplitForm(row=row)
        if not _is_htmx(request):
            return _detail(request, draft, editing=(key, "minutes/_split_form.html", form))
        rows = selectors.rows_for_display(draft)
        shown = next(r for r in rows if r["key"] == key)
        return render(request, "minutes/_split_form.html", {"draft": draft, "row": shown, "form": form})
    form = SplitForm(request.POST, row=row)
    if not form.is_valid():
        return _workspace_response(request, draft, error=_("请选择拆分位置。"))
    position = form.cleaned_data["position"]
    return _row_action(
        request,
        pk,
        key,
        lambda draft: services.draft_row_split(draft=draft, by=request.user, key=key, position=position),
    )
