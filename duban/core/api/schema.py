"""The OpenAPI schema's one default for refusals (`REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`).

Every error the API answers has the one body of `exception_handlers.py`; each operation documents the
refusals it can answer with it, so that a client (and the schemathesis run in the tests) knows them:

- 401 / 403: not signed in, or not allowed (every operation);
- 404: the object is not there or not in the caller's scope, or a list's page is past its end (every
  operation);
- 400: the input is not valid (operations that take a body or query parameters);
- 409: the object's state or version does not allow it now (writes).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ErrorSerializer(serializers.Serializer):
    """The body of every refusal (`core.errors.Refusal.as_api`); an import's refusal adds `rows`."""

    detail = serializers.CharField(help_text=_("给用户看的说明"))
    code = serializers.CharField(help_text=_("稳定的错误代码，如 invalid、permission_denied、edit_conflict"))
    fields = serializers.DictField(help_text=_("出错的字段及其说明"))


ERRORS = {
    "400": _("提交的内容有误"),
    "401": _("未登录或登录已失效"),
    "403": _("无权执行此操作"),
    "404": _("未找到，或不在您的范围内"),
    "409": _("状态或版本冲突"),
}


def _stored_blank(field) -> bool:
    """Whether a read-only serializer field shows a model's text field that may be blank (DRF drops
    `allow_blank` from read-only fields, so the schema's enum would miss the "" the API answers)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except Exception:  # noqa: BLE001 — not a model field (a property, a method)
        return False
    return bool(getattr(model_field, "blank", False)) and model_field.get_internal_type() in {
        "CharField",
        "TextField",
    }


class DubanAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            field.read_only
            and isinstance(field, (serializers.CharField, serializers.ChoiceField))
            and not field.allow_blank
            and _stored_blank(field)
        ):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _error_statuses(self, operation: dict) -> list[str]:
        statuses = ["401", "403", "404"]
        takes_input = "requestBody" in operation or any(
            parameter.get("in") == "query" for parameter in operation.get("parameters", [])
        )
        if takes_input or self.method not in SAFE_METHODS:
            statuses.append("400")
        if self.method not in SAFE_METHODS:
            statuses.append("409")
        return sorted(statuses)

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        component = self.resolve_serializer(ErrorSerializer, "response")
        responses = operation.setdefault("responses", {})
        for status in self._error_statuses(operation):
            responses.setdefault(
                status,
                {
                    "description": str(ERRORS[status]),
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return operation
