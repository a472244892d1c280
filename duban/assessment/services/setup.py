"""Setting up a scheme: its groups and members, its indicator tree and weights, its periods (the office's).

Edits go through `versioned_update` from the version the page started from (a save over someone else's
is an `EditConflict`); every row is written one by one, so each change is in the audit trail. A scheme's
snapshots keep their own copy of the rules they used: editing the scheme changes no snapshot.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.concurrency import lock_for_update, versioned_update
from duban.core.errors import Conflict, Invalid
from duban.core.rules import require
from duban.core.services import model_create

from .. import rules
from ..errors import describe_scoring_error
from ..models import Grading, GroupWeight, Indicator, Member, Period, Scheme, UnitGroup
from ..periods import period_days
from ..scoring import ScoringInputError, grades_from_list, indicator_from_dict, quotas_from_list
from ..selectors import WEIGHT_TOTAL, weight_totals

PARAMS = ("target", "cap", "better", "step", "bands", "per", "max")


def _line_of(field: str) -> str:
    """`grades[1][0]` → 第 2 行 (the form shows one grade a line)."""
    found = re.match(r"\w+\[(\d+)\]", field)
    return _("第 %(line)s 行") % {"line": int(found.group(1)) + 1} if found else _("等次划分")


def check_grading(grading: str, grades) -> list:
    """The grades as the scoring module reads them, or `Invalid` on the field `grades` in Chinese."""
    try:
        pairs = quotas_from_list(grades) if grading == Grading.QUOTAS else grades_from_list(grades)
    except ScoringInputError as error:
        error.field = _line_of(error.field) if error.code != "total" else _("等次划分")
        raise Invalid(
            describe_scoring_error(error), fields={"grades": [describe_scoring_error(error)]}
        ) from None
    if not pairs:
        raise Invalid(_("请至少设置一个等次。"), fields={"grades": [_("请至少设置一个等次。")]})
    thresholds = [threshold for threshold, _name in pairs]
    if grading == Grading.BANDS and thresholds != sorted(set(thresholds), reverse=True):
        message = _("分数段应从高到低排列，且分数线不重复。")
        raise Invalid(message, fields={"grades": [message]})
    return [[_plain(threshold), name] for threshold, name in pairs]


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@transaction.atomic
def scheme_create(*, by, name: str, period_type: str, visibility: str, **fields) -> Scheme:
    require(rules.is_assessment_office, by)
    if "grades" in fields:
        fields["grades"] = check_grading(fields.get("grading", Grading.BANDS), fields["grades"])
    return model_create(Scheme, name=name, period_type=period_type, visibility=visibility, **fields)


@transaction.atomic
def scheme_update(*, scheme: Scheme, by, expected_version: int, **fields) -> Scheme:
    """Name, period type (while no period is open), visibility, grading, description, 公示期, active."""
    require(rules.is_assessment_office, by)
    if "grades" in fields or "grading" in fields:
        fields["grades"] = check_grading(
            fields.get("grading", scheme.grading), fields.get("grades", scheme.grades)
        )
    changes_type = "period_type" in fields and fields["period_type"] != scheme.period_type
    if changes_type and Period.objects.filter(scheme=scheme).exists():
        message = _("方案已有考核期，不能修改考核周期；请另建方案。")
        raise Invalid(message, fields={"period_type": [message]})
    return versioned_update(scheme, expected_version=expected_version, fields=fields, by=by).instance


def _members(scheme: Scheme, group: UnitGroup | None, units, separate) -> dict:
    """{unit: 单列?} of a group; a unit is assessed once per scheme."""
    chosen = dict.fromkeys(units, False)
    both = [unit for unit in separate if unit in chosen]
    if both:
        message = _("单位不能既参与排名又单列：%(units)s") % {"units": "、".join(map(str, both))}
        raise Invalid(message, fields={"separate": [message]})
    chosen.update(dict.fromkeys(separate, True))
    others = Member.objects.filter(group__scheme=scheme)
    if group is not None:
        others = others.exclude(group=group)
    taken = set(others.values_list("unit_id", flat=True))
    clash = [unit for unit in chosen if unit.pk in taken]
    if clash:
        raise Conflict(_("单位已在本方案的其他分组：%(units)s") % {"units": "、".join(str(u) for u in clash)})
    return chosen


def _set_members(group: UnitGroup, chosen: dict) -> bool:
    """Add, flag and remove members one by one (each in the audit trail); True when anything changed."""
    current = {member.unit_id: member for member in group.members.all()}
    wanted = {unit.pk: alone for unit, alone in chosen.items()}
    changed = False
    for unit_id, member in current.items():
        if unit_id not in wanted:
            member.delete()
            changed = True
        elif member.separate != wanted[unit_id]:
            member.separate = wanted[unit_id]
            member.save(update_fields=["separate"])
            changed = True
    for unit, alone in chosen.items():
        if unit.pk not in current:
            model_create(Member, group=group, unit=unit, separate=alone)
            changed = True
    return changed


@transaction.atomic
def group_create(*, scheme: Scheme, by, name: str, units=(), separate=(), sort_order: int = 0) -> UnitGroup:
    """A group and its members; a unit is assessed once per scheme."""
    require(rules.is_assessment_office, by)
    chosen = _members(scheme, None, units, separate)
    group = model_create(UnitGroup, scheme=scheme, name=name, sort_order=sort_order)
    _set_members(group, chosen)
    return group


@transaction.atomic
def group_update(
    *, group: UnitGroup, by, expected_version: int, name: str, sort_order: int, units=(), separate=()
) -> UnitGroup:
    """The group's name, order and members (a member flagged 单列 is assessed, not ranked)."""
    require(rules.is_assessment_office, by)
    chosen = _members(group.scheme, group, units, separate)
    update = versioned_update(
        group, expected_version=expected_version, fields={"name": name, "sort_order": sort_order}, by=by
    )
    group = update.instance
    if _set_members(group, chosen) and not update.changed:
        group.version += 1
        group.save(update_fields=["version"])
    return group


