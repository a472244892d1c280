"""The life cycle: every transition allowed only to its role, with reasons, timeline and notices."""

from datetime import date

import pytest

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.directives import services
from duban.directives.models import Directive, EventKind, Light, State, TimelineEvent
from duban.directives.workflow import EXTENSION_PENDING, HEAD, OFFICE, UNIT, WORKFLOW
from duban.tests.factories import ThemeFactory

from .factories import DirectiveFactory, MeetingFactory

USERS = ["office", "admin", "liaison", "housing_liaison", "county_liaison", "leader_user", "finance_user"]
# Only the lead unit's liaison (finance) acts for the unit; housing is a co-unit. None of these is the
# lead unit's head (单位领导审核: test_head_approval.py has him take his steps).
ALLOWED = {OFFICE: {"office", "admin"}, UNIT: {"liaison"}, HEAD: set()}
TRANSITIONS = WORKFLOW.table
# The steps of a lead unit that asks for its head's approval.
HEAD_STEPS = {"submit_for_approval", "approve", "send_back"}


def _ready(city, transition):
    source = sorted(transition.sources)[0]
    return DirectiveFactory(
        lead_unit=city.finance,
        co_units=[city.housing],
        responsible_leader=city.leader,
        state=source,
        deadline=date(2026, 12, 31),
        extension_until=date(2027, 1, 31) if EXTENSION_PENDING in transition.guards else None,
    )


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("who", USERS)
def test_each_transition_is_allowed_only_to_its_role(city, name, who):
    transition = TRANSITIONS[name]
    if name in HEAD_STEPS:
        city.finance.requires_head_approval = True
        city.finance.save()
    directive = _ready(city, transition)
    user = getattr(city, who)
    call = lambda: services.directive_transition(  # noqa: E731
        directive=directive, name=name, by=user, note="理由", until=date(2027, 3, 31), confirmed=True
    )
    (actor,) = transition.actors
    if who in ALLOWED[actor]:
        result = call()
        if transition.target:
            assert result.state == transition.target
        assert TimelineEvent.objects.filter(
            directive=directive, kind=transition.event_kind, actor=user
        ).exists()
    else:
        with pytest.raises(NotPermitted) as refused:
            call()
        assert refused.value.status == 403
        assert "只有" in refused.value.message
        assert Directive.objects.get(pk=directive.pk).state == directive.state


def test_a_transition_from_the_wrong_state_is_refused_with_the_state_named(city, directive):
    with pytest.raises(TransitionRefused) as refused:
        services.directive_close(directive=directive, by=city.office)
    assert refused.value.status == 409
    assert "已交办" in refused.value.message


def test_the_whole_life_cycle_leaves_a_timeline(city):
    directive = services.directive_create(
        by=city.office,
        title="推进专项债券项目储备",
        theme=ThemeFactory(code="bond", name="专项债券"),
        lead_unit=city.finance,
        co_units=[city.housing],
        deadline=date(2026, 12, 31),
        source="key_work",
    )
    assert directive.state == State.DRAFT and directive.light == Light.GREY
    services.directive_assign(directive=directive, by=city.office)
    services.directive_start(directive=directive, by=city.liaison)
    services.directive_request_completion(directive=directive, by=city.liaison, note="已全部完成")
    services.directive_return(directive=directive, by=city.office, note="佐证材料不全")
    services.directive_request_completion(directive=directive, by=city.liaison, note="已补齐材料")
    closed = services.directive_close(directive=directive, by=city.office)
    assert closed.state == State.CLOSED and closed.light == Light.GREY and closed.percent == 100
    kinds = list(TimelineEvent.objects.filter(directive=directive).values_list("kind", flat=True))
    assert kinds == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.STARTED,
        EventKind.COMPLETION_REQUESTED,
        EventKind.RETURNED,
        EventKind.COMPLETION_REQUESTED,
        EventKind.CLOSED,
    ]
    returned = TimelineEvent.objects.get(directive=directive, kind=EventKind.RETURNED)
    assert returned.note == "佐证材料不全"


def test_returning_needs_a_reason(city, directive):
    directive.state = State.COMPLETION_REQUESTED
    directive.save()
    with pytest.raises(Invalid):
        services.directive_return(directive=directive, by=city.office, note="  ")
    assert Directive.objects.get(pk=directive.pk).state == State.COMPLETION_REQUESTED


