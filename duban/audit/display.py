"""The audit trail as people read it: the model's and the fields' Chinese names, 新增/修改/删除, values
as the pages show them (a choice's label, a linked row's name, 是/否, 空 for nothing, local times), and
long changes folded away.

django-auditlog's own `changes_display_dict` answers in Python (`None`, `True`, dict dumps) and looks
up every linked row one query at a time; `readable_entries` reads a whole page of entries with one
query per linked model.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import ACTION_LABELS

# A value longer than this is folded (its beginning shown, the rest under 展开).
LONG_VALUE = 80
# An entry changing more fields than this shows the first ones and folds the rest.
SHOWN_FIELDS = 4
# Fields every row has and nobody needs to read in a trail.
_SKIPPED = {"id"}


@dataclass
class Change:
    field: str
    before: str
    after: str
    only_after: bool = False  # a new row: no "before" to show
    only_before: bool = False  # a deleted row: no "after" to show

    @property
    def is_long(self) -> bool:
        return len(self.before) > LONG_VALUE or len(self.after) > LONG_VALUE

    @property
    def before_short(self) -> str:
        return _shorten(self.before)

    @property
    def after_short(self) -> str:
        return _shorten(self.after)


@dataclass
class ReadableEntry:
    entry: object
    action: str
    model: str
    changes: list[Change] = field(default_factory=list)

    @property
    def shown(self) -> list[Change]:
        return self.changes[:SHOWN_FIELDS]

    @property
    def folded(self) -> list[Change]:
        return self.changes[SHOWN_FIELDS:]


def _shorten(text: str) -> str:
    return text if len(text) <= LONG_VALUE else text[: LONG_VALUE - 1] + "…"


def readable_entries(entries) -> list[ReadableEntry]:
    """The entries of one page, readable; linked rows are named with one query per linked model."""
    entries = list(entries)
    names = _linked_names(entries)
    return [_readable(entry, names) for entry in entries]


def _model_of(entry):
    return entry.content_type.model_class()


def _field(model, name: str):
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation that shares the name (a review's "items") is not what the entry recorded.
    return model_field if hasattr(model_field, "verbose_name") else None


def _is_reverse(model, name: str) -> bool:
    """A reverse relation auditlog wrote down as "app.Model.None": nothing the row itself holds."""
    if model is None:
        return False
    try:
        return not hasattr(model._meta.get_field(name), "verbose_name")
    except FieldDoesNotExist:
        return False


def _is_link(model_field) -> bool:
    return isinstance(model_field, models.ForeignKey | models.OneToOneField)


def _linked_names(entries) -> dict[type[models.Model], dict[str, str]]:
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = _model_of(entry)
        for name, values in (entry.changes or {}).items():
            model_field = _field(model, name)
            if _is_link(model_field) and isinstance(values, list | tuple):
                related = model_field.related_model
                wanted[related].update(v for v in values if v not in (None, "", "None"))
    names: dict[type[models.Model], dict[str, str]] = {}
    for related, keys in wanted.items():
        pks = []
        for key in keys:
            try:
                pks.append(related._meta.pk.to_python(key))
            except Exception:  # noqa: BLE001 - a value the key cannot be; shown as written
                continue
        names[related] = {str(pk): str(obj) for pk, obj in related._default_manager.in_bulk(pks).items()}
    return names


def _readable(entry, names) -> ReadableEntry:
    model = _model_of(entry)
    model_name = str(model._meta.verbose_name) if model is not None else entry.content_type.model
    action = str(ACTION_LABELS.get(entry.action, entry.action))
    changes = []
    for name, values in (entry.changes or {}).items():
        if name in _SKIPPED or _is_reverse(model, name):
            continue
        model_field = _field(model, name)
        label = _label(model_field, name)
        if isinstance(values, dict):
            changes.append(_m2m_change(label, values))
            continue
        before, after = (
            (list(values) + [None, None])[:2] if isinstance(values, list | tuple) else (None, values)
        )
        before, after = _value(model_field, before, names), _value(model_field, after, names)
        if entry.action == 0 and after == _("空"):
            continue  # a new row's empty fields say nothing
        changes.append(
            Change(label, before, after, only_after=entry.action == 0, only_before=entry.action == 2)
        )
    return ReadableEntry(entry=entry, action=action, model=model_name, changes=changes)


def _label(model_field, name: str) -> str:
    if model_field is None:
        return name
    label = str(model_field.verbose_name)
    if label == name.replace("_", " ") and model_field.is_relation and model_field.related_model:
        # A link declared without a name is named after what it links to (项目, 单位, …).
        return str(model_field.related_model._meta.verbose_name)
    return label


def _m2m_change(label: str, values: dict) -> Change:
    objects = "、".join(str(v) for v in values.get("objects", [])) or _("空")
    if values.get("operation") == "add":
        return Change(label, "", _("添加：%(objects)s") % {"objects": objects}, only_after=True)
    return Change(label, "", _("移除：%(objects)s") % {"objects": objects}, only_after=True)


def _is_empty(value) -> bool:
    return value is None or value == "" or value == "None" or value == [] or value == {}


def _value(model_field, value, names) -> str:
    """One value as the pages show it."""
    if _is_empty(value):
        return _("空")
    if model_field is None:
        return _plain(value)
    if _is_link(model_field):
        related = model_field.related_model
        return names.get(related, {}).get(str(value)) or _("#%(pk)s（已删除）") % {"pk": value}
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    if isinstance(model_field, models.BooleanField):
        return _("是") if value in (True, "True", "true", 1, "1") else _("否")
    if isinstance(model_field, models.DateTimeField):
        return _moment(value)
    return _plain(value)


def _moment(value) -> str:
    # auditlog stores times as text in UTC without a zone.
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        return str(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _plain(value) -> str:
    """Text, or a list or mapping written for people rather than as Python or JSON."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return "、".join(_plain(v) for v in value) or _("空")
        return _("共 %(n)d 项：%(items)s") % {"n": len(value), "items": "；".join(_plain(v) for v in value)}
    if isinstance(value, dict):
        return "，".join(f"{k}：{_plain(v)}" for k, v in value.items() if not _is_empty(v)) or _("空")
    return str(value)
