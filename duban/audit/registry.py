"""Whose history may a user read: the same selector as the object's own page, registered by its app.

Each app registers, in its AppConfig.ready(), the selectors its pages read its models through:

    register_readers({Directive: selectors.directive_list, Meeting: selectors.meeting_list})

A reader is called as `reader(user=user)` and returns the rows that user may open. The history page
(`audit:object_history`) finds the object through it, so it shows the history of exactly what the
object's page shows. A model nobody registered is the office's only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

from duban.accounts.scope import is_office

Reader = Callable[..., QuerySet]
_READERS: dict[type[Model], Reader] = {}


def register_readers(readers: dict[type[Model], Reader]) -> None:
    _READERS.update(readers)


def register_reader(model: type[Model], reader: Reader) -> None:
    register_readers({model: reader})


def readable(user, model: type[Model]) -> QuerySet:
    """The rows of this model whose page (and therefore history) the user may open."""
    reader = _READERS.get(model)
    if reader is not None:
        return reader(user=user)
    return model._default_manager.all() if is_office(user) else model._default_manager.none()
