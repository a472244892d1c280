"""Whose history may a user read: the same selector as the object's own page, registered by its app.

Each app registers, in its AppConfig.ready(), the selector its pages read a model through:

    register_reader(Directive, lambda user: selectors.directive_list(user=user))

The history page (`audit:object_history`) finds the object through that selector, so it shows the
history of exactly what the object's page shows. A model nobody registered is the office's only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

from duban.accounts.scope import is_office

Reader = Callable[[object], QuerySet]
_READERS: dict[type[Model], Reader] = {}


def register_reader(model: type[Model], reader: Reader) -> None:
    _READERS[model] = reader


def readable(user, model: type[Model]) -> QuerySet:
    """The rows of this model whose page (and therefore history) the user may open."""
    reader = _READERS.get(model)
    if reader is not None:
        return reader(user)
    return model._default_manager.all() if is_office(user) else model._default_manager.none()
