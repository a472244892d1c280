"""Application batches (申报批次): opened by the finance bureau."""

from __future__ import annotations

from duban.core.rules import require
from duban.core.services import model_create

from ..models import BondBatch
from ..rules import may_create_batch


def batch_create(*, by, **fields) -> BondBatch:
    require(may_create_batch, by)
    return model_create(BondBatch, **fields)
