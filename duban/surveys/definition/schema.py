"""The JSON schema every form definition is held to (checked with `jsonschema` when a form is saved),
and the checks a schema cannot say: keys unique, checks naming fields that exist and are numeric."""

from __future__ import annotations

import jsonschema

from .text import _
from .validate import FIELD_TYPES

FIELD_TYPE_NAMES = list(FIELD_TYPES)  # the JSON schema's enum is a list

_KEY = {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,59}$"}
_CHOICES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["value", "label"],
        "properties": {"value": {"type": "string", "minLength": 1}, "label": {"type": "string"}},
        "additionalProperties": False,
    },
}
_CONDITION = {
    "type": "object",
    "required": ["field"],
    "properties": {"field": _KEY, "equals": {}, "in": {"type": "array"}},
    "additionalProperties": False,
}


def _field(types: list[str], *, with_columns: bool) -> dict:
    properties = {
        "key": _KEY,
        "label": {"type": "string", "minLength": 1, "maxLength": 100},
        "type": {"enum": types},
        "required": {"type": "boolean"},
        "help": {"type": "string"},
        "unit": {"type": "string", "maxLength": 20},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "max_length": {"type": "integer", "minimum": 1},
        "pattern": {"type": "string"},
        "pattern_message": {"type": "string"},
        "choices": _CHOICES,
        "unit_kinds": {"type": "array", "items": {"type": "string"}},
        "visible_if": _CONDITION,
        "prefill": {
            "type": "string",
            "pattern": "^(previous:[a-z][a-z0-9_]*|unit\\.[a-z_]+|platform\\.[a-z_]+)$",
        },
        "group": {"type": "string"},
    }
    if with_columns:
        properties["columns"] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/column"}}
        properties["min_rows"] = {"type": "integer", "minimum": 0}
        properties["max_rows"] = {"type": "integer", "minimum": 1}
    return {
        "type": "object",
        "required": ["key", "label", "type"],
        "properties": properties,
        "additionalProperties": False,
    }


DEFINITION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["sections"],
    "properties": {
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["key", "title", "fields"],
                "properties": {
                    "key": _KEY,
                    "title": {"type": "string", "minLength": 1},
                    "help": {"type": "string"},
                    "visible_if": _CONDITION,
                    "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/field"}},
                },
                "additionalProperties": False,
            },
        },
        "checks": {
            "type": "array",
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["kind", "parts", "total"],
                        "properties": {
                            "kind": {"const": "sum"},
                            "parts": {"type": "array", "minItems": 1, "items": _KEY},
                            "total": _KEY,
                            "tolerance": {"type": "number", "minimum": 0},
                        },
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["kind", "field", "previous", "band", "reason"],
                        "properties": {
                            "kind": {"const": "band"},
                            "field": _KEY,
                            "previous": _KEY,
                            "band": {"type": "number", "exclusiveMinimum": 0},
                            "reason": _KEY,
                        },
                        "additionalProperties": False,
                    },
                ]
            },
        },
    },
    "additionalProperties": False,
    "$defs": {
        "field": _field(FIELD_TYPE_NAMES, with_columns=True),
        "column": _field([t for t in FIELD_TYPE_NAMES if t not in ("table", "file")], with_columns=False),
    },
}

_VALIDATOR = jsonschema.Draft202012Validator(DEFINITION_SCHEMA)


class DefinitionInvalid(ValueError):
    """The definition breaks the schema or names what it does not hold; `problems` lists each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


def _where(error) -> str:
    return "/".join(str(part) for part in error.absolute_path) or "/"


def check_definition(definition) -> None:
    """Raise DefinitionInvalid unless the definition is a well-formed form."""
    problems = [
        _("定义格式错误（%(where)s）：%(what)s") % {"where": _where(e), "what": e.message}
        for e in sorted(_VALIDATOR.iter_errors(definition), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        raise DefinitionInvalid(problems[:20])
    fields: dict[str, dict] = {}
    for section in definition["sections"]:
        for field in section["fields"]:
            if field["key"] in fields:
                problems.append(_("字段编码“%(key)s”重复。") % {"key": field["key"]})
            fields[field["key"]] = field
            if field["type"] in ("choice", "multichoice") and not field.get("choices"):
                problems.append(_("选择题“%(label)s”没有选项。") % {"label": field["label"]})
            if field["type"] == "table" and not field.get("columns"):
                problems.append(_("表格“%(label)s”没有列。") % {"label": field["label"]})
            condition = field.get("visible_if")
            if condition and condition["field"] not in fields:
                problems.append(
                    _("“%(label)s”的显示条件引用了前面没有的字段“%(key)s”。")
                    % {"label": field["label"], "key": condition["field"]}
                )
    numeric = {k for k, f in fields.items() if f["type"] in ("integer", "decimal", "percentage")}
    for check in definition.get("checks", []):
        named = [*check.get("parts", []), check.get("total"), check.get("field"), check.get("previous")]
        for key in filter(None, named):
            if key not in numeric:
                problems.append(_("校验规则引用的“%(key)s”不是本表的数值字段。") % {"key": key})
        if check["kind"] == "band" and check["reason"] not in fields:
            problems.append(_("校验规则引用的说明字段“%(key)s”不存在。") % {"key": check["reason"]})
    if problems:
        raise DefinitionInvalid(problems)
