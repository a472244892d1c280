"""Optimistic locking: an edit names the version it started from; a save over a newer one is refused.

Every edit of a versioned object goes through `versioned_update`: it locks the row, compares the
version, sets only what changed, validates, saves, and says what changed (for the timeline).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import Conflict, Invalid


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Conflict):
    """Someone else saved the object since this edit began; `changes` says what they changed."""

    code = "edit_conflict"

    def __init__(self, *, changes: list[tuple[str, object, object]]):
        self.changes = changes
        lines = "；".join(f"{label}：{theirs}" for label, _mine, theirs in changes) or _("（无字段变化）")
        super().__init__(
            _(
                "保存失败：在您编辑期间，其他人已修改了这条记录，您的修改未保存。"
                "对方修改的内容：%(changes)s。请刷新后重新编辑。"
            )
            % {"changes": lines}
        )


def parse_version(value) -> int:
    """The version an edit started from, as sent by a form or an API client; Invalid if it is not one."""
    if isinstance(value, bool):
        value = None
    try:
        version = int(value)
    except (TypeError, ValueError, OverflowError):
        version = -1
    if version < 0 or str(version) != str(value).strip():
        raise Invalid(_("版本号无效，请刷新后重新编辑。"), fields={"version": [_("应为非负整数。")]})
    return version


def _stored(value):
    return "—" if value in (None, "") else value


def _changes_since(current: models.Model, submitted: dict) -> list[tuple[str, object, object]]:
    changes = []
    for name, mine in submitted.items():
        model_field = current._meta.get_field(name)
        theirs = getattr(current, name)
        if model_field.many_to_many:
            theirs = set(theirs.all())
            mine = set(mine or [])
            if theirs != mine:
                changes.append((str(model_field.verbose_name), mine, "、".join(map(str, theirs)) or "—"))
        elif theirs != mine:
            changes.append((str(model_field.verbose_name), mine, _stored(theirs)))
    return changes


def lock_for_update(instance: VersionedModel, *, expected_version: int, submitted: dict):
    """Lock the row; raise EditConflict if its version moved on since expected_version.

    Call inside transaction.atomic(). `submitted` maps field names to the values of this edit; the
    conflict lists every field where the stored value now differs, with the stored value.
    Returns the locked current row.
    """
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.version == expected_version:
        return current
    raise EditConflict(changes=_changes_since(current, submitted))


@dataclass
class Update:
    """What `versioned_update` did: the saved row and the fields whose value changed."""

    instance: models.Model
    changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed)

    def labels(self) -> list[str]:
        meta = self.instance._meta
        return [str(meta.get_field(name).verbose_name) for name in self.changed]

    def summary(self) -> str:
        """The timeline's words for it: “修改了：办理时限、牵头单位”."""
        if not self.changed:
            return _("未修改任何内容")
        return _("修改了：%(fields)s") % {"fields": "、".join(self.labels())}


def _same(model_field, old, new) -> bool:
    if model_field.is_relation and isinstance(new, models.Model):
        return getattr(old, "pk", old) == new.pk
    return old == new


@transaction.atomic
def versioned_update(instance: VersionedModel, *, expected_version: int, fields: dict, by=None) -> Update:
    """Apply an edit made from `expected_version`: lock, compare, set, validate, save.

    `fields` maps field names (many-to-many included) to their new values. The version goes up by
    one when anything changed; nothing is written when nothing changed. `by` is stored as
    `updated_by` where the model has one. Raises EditConflict or Django's ValidationError.
    """
    current = lock_for_update(instance, expected_version=expected_version, submitted=fields)
    meta = current._meta
    changed, many = [], {}
    for name, value in fields.items():
        model_field = meta.get_field(name)
        if model_field.many_to_many:
            if {obj.pk for obj in getattr(current, name).all()} != {obj.pk for obj in value or []}:
                many[name] = value
                changed.append(name)
        elif not _same(model_field, getattr(current, name), value):
            setattr(current, name, value)
            changed.append(name)
    if not changed:
        return Update(current)
    current.version += 1
    saved = [name for name in changed if name not in many] + ["version"]
    if by is not None and any(f.name == "updated_by" for f in meta.concrete_fields):
        current.updated_by = by
        saved.append("updated_by")
    saved += [f.name for f in meta.concrete_fields if getattr(f, "auto_now", False)]
    current.full_clean()
    current.save(update_fields=saved)
    for name, value in many.items():
        getattr(current, name).set(value or [])
    return Update(current, changed)
