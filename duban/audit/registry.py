"""Whose history may a user read: the same selector as the object's own page, declared by its app.

Each app names, in its `selectors` module, the selectors its pages read its models through:

    # directives/selectors.py
    HISTORY_READERS = {Directive: directive_list, Meeting: meeting_list}

and the audit app finds them when the apps are ready (`discover_readers`, as django-rules finds each
app's `rules.py`), so the platform imports no capability by name. A reader is called as
`reader(user=user)` and returns the rows that user may open. The history page
(`audit:object_history`) finds the object through it, so it shows the history of exactly what the
object's page shows. A model nobody declared is the office's only.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.module_loading import module_has_submodule

from duban.accounts.scope import is_office

Reader = Callable[..., QuerySet]
_READERS: dict[type[Model], Reader] = {}


def discover_readers() -> None:
    """Register the `HISTORY_READERS` of every Duban app's `selectors` module."""
    for config in apps.get_app_configs():
        if config.name.startswith("duban.") and module_has_submodule(config.module, "selectors"):
            _READERS.update(getattr(import_module(f"{config.name}.selectors"), "HISTORY_READERS", {}))


def declares_reader(model: type[Model]) -> bool:
    """Whether the model's app declared the selector its pages read it through."""
    return model in _READERS


def readable(user, model: type[Model]) -> QuerySet:
    """The rows of this model whose page (and therefore history) the user may open."""
    reader = _READERS.get(model)
    if reader is not None:
        return reader(user=user)
    return model._default_manager.all() if is_office(user) else model._default_manager.none()
