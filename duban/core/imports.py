"""One shape for every Excel import: check the file, read the sheet, check every row, then save all or nothing.

An import declares what it reads and how a row becomes a change; `run_import` does the rest the same
way for all of them (upload checks, row errors collected in one pass, one transaction, the audit
channel "import", progress for the caller):

    class UnitImport(SheetImport):
        columns = {"单位编码": "code", "单位全称": "name", …}
        required = ("code", "name")

        def authorize(self, by): require(is_office_user, by)
        def check(self, rows, errors): …  # add every problem to `errors`; return the plan
        def save(self, plan, *, by, progress): …  # write; return the counts for the message
        def success_message(self, result): …

The page is `core.views.import_page`; the command line and the API call `run_import` directly.

A large file (over `DUBAN_IMPORT_INLINE_MAX_KB`) is not imported while the user waits: once its
upload and header are checked, `import_start` keeps it as an `ImportJob` and the background worker runs
`run_import` on it (`import_job_run`), still all or nothing; the job's page shows its progress and
then the same result or bad rows as the upload page would. The worker makes the import again from
`job_arguments()` (e.g. the project a cash-flow table belongs to) through `from_job`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel

from .errors import Invalid, describe
from .excel import ImportRejected, RowErrors, SheetRow, column_positions, read_header, read_sheet
from .jobs import Figures, LiveProgress, queue
from .models import ImportJob, JobState
from .uploads import SPREADSHEET, check_upload

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """The progress callback of a run nobody watches (the command line, small files)."""


class SheetImport:
    """What one import reads and does. Subclasses set `columns` and implement check and save."""

    columns: dict[str, str] = {}  # header text as users write it -> field name
    required: tuple[str, ...] = ()  # field names whose column must be present
    replaces = False  # True: saving replaces existing rows, and `deletions` names what it deletes

    def columns_for(self, header: list[str]) -> dict[str, str]:
        """The columns to read, given the sheet's header row (override where the sheet names some
        of its own columns, e.g. one column per income source)."""
        return self.columns

    def authorize(self, by) -> None:
        """Raise NotPermitted unless `by` may run this import (checked before the file is read)."""
        raise NotImplementedError

    def check(self, rows: list[SheetRow], errors: RowErrors, **options):
        """Check every row, adding each problem to `errors`; return what `save` needs (the plan)."""
        raise NotImplementedError

    def save(self, plan, *, by, progress: Progress, **options) -> dict:
        """Write the plan (inside the import's transaction); raise ImportRejected to undo everything."""
        raise NotImplementedError

    def success_message(self, result: dict) -> str:
        raise NotImplementedError

    def job_arguments(self) -> dict:
        """What the background worker needs to make this import again, as JSON (the ids of the
        objects it was made with, e.g. {"project": 12}); {} for an import made with nothing."""
        return {}

    @classmethod
    def from_job(cls, arguments: dict) -> SheetImport:
        """The import again, in the background worker, from `job_arguments()`."""
        return cls(**arguments)

    def deletions(self, plan) -> list[str]:
        """What saving the plan would delete that the sheet does not hold (a replace-style import,
        e.g. the years of a cash-flow table missing from the file), each as the user knows it. The
        import is refused until the user confirms them; an import that only adds and updates keeps []."""
        return []


class DeletionsNotConfirmed(Invalid):
    """A replace-style import would delete existing rows the sheet does not hold; nothing is saved
    until the user confirms (`confirm`). `deletions` lists them (the API answers them too)."""

    code = "confirm_deletions"

    def __init__(self, deletions: list[str]):
        self.deletions = deletions
        message = _(
            "导入将删除文件中没有的 %(n)d 项现有数据：%(items)s。未保存任何内容；"
            "确认要删除的，请勾选“确认删除”后重新导入。"
        ) % {"n": len(deletions), "items": "、".join(deletions)}
        super().__init__(message, fields={"confirm": [message]}, extra={"deletions": deletions})


def _file_refused(error: ValidationError) -> Invalid:
    return Invalid("；".join(error.messages), fields={"file": error.messages})


def read_upload(importer: SheetImport, upload) -> list[SheetRow]:
    """The sheet's rows, or Invalid naming the file field (wrong type, too large, unreadable, columns)."""
    try:
        check_upload(upload, allowed=SPREADSHEET)
        columns = importer.columns_for(read_header(upload))
        return read_sheet(upload, columns=columns, required=importer.required)
    except ValidationError as error:
        raise _file_refused(error) from error


def check_file(importer: SheetImport, upload) -> None:
    """What can be told of a file without reading its rows: its type, size and content, that it opens
    as a workbook within the unpacked limit, and that its header holds the required columns."""
    try:
        check_upload(upload, allowed=SPREADSHEET)
        header = read_header(upload)
        column_positions(header, columns=importer.columns_for(header), required=importer.required)
    except ValidationError as error:
        raise _file_refused(error) from error


def runs_in_background(upload) -> bool:
    """Whether a file is large enough to be imported by the background worker (DUBAN_IMPORT_INLINE_MAX_KB)."""
    return upload.size > settings.DUBAN_IMPORT_INLINE_MAX_KB * 1024


def run_import(
    importer: SheetImport,
    *,
    upload,
    by,
    progress: Progress = no_progress,
    confirm: bool = False,
    **options,
) -> dict:
    """Authorize, read, check every row, then save everything in one transaction — or nothing.

    Raises NotPermitted, Invalid (the file), ImportRejected (the rows, each with its number) or
    DeletionsNotConfirmed (a replace-style import would delete rows the sheet lacks and `confirm` is
    not set).
    """
    importer.authorize(by)
    rows = read_upload(importer, upload)
    progress(0, len(rows))
    errors = RowErrors()
    if not rows:
        errors.add(1, _("表中没有数据行。"))
        raise ImportRejected(errors)
    plan = importer.check(rows, errors, **options)
    if errors:
        raise ImportRejected(errors)
    deletions = importer.deletions(plan)
    if deletions and not confirm:
        raise DeletionsNotConfirmed(deletions)
    with transaction.atomic(), audit_context(channel=Channel.IMPORT, actor=by):
        result = importer.save(plan, by=by, progress=progress, **options)
    progress(len(rows), len(rows))
    return result


# --- large files: in the background ------------------------------------------------------------------

RUN_FUNC = "duban.core.imports.import_job_run"


def import_start(
    importer: SheetImport,
    *,
    upload,
    by,
    title: str,
    success_url: str = "",
    form_url: str = "",
    **options,
) -> ImportJob:
    """Check who imports and the file (not its rows), keep it and queue the import for the worker.

    Raises NotPermitted or Invalid (the file) at once; the rows are checked and saved by the worker,
    all or nothing, and the job records how it ended."""
    importer.authorize(by)
    check_file(importer, upload)
    job = ImportJob(
        title=title[:200],
        importer=f"{type(importer).__module__}.{type(importer).__qualname__}",
        arguments=importer.job_arguments(),
        options=options,
        file_name=(upload.name or "")[:255],
        success_url=success_url,
        form_url=form_url,
        created_by=by,
    )
    with transaction.atomic():
        job.save()
        upload.seek(0)
        job.file.save(upload.name, upload, save=True)
        queue(RUN_FUNC, job.pk, name=f"import-{job.pk}")
    return job


class _JobProgress:
    """The worker's progress callback: rows done of the total, as a percentage of the whole job
    (reading and checking the rows take the first tenth)."""

    def __init__(self, job_id: int):
        self.live = LiveProgress(f"import-{job_id}")
        self.figures = Figures(percent=1, step=_("读取文件"))

    def __call__(self, done: int, total: int) -> None:
        figures = self.figures
        first = figures.total == 0
        figures.done, figures.total = done, total
        figures.percent = 10 if first else min(99, 10 + (90 * done) // max(total, 1))
        figures.step = _("检查并保存数据") if done < total else _("保存完成")
        self.live.write(figures, force=first or done == total)


def _finish(job: ImportJob, **outcome) -> None:
    # A plain UPDATE outside the import's transaction: the job record is not business data.
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **outcome)


def import_job_run(job_id: int) -> str:
    """The background task (django-q2): run the queued import, all or nothing, and record how it ended.
    The file is removed once the job has ended."""
    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or not ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING
    ):
        if job is not None and job.state == JobState.RUNNING:
            # The task delivered again (django-q2's retry): the first run was stopped before it ended
            # (the worker's time limit, a restart), and its transaction with it.
            job.file.delete(save=False)
            _finish(
                job,
                file="",
                state=JobState.FAILED,
                message=_("导入被中断（超时或服务重启），未保存任何数据。请重新导入。"),
            )
            return JobState.FAILED
        return "gone"
    progress = _JobProgress(job_id)
    progress.live.write(progress.figures, force=True)
    outcome = {"state": JobState.FAILED, "message": _("导入被中断，未保存任何数据。")}
    try:
        importer_class = import_string(job.importer)
        if not (isinstance(importer_class, type) and issubclass(importer_class, SheetImport)):
            raise Invalid(_("未知的导入类型。"))
        importer = importer_class.from_job(job.arguments)
        with job.file.open("rb") as upload:
            result = run_import(importer, upload=upload, by=job.created_by, progress=progress, **job.options)
        outcome = {"state": JobState.DONE, "percent": 100, "message": importer.success_message(result)}
    except ImportRejected as rejected:
        outcome = {
            "state": JobState.FAILED,
            "message": rejected.message,
            "row_errors": rejected.errors.messages(),
        }
    except Exception as error:  # the job ends whatever happened; what is not a refusal is logged
        refusal = describe(error)
        if refusal is None:
            logger.exception("import job %s failed", job_id)
            message = _("导入时发生意外错误，未保存任何数据。请稍后重试；如仍失败，请联系管理员。")
        else:
            message = refusal.as_text()
        outcome = {"state": JobState.FAILED, "message": message}
    finally:
        job.file.delete(save=False)
        figures = progress.figures
        _finish(job, file="", rows_done=figures.done, rows_total=figures.total, **outcome)
        progress.live.forget()
    return outcome["state"]
