"""The dated parameters: the lines in force from a date, the classification rules and the budget figures.
Saving one reclassifies the programme, since the rules or the dates they apply from may have changed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model

from duban.core.rules import require

from .. import rules
from ..models import BudgetYear, ClassificationRules, ThresholdSet
from .classification import programme_reclassify
from .common import upserted


@transaction.atomic
def _parameter_save(model: type[Model], *, by, key: dict, fields: dict) -> Model:
    """Add the row of `key`, or correct it when there is one."""
    require(rules.is_manager, by)
    row = upserted(model, key=key, fields=fields)
    programme_reclassify(by=by)
    return row


def threshold_set_save(*, by, valid_from, **fields) -> ThresholdSet:
    """Add the lines in force from a date, or correct the row of that date."""
    return _parameter_save(ThresholdSet, by=by, key={"valid_from": valid_from}, fields=fields)


def classification_rules_save(*, by, valid_from, **fields) -> ClassificationRules:
    return _parameter_save(ClassificationRules, by=by, key={"valid_from": valid_from}, fields=fields)


def budget_year_save(*, by, year, **fields) -> BudgetYear:
    return _parameter_save(BudgetYear, by=by, key={"year": year}, fields=fields)
