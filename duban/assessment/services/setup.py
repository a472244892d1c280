"""Setting up a scheme: its groups and members, its indicator tree and weights, its periods (the office's)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.errors import Conflict, Invalid
from duban.core.rules import require
from duban.core.services import model_create

from .. import rules
from ..models import GroupWeight, Indicator, Member, Period, Scheme, UnitGroup
from ..periods import period_days


@transaction.atomic
def scheme_create(*, by, name: str, period_type: str, visibility: str, **fields) -> Scheme:
    require(rules.is_assessment_office, by)
    return model_create(Scheme, name=name, period_type=period_type, visibility=visibility, **fields)


@transaction.atomic
def group_create(*, scheme: Scheme, by, name: str, units=(), separate=(), sort_order: int = 0) -> UnitGroup:
    """A group and its members; a unit is assessed once per scheme."""
    require(rules.is_assessment_office, by)
    group = model_create(UnitGroup, scheme=scheme, name=name, sort_order=sort_order)
    chosen = [(unit, False) for unit in units] + [(unit, True) for unit in separate]
    taken = set(Member.objects.filter(group__scheme=scheme).values_list("unit_id", flat=True))
    clash = [unit for unit, _ in chosen if unit.pk in taken]
    if clash:
        raise Conflict(_("单位已在本方案的其他分组：%(units)s") % {"units": "、".join(str(u) for u in clash)})
    Member.objects.bulk_create([Member(group=group, unit=unit, separate=alone) for unit, alone in chosen])
    return group


@transaction.atomic
def indicator_create(*, scheme: Scheme, by, key: str, name: str, parent: Indicator | None = None, **fields):
    require(rules.is_assessment_office, by)
    scored = fields.pop("scored", parent is not None and bool(fields.get("formula")))
    return model_create(Indicator, scheme=scheme, key=key, name=name, parent=parent, scored=scored, **fields)


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
