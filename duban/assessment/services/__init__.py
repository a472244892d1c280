"""Writes of the assessment: setting up schemes (`setup`), computing and publishing periods as
snapshots (`computing`), and what people add (`work`). Import from here."""

from .computing import (
    period_compute,
    period_finalise,
    period_inputs,
    period_publish,
    period_rules,
    score_rows,
    snapshot_revise,
)
from .setup import (
    group_create,
    group_update,
    group_weight_set,
    group_weights_set,
    indicator_create,
    indicator_update,
    period_open,
    scheme_create,
    scheme_update,
)
from .work import (
    appeal_create,
    appeal_decide,
    appeal_evidence_attach,
    entry_create,
    entry_decide,
    entry_evidence_attach,
    experience_decide,
    experience_evidence_attach,
    experience_submit,
)

__all__ = [
    "appeal_create",
    "appeal_decide",
    "appeal_evidence_attach",
    "entry_create",
    "entry_decide",
    "entry_evidence_attach",
    "experience_decide",
    "experience_evidence_attach",
    "experience_submit",
    "group_create",
    "group_update",
    "group_weight_set",
    "group_weights_set",
    "indicator_create",
    "indicator_update",
    "period_compute",
    "period_finalise",
    "period_inputs",
    "period_open",
    "period_publish",
    "period_rules",
    "scheme_create",
    "scheme_update",
    "score_rows",
    "snapshot_revise",
]
