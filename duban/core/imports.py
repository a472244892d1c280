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
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel

from .errors import Invalid
from .excel import ImportRejected, RowErrors, SheetRow, read_header, read_sheet
from .uploads import SPREADSHEET, check_upload

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


def read_upload(importer: SheetImport, upload) -> list[SheetRow]:
    """The sheet's rows, or Invalid naming the file field (wrong type, too large, unreadable, columns)."""
    try:
        check_upload(upload, allowed=SPREADSHEET)
        columns = importer.columns_for(read_header(upload))
        return read_sheet(upload, columns=columns, required=importer.required)
    except ValidationError as error:
        raise Invalid("；".join(error.messages), fields={"file": error.messages}) from error


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
    progress(1, 1)
    return result
