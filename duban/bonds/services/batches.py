"""Application batches (申报批次): opened by the finance bureau."""

from __future__ import annotations

from duban.core.rules import require

from ..models import BondBatch
from ..rules import may_create_batch


def batch_create(*, by, **fields) -> BondBatch:
    require(may_create_batch, by)
    batch = BondBatch(**fields)
    batch.full_clean()
    batch.save()
    return batch