def check_params(*, formula: str, params: dict, weight: Decimal, key: str = "indicator") -> dict:
    """A scored indicator's formula parameters, as `duban assessment score` reads them; `Invalid` naming
    the parameter in Chinese otherwise."""
    params = {name: params[name] for name in PARAMS if params.get(name) not in (None, "", [])}
    spec = {"key": key, "formula": formula, "weight": weight, **params}
    try:
        indicator_from_dict(spec, _("计分参数"))
    except ScoringInputError as error:
        message = describe_scoring_error(error)
        raise Invalid(message, fields={"params": [message]}) from None
    return params


def _checked_indicator(scheme: Scheme, fields: dict, *, current: Indicator | None = None) -> dict:
    parent = fields.get("parent")
    if parent is not None:
        if parent.scheme_id != scheme.pk:
            raise Invalid(_("上级指标应属于同一方案。"), fields={"parent": [_("上级指标应属于同一方案。")]})
        if current is not None and current.pk in _ancestry(parent):
            message = _("上级指标不能是本指标或其下级指标。")
            raise Invalid(message, fields={"parent": [message]})
    if fields.get("scored", True) and fields.get("formula"):
        fields["params"] = check_params(
            formula=fields["formula"],
            params=fields.get("params") or {},
            weight=fields.get("weight", Decimal(0)),
            key=fields.get("key") or getattr(current, "key", "indicator"),
        )
    return fields


def _ancestry(node: Indicator) -> set[int]:
    found = set()
    while node is not None:
        found.add(node.pk)
        node = node.parent
    return found


@transaction.atomic
def indicator_create(*, scheme: Scheme, by, key: str, name: str, parent: Indicator | None = None, **fields):
    require(rules.is_assessment_office, by)
    scored = fields.pop("scored", parent is not None and bool(fields.get("formula")))
    fields = _checked_indicator(scheme, {"parent": parent, "scored": scored, "key": key, **fields})
    fields.pop("key")
    return model_create(Indicator, scheme=scheme, key=key, name=name, **fields)


