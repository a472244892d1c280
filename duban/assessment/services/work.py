"""What people add: manual entries and their approval, appeals and their decision, typical experiences."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.errors import Invalid, NotPermitted
from duban.core.rules import require
from duban.core.services import model_create
from duban.core.uploads import EVIDENCE, check_upload

from .. import rules
from ..models import (
    Appeal,
    AppealState,
    EntryState,
    ExperienceState,
    Indicator,
    ManualEntry,
    Period,
    PeriodState,
    Source,
    TypicalExperience,
)
from .computing import snapshot_revise


def _evidence(upload) -> None:
    if upload:
        check_upload(upload, allowed=EVIDENCE)


@transaction.atomic
def entry_create(*, period: Period, indicator: Indicator, unit, value: Decimal, note: str, by, evidence=None):
    """A named reviewer's score (the office, or a leader's evaluation) on a manual indicator, for the
    office to approve; a period already published takes no new entry."""
    require(rules.may_enter_score, by)
    if indicator.scheme_id != period.scheme_id or indicator.source != Source.MANUAL:
        raise Invalid(
            _("请选择本方案的人工评分指标。"), fields={"indicator": [_("不是本方案的人工评分指标。")]}
        )
    if period.state != PeriodState.DRAFT:
        raise Invalid(_("考核结果已发布，不能再录入评分。"))
    _evidence(evidence)
    return model_create(
        ManualEntry,
        period=period,
        indicator=indicator,
        unit=unit,
        value=value,
        note=note,
        evidence=evidence or "",
        reviewer=by,
    )


@transaction.atomic
def entry_decide(*, entry: ManualEntry, by, approve: bool, note: str = "") -> ManualEntry:
    entry = ManualEntry.objects.select_for_update().get(pk=entry.pk)
    require(rules.may_decide_entry, by, entry)
    if entry.reviewer_id == by.pk:
        raise NotPermitted(_("评分人不能审定自己录入的评分。"))
    entry.state = EntryState.APPROVED if approve else EntryState.REJECTED
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.decision_note = note
    entry.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return entry


@transaction.atomic
def appeal_create(
    *, period: Period, indicator: Indicator, by, reason: str, claimed_value=None, evidence=None
):
    """A liaison's appeal of one line of his unit's published ranking, within the 公示 period."""
    period = Period.objects.select_related("current").get(pk=period.pk)
    require(rules.may_appeal, by, period)
    current = period.current
    if current is None or not current.rows.filter(unit_id=by.unit_id).exists():
        raise Invalid(_("本单位不在该考核期的排名中。"))
    if indicator.key not in current.rules["indicators"]:
        raise Invalid(_("该指标不在本期计分范围内。"), fields={"indicator": [_("不在本期计分范围内。")]})
    if not reason.strip():
        raise Invalid(_("请填写申诉理由。"), fields={"reason": [_("请填写申诉理由。")]})
    _evidence(evidence)
    return model_create(
        Appeal,
        period=period,
        snapshot=current,
        unit=by.unit,
        indicator=indicator,
        reason=reason,
        claimed_value=claimed_value,
        evidence=evidence or "",
        created_by=by,
    )


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by, upheld: bool, decision: str, corrected_value=None) -> Appeal:
    """The office's decision with its reason; upheld, the period is revised as a new version (the old
    one kept) with the line's corrected value."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("period__current", "indicator")
        .get(pk=appeal.pk)
    )
    require(rules.may_decide_appeal, by, appeal)
    if not decision.strip():
        raise Invalid(_("请填写复核意见。"), fields={"decision": [_("请填写复核意见。")]})
    if upheld:
        value = corrected_value if corrected_value is not None else appeal.claimed_value
        if value is None:
            raise Invalid(_("申诉成立时请填写更正后的值。"), fields={"corrected_value": [_("请填写。")]})
        period = (
            Period.objects.select_for_update(of=("self",)).select_related("current").get(pk=appeal.period_id)
        )
        note = _("申诉更正：%(unit)s %(indicator)s") % {"unit": appeal.unit, "indicator": appeal.indicator}
        appeal.revision = snapshot_revise(
            period=period, corrections={(appeal.unit_id, appeal.indicator.key): value}, by=by, note=note
        )
        appeal.corrected_value = value
    appeal.state = AppealState.UPHELD if upheld else AppealState.REJECTED
    appeal.decision = decision
    appeal.decided_by = by
    appeal.decided_at = timezone.now()
    appeal.save()
    return appeal


@transaction.atomic
def experience_submit(*, by, title: str, summary: str, evidence=None) -> TypicalExperience:
    require(rules.may_submit_experience, by)
    _evidence(evidence)
    return model_create(
        TypicalExperience,
        unit=by.unit,
        title=title,
        summary=summary,
        evidence=evidence or "",
        submitted_by=by,
    )


EXPERIENCE_STEPS = {
    "select": ExperienceState.SELECTED,
    "publish": ExperienceState.PUBLISHED,
    "reject": ExperienceState.REJECTED,
}


@transaction.atomic
def experience_decide(*, experience: TypicalExperience, by, step: str, decision: str = "", on=None):
    """The office selects, publishes (on the showcase, counted as 加分 in the period of `on`) or rejects."""
    experience = TypicalExperience.objects.select_for_update().get(pk=experience.pk)
    require(rules.may_decide_experience, by, experience)
    if step not in EXPERIENCE_STEPS:
        raise Invalid(_("无效的操作。"))
    experience.state = EXPERIENCE_STEPS[step]
    if step == "publish":
        experience.published_on = on or timezone.localdate()
    experience.decision = decision
    experience.decided_by = by
    experience.save(update_fields=["state", "published_on", "decision", "decided_by"])
    return experience


def _attach(model, pk: int, *, by, rule, upload):
    """Store `upload` as the object's evidence (replacing the one it had; the audit trail keeps both
    names): asked of the rule on the locked row, the file checked before anything is written."""
    obj = model.objects.select_for_update().get(pk=pk)
    require(rule, by, obj)
    check_upload(upload, allowed=EVIDENCE)
    obj.evidence = upload
    obj.save(update_fields=["evidence"])
    return obj


@transaction.atomic
def appeal_evidence_attach(*, appeal: Appeal, by, upload) -> Appeal:
    return _attach(Appeal, appeal.pk, by=by, rule=rules.may_attach_appeal_evidence, upload=upload)


@transaction.atomic
def entry_evidence_attach(*, entry: ManualEntry, by, upload) -> ManualEntry:
    return _attach(ManualEntry, entry.pk, by=by, rule=rules.may_attach_entry_evidence, upload=upload)


@transaction.atomic
def experience_evidence_attach(*, experience: TypicalExperience, by, upload) -> TypicalExperience:
    return _attach(TypicalExperience, experience.pk, by=by, rule=rules.may_edit_experience, upload=upload)
