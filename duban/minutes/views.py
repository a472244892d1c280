"""Pages of the minutes import (the office's): paste or upload, edit the drafts, confirm.

Views parse, call a selector or a service and render. Refusals are raised by the services and shown by
`core.middleware.RefusalMiddleware` (an alert for htmx, else a message on the page) or beside the
fields of the form that asked. Every editing form sends the version of the draft the page showed
(`minutes/_version.html`); each htmx answer to a change brings the new version to all of them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from duban.core.concurrency import parse_version
from duban.core.errors import Invalid
from duban.core.forms import service_errors_into
from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.core.views import done, find, list_page

from . import rules, selectors, services
from .forms import MeetingForm, RowForm, SourceForm, SplitForm
from .models import DraftState, MinutesDraft

pages = Pages()

# Sent with every htmx change so the list of what still blocks confirmation reloads itself.
CHANGED_EVENT = "minutes-draft-changed"


office_page = rule_required(rules.may_import_minutes)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _draft(request, pk: int) -> MinutesDraft:
    return find(request, selectors.draft_list, pk)


def _row(draft: MinutesDraft, key: int) -> dict:
    row = selectors.draft_row(draft, key)
    if row is None:
        raise Http404
    return row


def _editable_row(request, pk: int, key: int) -> tuple[MinutesDraft, dict]:
    """The draft and its row, for a form that edits it (a confirmed draft has none: 404)."""
    draft = _draft(request, pk)
    row = _row(draft, key)
    if not rules.may_edit_draft.test(request.user, draft):
        raise Http404
    return draft, row


def _version(request) -> int | None:
    """The version of the draft the editing form was shown with (None: an edit naming none)."""
    value = request.POST.get("version", "")
    return None if value == "" else parse_version(value)


@pages.route("")
@office_page
def draft_list(request):
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with service_errors_into(form):
            draft = services.draft_create(
                by=request.user,
                text=form.source.text,
                source_name=form.source.name,
                meeting_date=form.cleaned_data.get("meeting_date"),
            )
            if draft.is_extracting:
                messages.info(request, _("文字较长，已转入后台提取；本页显示进度，完成后即可核对。"))
            else:
                messages.success(
                    request, _("已提取 %(count)d 项督办事项草稿，请核对后确认。") % {"count": len(draft.rows)}
                )
            return redirect("minutes:draft_detail", pk=draft.pk)
    drafts = selectors.draft_summaries(user=request.user)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = list_page(
        request,
        "minutes/draft_list.html",
        drafts,
        form=form,
        title=_("会议纪要导入"),
        # What the browser may send as pasted text (the form's own fields take a little of it).
        paste_limit=limit - 64 * 1024,
        paste_limit_mb=f"{limit / (1024 * 1024):g}",
    )
    if form.errors:
        response.status_code = 400
    return response


def _detail(request, draft: MinutesDraft, *, meeting_form=None, problems=None, editing=None, status=200):
    """The draft page; `editing` is (row key, form template, form) when a row is edited without htmx.
    A draft still being extracted (or that failed) shows its progress (or its error) instead."""
    if draft.state in (DraftState.EXTRACTING, DraftState.FAILED):
        return render(request, "minutes/draft_extracting.html", {"draft": draft}, status=status)
    context = selectors.workspace(draft, order=_order(request))
    context["meeting_form"] = meeting_form or MeetingForm(instance=draft)
    context["problems"] = problems
    if problems is None and draft.is_open:
        context["pending"] = services.confirm_problems(draft)
    if editing is not None:
        context["editing_key"], context["editing_template"], context["form"] = editing
    return render(request, "minutes/draft_detail.html", context, status=status)


@pages.route("<int:pk>/")
@office_page
def draft_detail(request, pk: int):
    return _detail(request, _draft(request, pk))


@pages.route("<int:pk>/meeting/")
@office_page
@require_POST
def draft_meeting(request, pk: int):
    """Save the meeting's details; with `confirm`, then create the meeting and its directives."""
    draft = _draft(request, pk)
    form = MeetingForm(request.POST, instance=_draft(request, pk))
    if not form.is_valid():
        return _detail(request, draft, meeting_form=form, status=400)
    draft = services.draft_update(
        draft=draft, by=request.user, expected_version=_version(request), **form.cleaned_data
    )
    if "confirm" not in request.POST:
        return done(request, _("会议信息已保存。"), "minutes:draft_detail", pk=draft.pk)
    problems = services.confirm_problems(draft)
    if problems is not None:
        return _detail(request, draft, problems=problems, status=400)
    meeting = services.draft_confirm(draft=draft, by=request.user, expected_version=draft.version)
    messages.success(
        request,
        _("已创建会议“%(meeting)s”和 %(count)d 项督办事项。")
        % {"meeting": meeting.title, "count": meeting.directives.count()},
    )
    return redirect("directives:meeting_detail", pk=meeting.pk)


@pages.route("<int:pk>/progress/")
@office_page
def draft_progress(request, pk: int):
    """The extraction's progress (polled by the page); once done, htmx is sent to the draft."""
    draft = _draft(request, pk)
    if draft.state == DraftState.EXTRACTING or not _is_htmx(request):
        return render(request, "minutes/_extraction_progress.html", {"draft": draft})
    response = render(request, "minutes/_extraction_progress.html", {"draft": draft})
    if draft.state != DraftState.FAILED:
        response["HX-Redirect"] = reverse("minutes:draft_detail", args=[draft.pk])
    return response


