"""Serializer fields every API shares."""

from __future__ import annotations

from rest_framework import serializers

from ..concurrency import parse_version
from ..errors import Invalid


class VersionField(serializers.IntegerField):
    """The version of an object the caller read (`core.concurrency.parse_version`): a non-negative
    integer as a number or its digits; anything else (`"abc"`, `[1]`, `1.5`, `1e400`, `true`) is a 400
    naming the field, never a 500. Not sent (or null): no check, as each service says."""

    def __init__(self, **kwargs):
        if not kwargs.setdefault("required", False):
            kwargs.setdefault("allow_null", True)
            kwargs.setdefault("default", None)
        super().__init__(min_value=0, **kwargs)

    def to_internal_value(self, data):
        try:
            return parse_version(data)
        except Invalid as error:
            raise serializers.ValidationError(error.fields.get("version") or [error.message]) from None


class VersionInputSerializer(serializers.Serializer):
    """An action whose only input is the version the caller read."""

    version = VersionField()
