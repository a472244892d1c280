"""The one shape of life cycle: who may take which step from which state, and why not."""

from dataclasses import dataclass

import pytest
from django.utils.translation import gettext_lazy as _

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.core.workflow import Guard, Transition, Workflow


@dataclass
class Report:
    state: str = "draft"
    owner: str = "finance"
    items_filled: bool = True
    version: int = 1

    def full_clean(self):
        pass

    def save(self):
        pass


@dataclass
class User:
    name: str
    unit: str = ""
    office: bool = False
    is_authenticated: bool = True
    is_active: bool = True


def _actors(user, report):
    return {"office"} if user.office else ({"unit"} if user.unit == report.owner else set())


def _unfilled(report, **_inputs):
    return "" if report.items_filled else "还有事项未填写。"


EVENTS = []
WORKFLOW = Workflow(
    transitions=[
        Transition(
            "submit", _("提交"), {"draft"}, "submitted", actors={"unit"}, guards=(Guard("filled", _unfilled),)
        ),
        Transition("reopen", _("退回"), {"submitted"}, "draft", actors={"office"}, needs_reason=True),
    ],
    actors=_actors,
    actor_labels={"unit": _("本单位联络员"), "office": _("督查室")},
    record=lambda report, transition, **data: EVENTS.append(
        (transition.name, data["from_state"], data["note"])
    ),
)
LIAISON, STRANGER, OFFICE = User("l", unit="finance"), User("s", unit="housing"), User("o", office=True)


def test_the_buttons_are_the_steps_this_user_may_take_now():
    report = Report()
    assert [t.name for t in WORKFLOW.available(LIAISON, report)] == ["submit"]
    assert WORKFLOW.available(STRANGER, report) == []
    assert WORKFLOW.available(OFFICE, report) == []


def test_a_guard_hides_the_button_and_refuses_with_its_reason():
    report = Report(items_filled=False)
    assert WORKFLOW.available(LIAISON, report) == []
    with pytest.raises(TransitionRefused, match="还有事项未填写"):
        WORKFLOW.check(LIAISON, report, "submit")


def test_the_wrong_user_is_refused_before_the_state_is_looked_at():
    with pytest.raises(NotPermitted, match="只有督查室可以执行“退回”"):
        WORKFLOW.check(LIAISON, Report(state="draft"), "reopen")


def test_the_wrong_state_is_refused_with_the_current_state():
    with pytest.raises(TransitionRefused, match="当前状态为“submitted”"):
        WORKFLOW.check(LIAISON, Report(state="submitted"), "submit")


def test_an_unknown_step_is_invalid_input():
    with pytest.raises(Invalid):
        WORKFLOW.check(OFFICE, Report(), "explode")


def test_a_step_that_needs_a_reason_refuses_an_empty_one():
    with pytest.raises(Invalid) as refused:
        WORKFLOW.check(OFFICE, Report(state="submitted"), "reopen", note="  ")
    assert "note" in refused.value.fields


def test_moving_sets_the_state_bumps_the_version_and_records_the_event():
    report = Report()
    EVENTS.clear()
    WORKFLOW.move(report, WORKFLOW.check(LIAISON, report, "submit"), by=LIAISON, note=" 按时 ")
    assert (report.state, report.version) == ("submitted", 2)
    assert EVENTS == [("submit", "draft", "按时")]


def test_an_anonymous_user_acts_in_no_capacity():
    assert WORKFLOW.actors_of(User("x", unit="finance", is_authenticated=False), Report()) == frozenset()


def test_a_step_that_needs_a_reason_refuses_a_missing_one_too():
    with pytest.raises(Invalid):
        WORKFLOW.check(OFFICE, Report(state="submitted"), "reopen")
