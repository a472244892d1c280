"""Changing the organisation: units, and leaders with their portfolios.

The unit directory's Excel import and export are in `excel.py` (`UnitImport`, `units_workbook`).
"""

from __future__ import annotations

from django.db import transaction

from duban.core.concurrency import versioned_update
from duban.core.rules import require
from duban.core.services import model_create

from .excel import split_aliases
from .models import Leader, Unit
from .rules import may_edit_unit, may_manage_leaders, may_manage_units


def unit_create(*, by, **fields) -> Unit:
    require(may_manage_units, by)
    unit = Unit(**fields)
    unit.aliases = split_aliases(unit.aliases)
    unit.full_clean()
    unit.save()
    return unit


def unit_update(*, unit: Unit, by, expected_version: int, **fields) -> Unit:
    """Change a unit edited from `expected_version` (EditConflict if someone saved it since)."""
    require(may_edit_unit, by, unit)
    if "aliases" in fields:
        fields["aliases"] = split_aliases(fields["aliases"])
    return versioned_update(unit, expected_version=expected_version, fields=fields, by=by).instance


@transaction.atomic
def leader_create(*, by, units=(), themes=(), **fields) -> Leader:
    require(may_manage_leaders, by)
    return model_create(Leader, units=units, themes=themes, **fields)


def leader_update(*, leader: Leader, by, expected_version: int, **fields) -> Leader:
    """Change a leader's post or portfolio (`units`, `themes`) edited from `expected_version`."""
    require(may_manage_leaders, by, leader)
    return versioned_update(leader, expected_version=expected_version, fields=fields, by=by).instance