def test_an_approved_extension_moves_the_deadline(city, directive):
    services.directive_request_extension(
        directive=directive, by=city.liaison, until=date(2027, 3, 31), note="征地未完成"
    )
    directive.refresh_from_db()
    assert directive.extension_pending
    with pytest.raises(TransitionRefused):
        services.directive_request_extension(
            directive=directive, by=city.liaison, until=date(2027, 4, 30), note="再延"
        )
    services.directive_approve_extension(directive=directive, by=city.office)
    directive.refresh_from_db()
    assert directive.deadline == date(2027, 3, 31) and not directive.extension_pending


def test_a_refused_extension_keeps_the_deadline(city, directive):
    services.directive_request_extension(
        directive=directive, by=city.liaison, until=date(2027, 3, 31), note="征地未完成"
    )
    services.directive_refuse_extension(directive=directive, by=city.office, note="时限不可调整")
    directive.refresh_from_db()
    assert directive.deadline == date(2026, 12, 31) and not directive.extension_pending
    event = TimelineEvent.objects.get(directive=directive, kind=EventKind.EXTENSION_REFUSED)
    assert event.note == "时限不可调整"


def test_an_extension_must_move_the_deadline_later(city, directive):
    with pytest.raises(Invalid):
        services.directive_request_extension(
            directive=directive, by=city.liaison, until=date(2026, 1, 1), note="x"
        )


def test_there_is_no_extension_to_decide_without_a_request(city, directive):
    with pytest.raises(TransitionRefused) as refused:
        services.directive_approve_extension(directive=directive, by=city.office)
    assert "没有待审批" in refused.value.message


def test_suspend_and_resume_and_cancel_record_their_reasons(city, directive):
    services.directive_suspend(directive=directive, by=city.office, note="政策调整")
    assert Directive.objects.get(pk=directive.pk).light == Light.GREY
    services.directive_resume(directive=directive, by=city.office)
    services.directive_cancel(directive=directive, by=city.office, note="并入其他事项")
    notes = dict(TimelineEvent.objects.filter(directive=directive).values_list("kind", "note"))
    assert notes[EventKind.SUSPENDED] == "政策调整" and notes[EventKind.CANCELLED] == "并入其他事项"


def test_allowed_transitions_offer_the_right_buttons(city, directive):
    assert {t.name for t in services.allowed_transitions(city.liaison, directive)} == {
        "start",
        "request_completion",
        "request_extension",
    }
    assert {t.name for t in services.allowed_transitions(city.office, directive)} == {
        "close_by_decision",
        "suspend",
        "cancel",
    }
    assert services.allowed_transitions(city.housing_liaison, directive) == []
    assert services.allowed_transitions(city.leader_user, directive) == []


def test_assignment_notifies_the_units_and_the_leader(city):
    from duban.notifications.models import Notification

    draft = DirectiveFactory(
        lead_unit=city.finance, co_units=[city.housing], responsible_leader=city.leader, state=State.DRAFT
    )
    services.directive_assign(directive=draft, by=city.office)
    recipients = set(
        Notification.objects.filter(kind="assigned").values_list("recipient__username", flat=True)
    )
    assert recipients == {"liaison", "housing", "leader"}


def test_closing_tells_the_lead_unit_and_the_leader_and_a_decision_says_why(city):
    from duban.notifications.models import Notification

    requested = DirectiveFactory(
        lead_unit=city.finance, responsible_leader=city.leader, state=State.COMPLETION_REQUESTED
    )
    services.directive_close(directive=requested, by=city.office)
    decided = DirectiveFactory(
        lead_unit=city.finance, responsible_leader=city.leader, state=State.IN_PROGRESS
    )
    services.directive_close_by_decision(
        directive=decided, by=city.office, note="市长议事会决定办结", confirmed=True
    )
    closed = Directive.objects.get(pk=requested.pk)
    assert closed.state == State.CLOSED and closed.percent == 100 and closed.closed_at is not None
    assert Directive.objects.get(pk=decided.pk).closed_at is not None
    sent = Notification.objects.filter(kind="closed")
    assert set(sent.values_list("recipient__username", flat=True)) == {"liaison", "leader"}
    assert set(sent.values_list("body", flat=True)) == {"", "市长议事会决定办结"}


def split(city, parent, *, unit=None, deadline=date(2026, 11, 30)):
    """The county's liaison splits a sub-task off the county's directive (for the township, by default)."""
    return services.directive_split(
        parent=parent,
        by=city.county_liaison,
        unit=unit or city.township,
        title="石桥镇征地",
        deadline=deadline,
    )


def test_a_sub_task_takes_its_source_theme_leader_and_priority_from_its_directive(city):
    meeting = MeetingFactory()
    parent = DirectiveFactory(
        lead_unit=city.county, source="meeting", meeting=meeting, source_note="常务会议", priority=1
    )
    child = split(city, parent)
    for name in ("source", "meeting", "source_note", "theme", "responsible_leader", "priority"):
        assert getattr(child, name) == getattr(parent, name), name
    assert child.created_by == city.county_liaison and child.content == ""


