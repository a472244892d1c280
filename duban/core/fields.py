"""The two kinds of optional link the models declare again and again, each named once.

- `optional_link(to, verbose_name, related_name=…)`: a link that may be empty (null, and blank in
  forms), whose target cannot be deleted while a row links to it (`on_delete=PROTECT` unless said
  otherwise): a unit's parent unit, a directive's meeting, a project's county.
- `weak_link(to, verbose_name)`: a link that does not hold its target: emptied when the target is
  deleted, and nothing links back (`related_name="+"`): who wrote a report or sent a reminder, the
  leader a weekly item asks for. Blank only where a caller says `blank=True`.

Both build a plain `ForeignKey` with exactly the options they name, so moving a field onto them
changes no migration.
"""

from __future__ import annotations

from django.db import models


def optional_link(to, verbose_name, *, related_name: str, on_delete=models.PROTECT, **options):
    """A link that may be empty; by default its target is protected from deletion while linked.

    `on_delete=models.CASCADE` for a row that goes with what it hangs on (a reply with its comment),
    `models.SET_NULL` for one that lets go of it. `related_name` is always said: the name the target
    reaches its rows by, or "+" for none.
    """
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )


def weak_link(to, verbose_name, **options):
    """A link emptied when its target is deleted, with no reverse accessor on the target."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, null=True, on_delete=models.SET_NULL, related_name="+", **options
    )
