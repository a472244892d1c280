"""What the PPP services share: the day, the timeline entry, a row validated and saved, a reason asked
for, an uploaded document checked."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from duban.core.errors import Invalid
from duban.core.uploads import EVIDENCE, check_upload

from ..workflow import project_event

__all__ = [
    "check_document",
    "invalid",
    "locked",
    "project_event",
    "require_reason",
    "saved",
    "today",
    "upserted",
]


def today() -> date:
    return timezone.localdate()


def locked(row: Model) -> Model:
    """The row itself, locked for the rest of the transaction and read afresh (so the caller's object
    follows what the service does to it)."""
    row.refresh_from_db(from_queryset=type(row)._default_manager.select_for_update())
    return row


def saved(row: Model) -> Model:
    """The row, validated (`full_clean`) and saved."""
    row.full_clean()
    row.save()
    return row


def upserted(model: type[Model], *, key: dict, fields: dict) -> Model:
    """The row of `key` (created if there is none) with `fields` set, validated and saved."""
    row = model.objects.filter(**key).first() or model(**key)
    for name, value in fields.items():
        setattr(row, name, value)
    return saved(row)


def invalid(field: str, message: str) -> Invalid:
    """The refusal of one field's value (shown beside the field on a form, named in the API's answer)."""
    return Invalid(message, fields={field: [message]})


def require_reason(text: str, *, message: str, field: str = "reason") -> str:
    """The reason given, stripped; Invalid naming the field when there is none."""
    reason = (text or "").strip()
    if not reason:
        raise invalid(field, message)
    return reason


def step_with_reason(table, row, name: str, *, by, reason: str, ask: str, say: str, **changes):
    """A step of a life cycle that needs a reason: lock the row, check the table (who, then the state),
    ask for the reason, set `changes` and move. `say` words the timeline entry with %(reason)s and
    %(title)s (the row's title, where it has one)."""
    current = locked(row)
    table.check(by, current, name)
    reason = require_reason(reason, message=ask)
    for field, value in changes.items():
        setattr(current, field, value)
    text = say % {"reason": reason, "title": getattr(current, "title", "")}
    return table.move(current, name, by=by, note=reason, text=text)


def check_document(upload, *, field: str = "document") -> None:
    """An uploaded document of an accepted type and size (nothing uploaded is fine: the stored one stays)."""
    if not upload:
        return
    try:
        check_upload(upload, allowed=EVIDENCE)
    except ValidationError as error:
        raise Invalid("；".join(error.messages), fields={field: error.messages}) from error