def _relevel(node: Indicator) -> None:
    """The levels below a moved node, saved one by one; deeper than 三级 is refused."""
    for child in node.children.all():
        child.level = node.level + 1
        if child.level > 3:
            message = _("移动后“%(name)s”将超过三级指标。") % {"name": child.name}
            raise Invalid(message, fields={"parent": [message]})
        child.version += 1
        child.save(update_fields=["level", "version"])
        _relevel(child)


@transaction.atomic
def indicator_update(*, indicator: Indicator, by, expected_version: int, **fields) -> Indicator:
    """An indicator's place in the tree, name, formula and parameters, source, data owner, frequency,
    dates; its code (`key`) stays, as the snapshots and entries know it by it."""
    require(rules.is_assessment_office, by)
    fields.pop("key", None)
    kept = {name: getattr(indicator, name) for name in ("parent", "scored", "formula", "params", "weight")}
    checked = _checked_indicator(indicator.scheme, {**kept, **fields}, current=indicator)
    if "params" in fields:
        fields["params"] = checked["params"]
    if "parent" in fields:
        fields["level"] = fields["parent"].level + 1 if fields["parent"] is not None else 1
    level = indicator.level
    indicator = versioned_update(indicator, expected_version=expected_version, fields=fields, by=by).instance
    if indicator.level != level:
        _relevel(indicator)
    return indicator


@transaction.atomic
def group_weight_set(*, indicator: Indicator, group: UnitGroup, weight: Decimal, by) -> GroupWeight:
    require(rules.is_assessment_office, by)
    if group.scheme_id != indicator.scheme_id:
        raise Invalid(_("分组与指标应属于同一方案。"))
    found, _created = GroupWeight.objects.update_or_create(
        indicator=indicator, group=group, defaults={"weight": weight}
    )
    return found


@transaction.atomic
def group_weights_set(
    *, group: UnitGroup, by, expected_version: int, weights: dict[Indicator, Decimal | None]
) -> UnitGroup:
    """The group's own weights (None: the indicator's weight). The 一级 indicators in force on any day
    must weigh 100 together for the group (加减分 items weigh 0)."""
    require(rules.is_assessment_office, by)
    group = lock_for_update(group, expected_version=expected_version, submitted={})
    if any(indicator.scheme_id != group.scheme_id for indicator in weights):
        raise Invalid(_("分组与指标应属于同一方案。"))
    indicators = list(Indicator.objects.filter(scheme=group.scheme_id))
    own = {w.indicator_id: w for w in GroupWeight.objects.filter(group=group)}
    wanted = {i.pk: own[i.pk].weight for i in indicators if i.pk in own}
    wanted.update({i.pk: w for i, w in weights.items()})
    for day, total in weight_totals(indicators, {k: v for k, v in wanted.items() if v is not None}):
        if total != WEIGHT_TOTAL:
            message = _(
                "分组“%(group)s”自 %(day)s 起一级指标权重合计为 %(total)s，应为 100（加减分项计 0）。"
            ) % {"group": group.name, "day": day.isoformat(), "total": _plain(total)}
            raise Invalid(message, fields={"__all__": [message]})
    changed = False
    for indicator, weight in weights.items():
        found = own.get(indicator.pk)
        if weight is None and found is not None:
            found.delete()
            changed = True
        elif weight is not None and found is None:
            model_create(GroupWeight, indicator=indicator, group=group, weight=weight)
            changed = True
        elif weight is not None and found.weight != weight:
            found.weight = weight
            found.full_clean()
            found.save(update_fields=["weight"])
            changed = True
    if changed:
        group.version += 1
        group.save(update_fields=["version"])
    return group


@transaction.atomic
def period_open(*, scheme: Scheme, label: str, by) -> Period:
    """A period of the scheme by its label (2026-03 monthly, 2026-Q1 quarterly, 2026 yearly)."""
    require(rules.is_assessment_office, by)
    days = period_days(scheme.period_type, label)
    if days is None:
        raise Invalid(
            _("考核期“%(label)s”与方案的考核周期不符。") % {"label": label}, fields={"label": [label]}
        )
    existing = Period.objects.filter(scheme=scheme, label=label).first()
    if existing is not None:
        return existing
    return model_create(Period, scheme=scheme, label=label, starts_on=days[0], ends_on=days[1])
