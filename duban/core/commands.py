"""What the management commands share, so every `duban <app> …` refuses bad input the same way.

- `INPUT_ERROR`: the exit status of every bad invocation or input (2, as argparse exits on bad arguments).
- `acting_user(username)`: the active account a command acts as (`--as USER`).
- `date_argument`: the `type` of an option that takes a day (`--today 2026-03-31`), read as the pages
  read one (`core.dates.parse_date`).
- `read_json(path)`: the JSON document in a file named on the command line, numbers as `Decimal`.
- `import_file(path)`: the file named on the command line as an upload for the import the pages run
  too (`core.imports.run_import`); within the block a refused import becomes the command's error.
- `text_width(text)`: the columns a text takes in a terminal, for tables printed as text.

Each turns what is wrong into a `CommandError` with status 2 that says it in the user's language.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .dates import parse_date
from .errors import DomainError
from .excel import ImportRejected

INPUT_ERROR = 2


def acting_user(username: str):
    """The active account named by `--as`; a CommandError when there is none."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("用户“%(name)s”不存在或已停用。") % {"name": username}, returncode=INPUT_ERROR)
    return user


def date_argument(value: str) -> date:
    """A day given on the command line; a bad one is a usage error, as argparse reports its own."""
    day = parse_date(value)
    if day is None:
        raise argparse.ArgumentTypeError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value})
    return day


def read_json(path: Path) -> Any:
    """The JSON document in `path`; a CommandError that says where it is wrong otherwise.

    Numbers are read as `Decimal`, so 0.2 stays exactly 0.2 (fractions can be checked to sum to
    exactly 1, the worked examples come out to the cent). NaN and Infinity are read too: the domain's
    own reader refuses them, naming the field.
    """
    try:
        # utf-8-sig: files saved from Windows editors often start with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = _("找不到文件。") if isinstance(error, FileNotFoundError) else error
        raise CommandError(
            _("无法读取文件 %(path)s：%(reason)s") % {"path": path, "reason": reason}, returncode=INPUT_ERROR
        ) from error
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise CommandError(
            _("文件 %(path)s 不是有效的 JSON：第 %(line)s 行第 %(column)s 列，%(reason)s")
            % {"path": path, "line": error.lineno, "column": error.colno, "reason": error.msg},
            returncode=INPUT_ERROR,
        ) from error


@contextmanager
def import_file(path: Path) -> Iterator[File]:
    """The file at `path`, open as an upload; the import run within the block saves all or nothing,
    and its refusal (the sheet's bad rows, or who may import) becomes a CommandError."""
    if not path.is_file():
        raise CommandError(_("找不到文件 %(path)s。") % {"path": path}, returncode=INPUT_ERROR)
    with path.open("rb") as handle:
        try:
            yield File(handle, name=path.name)
        except ImportRejected as rejected:
            lines = [_("导入未完成，未保存任何数据："), *rejected.errors.messages()]
            raise CommandError("\n".join(lines), returncode=INPUT_ERROR) from rejected
        except DomainError as refused:
            raise CommandError(refused.message, returncode=INPUT_ERROR) from refused


def text_width(text: str) -> int:
    """Columns in a terminal: Chinese characters take two, so a table printed as text lines up."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
