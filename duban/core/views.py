"""The page shapes every app shares: a filtered list (with its Excel export), a page with one form, the
Excel import page, and the two ends of every view that acts on an object.

- `find(request, selectors.x_list, pk, may=rules.may_x)`: the object as the user reads it (404 out of
  reach), refused (403) unless the rule lets the user act on it;
- `done(request, message, "app:page", pk=…)`: say what was done and go back;
- `attachment(field, filename)`: serve a stored file (found through the object's selector first), or a
  404 that says the file is missing from storage;
- `button(service, message, select=…, name=…, page=…)`: the whole view of a button that takes one
  step on an object (POST), declared in one line beside the others of its page;
- `ListPage`: a list's page and its Excel export from one declaration (`Pages.list` serves both);
- `list_page`, `form_page`, `import_page`: the pages themselves (a large import goes to the background
  worker: `import_job` shows its progress, then its result).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors
from .errors import NotFound
from .excel import ImportRejected, workbook_response
from .forms import ImportForm, cleaned, service_errors_into
from .imports import SheetImport, import_start, run_import, runs_in_background
from .jobs import Figures, LiveProgress
from .models import JobState
from .pagination import paginate
from .routes import Pages
from .rules import require


def find(request, select: Callable, pk, *, may=None):
    """The object `pk` as the user reads it through its list's selector (`select(user=…)`): out of the
    user's reach it is a 404, as through the API. With `may`, the rule the user must pass on the object
    to act on it (403 otherwise), asked before anything is read from the request."""
    obj = get_object_or_404(select(user=request.user), pk=pk)
    if may is not None:
        require(may, request.user, obj)
    return obj


def done(request, message, to, *args, **kwargs):
    """Say what was done and go to `to` (a URL, or a URL name with its arguments)."""
    messages.success(request, str(message))
    return redirect(to, *args, **kwargs)


logger = logging.getLogger(__name__)


def attachment(field, filename: str | None = None) -> FileResponse:
    """A stored file as a download, named `filename` (by default the stored file's own name). A record
    whose file is gone from storage (a restore without the files, a disk cleaned by hand) answers a 404
    that says so, and the operators' log names it."""
    if not field:
        raise NotFound()
    filename = filename or field.name.rsplit("/", 1)[-1]
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        logger.error("stored file missing: %s", field.name)
        raise NotFound(
            _("文件“%(name)s”已不在服务器存储中，请联系系统管理员恢复。") % {"name": filename}
        ) from None
    return FileResponse(handle, as_attachment=True, filename=filename)


def button(
    service: Callable,
    message,
    *,
    select: Callable,
    name: str,
    page: str,
    read: Callable | None = None,
):
    """A button's view (POST only, signed in): find the object through its list's selector (404 out
    of the user's reach), read what the button sends (`read(request, obj)` → the service's other
    arguments; a bad form is refused by `cleaned`), take the step (`service(<name>=obj, by=user, …)`,
    which refuses in its turn) and go back to the object's `page`, saying `message`. An object's page with
    several such buttons declares them in a table, one line each:

        on_task = partial(button, select=selectors.task_list, name="task", page="ppp:task_detail")
        task_accept = pages.route("tasks/<int:pk>/accept/", name="task_accept")(
            on_task(services.task_accept, gettext_lazy("已销号。"))
        )
    """

    @require_POST
    @login_required
    def view(request, pk):
        obj = find(request, select, pk)
        service(**{name: obj}, by=request.user, **(read(request, obj) if read else {}))
        return done(request, message, page, pk)

    return view


def form_of(form_class) -> Callable:
    """`read` for a button that sends a small form: its cleaned data are the service's arguments."""
    return lambda request, _obj: cleaned(form_class(request.POST))


def list_page(request, template: str, rows, *, filterset_class=None, count: int | None = None, **context):
    """A list's page: the rows paginated (`page_obj`) and the list's FilterSet (`filterset`) for its form.

    The rows come from the list's selector, which applied the same FilterSet to `request.GET`.
    """
    if filterset_class is not None:
        context["filterset"] = filterset_class(request.GET, user=request.user)
    return render(request, template, {"page_obj": paginate(request, rows, count=count), **context})


class ListPage:
    """A list's page and its Excel export from one declaration, as NetBox's ObjectListView serves both:
    the two read the list's selector (`select(user=…, filters=request.GET)`, which applies the list's
    FilterSet), so the sheet holds the rows the page lists. The app's pages serve it with `Pages.list`:

        UNITS = ListPage(
            selectors.unit_list, "organisation/unit_list.html", filterset_class=UnitFilterSet,
            workbook=units_workbook, filename=gettext_lazy("单位名录.xlsx"),
        )
        pages.list("", UNITS, name="unit_list", export="unit_export")

    `workbook(rows)` writes the sheet's bytes; `context(request)` adds what else the page shows.
    """

    def __init__(
        self,
        select: Callable,
        template: str,
        *,
        filterset_class=None,
        workbook: Callable | None = None,
        filename: str = "",
        context: Callable | None = None,
    ):
        self.select, self.template, self.filterset_class = select, template, filterset_class
        self.workbook, self.filename, self.context = workbook, filename, context

    def rows(self, request):
        return self.select(user=request.user, filters=request.GET)

    def page(self, request):
        extra = self.context(request) if self.context else {}
        return list_page(
            request, self.template, self.rows(request), filterset_class=self.filterset_class, **extra
        )

    def export(self, request):
        return workbook_response(self.workbook(self.rows(request)), filename=str(self.filename))


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
    form = form_class(request.POST or None, request.FILES or None, replaces=importer.replaces)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        options = {name: value for name, value in form.cleaned_data.items() if name != "file"}
        upload = form.cleaned_data["file"]
        with service_errors_into(form):
            if runs_in_background(upload):
                job = import_start(
                    importer,
                    upload=upload,
                    by=request.user,
                    title=title,
                    success_url=success_url,
                    form_url=request.get_full_path(),
                    **options,
                )
                return redirect("core:import_job", pk=job.pk)
            try:
                result = run_import(importer, upload=upload, by=request.user, **options)
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


# --- the background imports' pages ------------------------------------------------------------------

pages = Pages()


def _job_context(job) -> dict:
    live = LiveProgress(f"import-{job.pk}").read() if job.is_running else None
    if live is None:
        live = Figures(percent=job.percent, done=job.rows_done, total=job.rows_total, step=_("排队等待导入"))
    return {"job": job, "live": live}


@pages.route("imports/<int:pk>/")
@login_required
def import_job(request, pk):
    """A background import: its progress while it runs, then its result or the rows at fault."""
    job = find(request, selectors.import_job_list, pk)
    return render(request, "core/import_job.html", _job_context(job))


@pages.route("imports/<int:pk>/progress/")
@login_required
def import_job_progress(request, pk):
    """The job's state (polled by its page). Once saved, the user is sent where the import page would
    have sent them, with the same message; a refused sheet shows its rows in place."""
    job = find(request, selectors.import_job_list, pk)
    response = render(request, "core/_import_job_state.html", _job_context(job))
    if job.state == JobState.DONE and request.headers.get("HX-Request") and job.success_url:
        messages.success(request, job.message)
        response["HX-Redirect"] = job.success_url
    return response


def bad_request(request, exception=None):
    """Django's 400 in Chinese; a submission over the size Django reads (DATA_UPLOAD_MAX_MEMORY_SIZE,
    an 11 MB paste) says the limit and where the typed text still is, with status 413."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig

    too_big = isinstance(exception, RequestDataTooBig)
    context = {
        "too_big": too_big,
        "limit_mb": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g}",
        "upload_mb": settings.DUBAN_MAX_UPLOAD_MB,
    }
    return render(request, "400.html", context, status=413 if too_big else 400)