def test_a_sub_task_goes_to_a_sub_unit_of_the_lead_unit(city):
    parent = DirectiveFactory(lead_unit=city.county, deadline=date(2026, 12, 31))
    child = split(city, parent)
    assert child.parent == parent and child.state == State.ASSIGNED and child.lead_unit == city.township
    with pytest.raises(Invalid):
        split(city, parent, unit=city.finance)
    with pytest.raises(Invalid):
        split(city, parent, deadline=date(2027, 1, 30))


@pytest.mark.parametrize(
    "state,extension",
    [
        (State.ASSIGNED, False),
        (State.IN_PROGRESS, True),
        (State.COMPLETION_REQUESTED, False),
        (State.SUSPENDED, False),
    ],
)
def test_finishing_closes_an_open_directive_whatever_its_state(city, directive, state, extension):
    Directive.objects.filter(pk=directive.pk).update(
        state=state, extension_until=date(2027, 1, 31) if extension else None
    )
    finished = services.directive_finish(directive=directive, by=city.office, note="整改验收销号")
    assert finished.state == State.CLOSED and finished.closed_at is not None
    assert TimelineEvent.objects.filter(directive=directive, kind=EventKind.CLOSED).exists()


@pytest.mark.parametrize("state", [State.DRAFT, State.CLOSED, State.CANCELLED])
def test_finishing_leaves_a_directive_that_is_not_open_as_it_is(city, directive, state):
    Directive.objects.filter(pk=directive.pk).update(state=state)
    assert services.directive_finish(directive=directive, by=city.office, note="x").state == state


def test_an_unknown_step_is_refused_as_invalid_input(city, directive):
    with pytest.raises(Invalid, match="fly"):
        services.directive_transition(directive=directive, name="fly", by=city.office)


# Closing by decision says what it does and waits for the office's confirmation; the office may reopen.


def test_closing_by_decision_is_refused_until_confirmed_and_the_refusal_says_what_it_would_do(city):
    from duban.core.errors import TransitionRefused

    red = DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS, percent=80, light=Light.RED)
    with pytest.raises(TransitionRefused) as refused:
        services.directive_close_by_decision(directive=red, by=city.office, note="周例会决定办结")
    message = refused.value.message
    assert "尚未申请办结" in message and "80%" in message and "红灯" in message and "重新打开" in message
    assert Directive.objects.get(pk=red.pk).state == State.IN_PROGRESS


def test_the_office_reopens_a_closed_directive_with_a_reason_on_the_timeline(city):
    from duban.directives.models import ProgressReport
    from duban.notifications.models import Notification

    directive = DirectiveFactory(
        lead_unit=city.finance, responsible_leader=city.leader, state=State.COMPLETION_REQUESTED
    )
    ProgressReport.objects.create(directive=directive, text="基本完成", percent=80, author=city.liaison)
    closed = services.directive_close(directive=directive, by=city.office)
    assert closed.percent == 100
    with pytest.raises(Invalid):
        services.directive_reopen(directive=closed, by=city.office, note="")
    with pytest.raises(NotPermitted):
        services.directive_reopen(directive=closed, by=city.liaison, note="还没完")
    reopened = services.directive_reopen(directive=closed, by=city.office, note="会议决定有误，继续办理")
    assert reopened.state == State.IN_PROGRESS and reopened.closed_at is None and reopened.percent == 80
    event = TimelineEvent.objects.filter(directive=directive, kind=EventKind.REOPENED).get()
    assert event.note == "会议决定有误，继续办理" and event.from_state == State.CLOSED
    told = Notification.objects.filter(kind="reopened").values_list("recipient__username", flat=True)
    assert set(told) == {"liaison", "leader"}
    assert reopened.light != Light.GREY


def test_reopening_is_audited(city):
    from duban.audit.models import AuditEntry

    directive = DirectiveFactory(lead_unit=city.finance, state=State.CLOSED)
    services.directive_reopen(directive=directive, by=city.office, note="重新办理")
    entry = AuditEntry.objects.get_for_object(directive).latest("timestamp")
    assert entry.changes_dict["state"] == ["closed", "in_progress"]


def test_a_closed_directive_offers_the_office_reopening_and_nobody_else(city):
    directive = DirectiveFactory(lead_unit=city.finance, state=State.CLOSED)
    assert [t.name for t in services.allowed_transitions(city.office, directive)] == ["reopen"]
    assert services.allowed_transitions(city.liaison, directive) == []
