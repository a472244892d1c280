"""Writes every app's services share (as HackSoftware's `common/services.py`).

- `model_create(Model, **fields)`: the one way to add a row: built, validated (`full_clean`), saved,
  then its many-to-many fields set. Edits go through `core.concurrency.versioned_update`, which takes
  the same `fields` (many-to-many included).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def model_create(model: type[M], /, **fields) -> M:
    """A new row of `model` from `fields` (field names, many-to-many included, to values)."""
    many_to_many = {field.name for field in model._meta.many_to_many}
    many = {name: fields.pop(name) for name in list(fields) if name in many_to_many}
    row = model(**fields)
    row.full_clean()
    row.save()
    for name, values in many.items():
        getattr(row, name).set(values)
    return row
