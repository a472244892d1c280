"""The page shapes every app shares: a filtered list, a page with one form, and the Excel import page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render

from .excel import ImportRejected
from .forms import ImportForm, service_errors_into
from .imports import SheetImport, run_import
from .pagination import paginate


def list_page(request, template: str, rows, *, filterset_class=None, count: int | None = None, **context):
    """A list's page: the rows paginated (`page_obj`) and the list's FilterSet (`filterset`) for its form.

    The rows come from the list's selector, which applied the same FilterSet to `request.GET`.
    """
    if filterset_class is not None:
        context["filterset"] = filterset_class(request.GET, user=request.user)
    return render(request, template, {"page_obj": paginate(request, rows, count=count), **context})


def form_page(request, form, *, save: Callable, template: str = "layouts/form_page.html", **context):
    """A form's page: on a valid POST, `save(form)` calls the service and answers (usually a redirect);
    a refusal lands on the form instead. The default template wants `title` and `cancel_url`."""
    if request.method == "POST" and form.is_valid():
        with service_errors_into(form):
            return save(form)
    return render(request, template, {"form": form, **context})


def import_page(
    request,
    importer: SheetImport,
    *,
    title: str,
    help_text: str,
    success_url: str,
    form_class=ImportForm,
    extra_context: dict | None = None,
):
    """The upload form of an import; on a refused sheet, every bad row with its number, nothing saved.

    The view that calls it has found the objects and checked the user may open the page; the
    import's own `authorize` is checked again when it runs.
    """
    importer.authorize(request.user)
    form = form_class(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        options = {name: value for name, value in form.cleaned_data.items() if name != "file"}
        with service_errors_into(form):
            try:
                result = run_import(importer, upload=form.cleaned_data["file"], by=request.user, **options)
            except ImportRejected as rejected:
                row_errors = rejected.errors.messages()
                messages.error(request, rejected.message)
            else:
                messages.success(request, importer.success_message(result))
                return redirect(success_url)
    context = {
        "form": form,
        "row_errors": row_errors,
        "title": title,
        "help_text": help_text,
        "multipart": True,
    }
    return render(request, "core/import.html", {**context, **(extra_context or {})})
