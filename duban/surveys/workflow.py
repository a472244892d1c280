"""A response's life cycle as a `core.workflow` table: the unit fills and submits; the reviewer — the
office for a unit the city sent the form to, the county for its townships (逐级汇总) — approves it or
returns it with the reason; the unit corrects and submits again. Every step writes a `ResponseEvent`."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts.roles import Role
from duban.accounts.scope import is_office
from duban.core.workflow import OFFICE, UNIT, Guard, Transition, Workflow

from .models import ResponseEvent, ResponseState, RoundState

REVIEWER = "reviewer"  # the county reviewing its townships' responses

ACTOR_LABELS = {
    OFFICE: gettext_lazy("督查室"),
    UNIT: gettext_lazy("本单位联络员"),
    REVIEWER: gettext_lazy("上级汇总单位联络员"),
}


def response_actors(user, response) -> set[str]:
    found = set()
    if is_office(user):
        found.add(OFFICE)
    if user.role == Role.LIAISON and user.unit_id:
        if user.unit_id == response.unit_id:
            found.add(UNIT)
        if response.parent_id and user.unit_id == response.parent.unit_id:
            found.add(REVIEWER)
    return found


def _accepts_data(response, **_inputs) -> str | None:
    form = response.round.form
    if form.is_expired(date.today()):
        return _("“%(form)s”已过有效期（%(until)s），不再接受填报。") % {
            "form": form.title,
            "until": form.valid_until,
        }
    if response.round.state != RoundState.OPEN:
        return _("本轮填报已截止。")
    return None


def _parts_done(response, **_inputs) -> str | None:
    if not response.round.rollup or response.parent_id:
        return _("本单位无需汇总下级数据。")
    waiting = [str(p.unit) for p in response.parts.all() if p.state != ResponseState.APPROVED]
    if waiting:
        return _("以下下级单位的填报尚未审核通过，不能汇总：%(units)s") % {"units": "、".join(waiting[:10])}
    if not response.parts.exists():
        return _("没有下级单位的填报可汇总。")
    return None


ACCEPTS_DATA = Guard("accepts_data", _accepts_data)
PARTS_DONE = Guard("parts_done", _parts_done, on_buttons=False)
OPEN = frozenset({ResponseState.DRAFT, ResponseState.RETURNED})


def record(response, transition, *, by, note, from_state, **_data):
    ResponseEvent.objects.create(
        response=response,
        kind=transition.event_kind,
        from_state=from_state,
        to_state=response.state,
        note=note[:500],
        by=by,
    )


RESPONSE_WORKFLOW = Workflow(
    transitions=[
        Transition("fill", gettext_lazy("保存"), OPEN, None, actors={UNIT}, guards=(ACCEPTS_DATA,)),
        Transition(
            "submit",
            gettext_lazy("提交"),
            OPEN,
            ResponseState.SUBMITTED,
            actors={UNIT},
            guards=(ACCEPTS_DATA,),
        ),
        Transition(
            "rollup",
            gettext_lazy("汇总下级数据"),
            OPEN,
            None,
            actors={UNIT},
            guards=(ACCEPTS_DATA, PARTS_DONE),
        ),
        Transition(
            "approve",
            gettext_lazy("审核通过"),
            {ResponseState.SUBMITTED},
            ResponseState.APPROVED,
            actors={OFFICE, REVIEWER},
        ),
        Transition(
            "return",
            gettext_lazy("退回修改"),
            {ResponseState.SUBMITTED, ResponseState.APPROVED},
            ResponseState.RETURNED,
            actors={OFFICE, REVIEWER},
            needs_reason=True,
        ),
    ],
    actors=response_actors,
    actor_labels=ACTOR_LABELS,
    record=record,
)
