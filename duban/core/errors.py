"""The one family of errors a service raises when it refuses, and how any refusal reads to a user.

A service raises a `DomainError` (or Django's `ValidationError` / `PermissionDenied` / `Http404`);
nothing above it catches by hand. The API's exception handler (`core/api/exception_handlers.py`)
and the pages' middleware (`core/middleware.py`) both turn an error into the same three things
through `describe()`: an HTTP status, a stable code, and the user's message with the fields at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal worth telling the user: `message` says why, in their language.

    `code` is stable for API clients; `status` is the HTTP status it maps to; `fields` names the
    input fields at fault ({"deadline": ["…"]}); `extra` adds keys to the API's answer (e.g. the
    rows an import refused).
    """

    status = 400
    code = "invalid"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        status: int | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict | None = None,
    ):
        self.message = str(message or self.default_message())
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(self.message)

    def default_message(self) -> str:
        return _("提交的内容有误，请检查后重试。")


class Invalid(DomainError):
    """The input cannot be accepted as it is (400)."""


class NotPermitted(DomainError):
    """This user may not do this (403), whatever the object's state."""

    status = 403
    code = "permission_denied"

    def default_message(self) -> str:
        return _("您没有执行此操作的权限。如需办理，请联系督查室。")


class NotFound(DomainError):
    """The object does not exist, or is outside the user's reach (404: the two are not told apart)."""

    status = 404
    code = "not_found"

    def default_message(self) -> str:
        return _("未找到该内容，或您无权查看。")


class Conflict(DomainError):
    """The object's state does not allow this now (409)."""

    status = 409
    code = "conflict"


class TransitionRefused(Conflict):
    """A step of a life cycle that cannot be taken from the object's current state, or a guard said no."""

    code = "transition_refused"


@dataclass(frozen=True)
class Refusal:
    """What a user (or an API client) is told about an error."""

    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def as_api(self) -> dict:
        return {"detail": self.message, "code": self.code, "fields": self.fields, **self.extra}

    def as_text(self) -> str:
        """One line for a page message: the message, then each field's problems."""
        parts = [self.message] if self.message else []
        for name, messages in self.fields.items():
            if name == "__all__" or name == "non_field_errors":
                parts.extend(m for m in messages if m != self.message)
            else:
                parts.extend(messages)
        return "；".join(dict.fromkeys(parts))


def _validation_refusal(error: ValidationError) -> Refusal:
    if hasattr(error, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        general = fields.pop("__all__", [])
        message = "；".join(general) if general else _("提交的内容有误，请检查标出的字段。")
        if general:
            fields["__all__"] = general
        return Refusal(400, "invalid", message, fields)
    return Refusal(400, "invalid", "；".join(str(m) for m in error.messages))


def describe(error: BaseException) -> Refusal | None:
    """The refusal for an error a service may raise; None for anything else (a bug: let it be a 500)."""
    if isinstance(error, DomainError):
        return Refusal(error.status, error.code, error.message, dict(error.fields), dict(error.extra))
    if isinstance(error, ValidationError):
        return _validation_refusal(error)
    if isinstance(error, PermissionDenied):
        text = str(error) or NotPermitted().message
        return Refusal(403, NotPermitted.code, text)
    if isinstance(error, (Http404, ObjectDoesNotExist)):
        return Refusal(404, NotFound.code, NotFound().message)
    return None
