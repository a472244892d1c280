"""Optimistic locking: an edit names the version it started from; a save over a newer one is refused."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone else saved the object since this edit began; `changes` says what they changed."""

    def __init__(self, *, changes: list[tuple[str, object, object]]):
        self.changes = changes
        super().__init__(self.message())

    def message(self) -> str:
        lines = "；".join(f"{label}：{theirs}" for label, _mine, theirs in self.changes) or _(
            "（无字段变化）"
        )
        return _(
            "保存失败：在您编辑期间，其他人已修改了这条记录，您的修改未保存。对方修改的内容：%(changes)s。请刷新后重新编辑。"
        ) % {"changes": lines}


def lock_for_update(instance: VersionedModel, *, expected_version: int, submitted: dict):
    """Lock the row; raise EditConflict if its version moved on since expected_version.

    Call inside transaction.atomic(). `submitted` maps field names to the values of this edit; the
    conflict lists every field where the stored value now differs, with the stored value.
    Returns the locked current row.
    """
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.version == expected_version:
        return current
    changes = []
    for name, mine in submitted.items():
        field = current._meta.get_field(name)
        theirs = getattr(current, name)
        if field.many_to_many:
            theirs = set(theirs.all())
            mine = set(mine or [])
            if theirs != mine:
                changes.append((str(field.verbose_name), mine, "、".join(map(str, theirs)) or "—"))
        elif theirs != mine:
            changes.append((str(field.verbose_name), mine, theirs if theirs not in (None, "") else "—"))
    raise EditConflict(changes=changes)
