"""The API's one exception handler (`REST_FRAMEWORK["EXCEPTION_HANDLER"]`): API views catch nothing.

Every error answers with the same body, whatever raised it:

    {"detail": "the message for the user", "code": "edit_conflict", "fields": {"deadline": ["…"]}}

Services' errors (`core.errors`), Django's ValidationError, PermissionDenied and Http404 are mapped by
`core.errors.describe`; DRF's own errors (serializer validation, authentication, throttling) keep
their status and headers and are reshaped to the same body.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from duban.core.errors import describe


def _as_lists(detail):
    """DRF's nested ErrorDetail structure as plain strings, keeping its shape."""
    if isinstance(detail, dict):
        return {str(key): _as_lists(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_as_lists(item) for item in detail]
    return str(detail)


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    if isinstance(messages, list):
        return [m for item in messages for m in _flat(item)]
    return [str(messages)]


def _validation_body(error: exceptions.ValidationError) -> dict:
    detail = _as_lists(error.detail)
    if isinstance(detail, dict):
        general = _flat(detail.pop("non_field_errors", [])) + _flat(detail.pop("detail", []))
        message = "；".join(general) or _("提交的内容有误，请检查标出的字段。")
        fields = detail
        if general:
            fields["__all__"] = general
    else:
        message = "；".join(_flat(detail)) or _("提交的内容有误。")
        fields = {}
    return {"detail": message, "code": "invalid", "fields": fields}


def _record_refusal(context, response: Response) -> None:
    if response.status_code == 403:
        from duban.audit.security import record_refusal

        record_refusal(context.get("request"), str(response.data.get("detail", "")))


def exception_handler(exc, context):
    refusal = describe(exc)
    if refusal is not None:
        set_rollback()
        response = Response(refusal.as_api(), status=refusal.status)
        _record_refusal(context, response)
        return response
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug, not a refusal: the server error is logged and answered as 500
    _record_refusal(context, response)
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = {"detail": "；".join(_flat(_as_lists(exc.detail))), "code": code, "fields": {}}
    return response
