"""A survey form as data, and its checks: pure Python, no Django, so the server, the page's checking
round-trip and the Excel import all run the same code (`validate.py`), and the tests run it directly.

    definition = {"sections": [{"key", "title", "help", "fields": [field, …]}], "checks": [check, …]}
    field = {"key", "label", "type", "required", "help", "unit", "min", "max", "pattern", "choices",
             "visible_if": {"field", "equals" | "in"}, "columns": [field, …] (tables),
             "min_rows", "max_rows", "prefill": "previous:<key>" | "unit.name" | "platform.<figure>"}
    check = {"kind": "sum", "parts": [keys], "total": key, "tolerance"}
          | {"kind": "band", "field": key, "previous": key, "band": 0.3, "reason": key}
"""

from .schema import DEFINITION_SCHEMA, DefinitionInvalid, check_definition
from .validate import (
    FIELD_TYPES,
    NUMERIC_TYPES,
    all_fields,
    numeric_values,
    scalar_fields,
    table_fields,
    validate_answers,
    visible,
)

__all__ = [
    "DEFINITION_SCHEMA",
    "FIELD_TYPES",
    "NUMERIC_TYPES",
    "DefinitionInvalid",
    "all_fields",
    "check_definition",
    "numeric_values",
    "scalar_fields",
    "table_fields",
    "validate_answers",
    "visible",
]
