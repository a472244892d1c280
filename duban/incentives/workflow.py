"""The campaign's life cycle as a transition table (`core.workflow`): the lead unit (or the office)
files the application with the ministry; the office records the State Council's decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from duban.core.workflow import OFFICE, UNIT, Transition, Workflow, office_or_unit

from .models import CampaignEvent, CampaignState

S = CampaignState


def record_event(
    campaign, transition: Transition, *, by, note: str, from_state: str, text: str = "", **_data
):
    """The step's entry on the campaign's timeline (call in the step's transaction)."""
    return CampaignEvent.objects.create(
        campaign=campaign,
        kind=transition.event_kind,
        text=(text or str(transition.label))[:500],
        by=by if getattr(by, "pk", None) else None,
    )


WORKFLOW = Workflow(
    transitions=[
        Transition("submit", _("报送申报材料"), {S.PREPARING}, S.SUBMITTED, actors={OFFICE, UNIT}),
        Transition("withdraw", _("撤回申报"), {S.SUBMITTED}, S.PREPARING, actors={OFFICE}, needs_reason=True),
        Transition("commend", _("登记获得激励"), {S.SUBMITTED}, S.COMMENDED, actors={OFFICE}),
        Transition("not_commend", _("登记未获激励"), {S.SUBMITTED}, S.NOT_COMMENDED, actors={OFFICE}),
    ],
    actors=office_or_unit,
    actor_labels={OFFICE: _("督查室"), UNIT: _("牵头单位联络员")},
    record=record_event,
)