@pages.route("<int:pk>/delete/")
@office_page
@require_POST
def draft_delete(request, pk: int):
    draft = _draft(request, pk)
    name = str(draft)
    services.draft_delete(draft=draft, by=request.user)
    return done(request, _("已删除导入记录“%(name)s”。") % {"name": name}, "minutes:draft_list")


@pages.route("<int:pk>/pending/")
@office_page
def draft_pending(request, pk: int):
    draft = _draft(request, pk)
    pending = services.confirm_problems(draft) if draft.is_open else None
    return render(request, "minutes/_pending.html", {"pending": pending})


# --- the rows (htmx partials; without htmx, the draft page) -----------------------------------------


def _changed(request, draft: MinutesDraft, template: str, context: dict):
    """The answer to a change: with htmx, the part that changed (with the draft's new version for every
    editing form, and the event that reloads the pending list); without, the draft page."""
    if not _is_htmx(request):
        url = reverse("minutes:draft_detail", args=[draft.pk])
        return redirect(f"{url}?order={_order(request)}" if _order(request) != selectors.ORDER_TEXT else url)
    response = render(request, "minutes/_changed.html", {**context, "draft": draft, "part": template})
    response["HX-Trigger"] = CHANGED_EVENT
    return response


def _row_part(request, draft: MinutesDraft, key: int, template: str, *, form=None):
    rows = selectors.rows_for_display(draft)
    row = next((r for r in rows if r["key"] == key), None)
    if row is None:
        raise Http404
    return render(request, template, {"draft": draft, "row": row, "form": form, "order": _order(request)})


def _row_form(request, draft: MinutesDraft, key: int, template: str, form):
    if not _is_htmx(request):
        status = 400 if form.errors else 200
        return _detail(request, draft, editing=(key, template, form), status=status)
    return _row_part(request, draft, key, template, form=form)


@pages.route("<int:pk>/rows/<int:key>/")
@office_page
def row_show(request, pk: int, key: int):
    return _row_part(request, _draft(request, pk), key, "minutes/_row.html")


@pages.route("<int:pk>/rows/<int:key>/edit/")
@office_page
@require_http_methods(["GET", "POST"])
def row_edit(request, pk: int, key: int):
    draft, row = _editable_row(request, pk, key)
    if request.method == "GET":
        form = RowForm(initial=RowForm.initial_from(row), prefix=f"r{key}")
        return _row_form(request, draft, key, "minutes/_row_form.html", form)
    form = RowForm(request.POST, prefix=f"r{key}")
    if form.is_valid():
        with service_errors_into(form):
            draft = services.draft_row_update(
                draft=draft,
                by=request.user,
                key=key,
                values=form.cleaned_data,
                expected_version=_version(request),
            )
            shown = next(r for r in selectors.rows_for_display(draft) if r["key"] == key)
            return _changed(request, draft, "minutes/_row.html", {"row": shown, "order": _order(request)})
    return _row_form(request, draft, key, "minutes/_row_form.html", form)


def _order(request) -> str:
    """How the page lists the rows (`?order=confidence`: least sure first), kept by the forms that
    change the rows and by htmx's requests from the page."""
    order = request.GET.get("order") or request.POST.get("order")
    if not order and request.headers.get("HX-Current-URL"):
        order = QueryDict(urlsplit(request.headers["HX-Current-URL"]).query).get("order")
    return selectors.ORDER_CONFIDENCE if order == selectors.ORDER_CONFIDENCE else selectors.ORDER_TEXT


def _workspace_changed(request, draft: MinutesDraft):
    return _changed(
        request, draft, "minutes/_workspace.html", selectors.workspace(draft, order=_order(request))
    )


@pages.route("<int:pk>/rows/<int:key>/merge/")
@office_page
@require_POST
def row_merge(request, pk: int, key: int):
    draft = _draft(request, pk)
    _row(draft, key)
    draft = services.draft_rows_merge(
        draft=draft, by=request.user, key=key, expected_version=_version(request)
    )
    return _workspace_changed(request, draft)


@pages.route("<int:pk>/rows/<int:key>/drop/")
@office_page
@require_POST
def row_drop(request, pk: int, key: int):
    draft = _draft(request, pk)
    _row(draft, key)
    draft = services.draft_row_drop(draft=draft, by=request.user, key=key, expected_version=_version(request))
    return _workspace_changed(request, draft)


@pages.route("<int:pk>/rows/<int:key>/split/")
@office_page
@require_http_methods(["GET", "POST"])
def row_split(request, pk: int, key: int):
    draft, row = _editable_row(request, pk, key)
    if request.method == "GET":
        return _row_form(request, draft, key, "minutes/_split_form.html", SplitForm(row=row))
    form = SplitForm(request.POST, row=row)
    if not form.is_valid():
        raise Invalid(_("请选择拆分位置。"))
    draft = services.draft_row_split(
        draft=draft,
        by=request.user,
        key=key,
        position=form.cleaned_data["position"],
        expected_version=_version(request),
    )
    return _workspace_changed(request, draft)
