"""The weekly meeting: its agenda, decisions flowing back as directives, and the minutes."""

from datetime import date

import pytest

from duban.core.concurrency import EditConflict
from duban.core.errors import Conflict, Invalid, NotPermitted, TransitionRefused
from duban.directives.models import Directive, MeetingKind, State
from duban.tests.factories import ThemeFactory
from duban.weekly import services
from duban.weekly.models import AgendaKind, DecisionAction


def test_the_agenda_holds_the_coordination_requests_then_the_red_items(city, work, weekly):
    assert weekly.meeting.kind == MeetingKind.WEEKLY
    agenda = list(weekly.agenda.order_by("order"))
    assert [(a.kind, a.object_id) for a in agenda] == [
        (AgendaKind.COORDINATION, work.green.pk),
        (AgendaKind.RED, work.red.pk),
    ]
    assert "住建局" in agenda[0].detail
    assert services.agenda_build(weekly_meeting=weekly) == 0


def test_a_decision_creates_a_directive(city, work, weekly):
    item = weekly.agenda.get(kind=AgendaKind.COORDINATION)
    theme = ThemeFactory(code="city", name="城市功能")
    item = services.agenda_decide(
        item=item,
        by=city.office,
        decision="由市住建局牵头，两周内提供管网资料",
        action=DecisionAction.NEW_DIRECTIVE,
        title="提供污水管网资料",
        unit=city.housing,
        deadline=date(2026, 12, 11),
        theme=theme,
    )
    directive = Directive.objects.get(pk=item.resulting_directive_id)
    assert directive.lead_unit == city.housing
    assert directive.meeting == weekly.meeting
    assert directive.state == State.ASSIGNED
    assert directive.responsible_leader == city.leader
    with pytest.raises(TransitionRefused):
        services.agenda_decide(
            item=item, by=city.office, decision="再来一次", action=DecisionAction.NEW_DIRECTIVE
        )


def test_a_decision_sets_a_new_deadline_and_a_new_unit(city, work, weekly):
    item = weekly.agenda.get(kind=AgendaKind.RED)
    services.agenda_decide(
        item=item,
        by=city.office,
        decision="延至月底",
        action=DecisionAction.NEW_DEADLINE,
        deadline=date(2026, 12, 31),
    )
    work.red.refresh_from_db()
    assert work.red.deadline == date(2026, 12, 31)
    other = services.agenda_add(weekly_meeting=weekly, by=city.office, title="调整牵头单位")
    other.source, other.object_id = "directive", work.red.pk
    other.save()
    services.agenda_decide(
        item=other,
        by=city.office,
        decision="改由县政府牵头",
        action=DecisionAction.NEW_UNIT,
        unit=city.county,
    )
    work.red.refresh_from_db()
    assert work.red.lead_unit == city.county


def test_a_decision_closes_a_directive_whose_completion_was_requested(city, work, weekly):
    item = weekly.agenda.get(kind=AgendaKind.RED)
    Directive.objects.filter(pk=work.red.pk).update(state=State.COMPLETION_REQUESTED)
    services.agenda_decide(item=item, by=city.office, decision="同意办结", action=DecisionAction.CLOSE)
    work.red.refresh_from_db()
    assert work.red.state == State.CLOSED


def test_a_decision_to_close_an_open_directive_is_refused_until_confirmed_and_says_what_it_does(
    city, work, weekly
):
    from duban.core.errors import TransitionRefused

    item = weekly.agenda.get(kind=AgendaKind.RED)
    with pytest.raises(TransitionRefused) as refused:
        services.agenda_decide(item=item, by=city.office, decision="同意办结", action=DecisionAction.CLOSE)
    assert "尚未申请办结" in refused.value.message and "重新打开" in refused.value.message
    work.red.refresh_from_db()
    assert work.red.state != State.CLOSED


def test_a_decision_closes_an_open_directive_and_the_timeline_names_the_decision(city, work, weekly):
    from duban.directives.models import EventKind, TimelineEvent

    item = weekly.agenda.get(kind=AgendaKind.RED)
    services.agenda_decide(
        item=item,
        by=city.office,
        decision="任务已由新项目承接，决定办结",
        action=DecisionAction.CLOSE,
        confirm_close=True,
    )
    work.red.refresh_from_db()
    assert work.red.state == State.CLOSED
    event = TimelineEvent.objects.filter(directive=work.red, kind=EventKind.CLOSED).get()
    assert "决定办结" in event.note


def test_only_the_office_records_decisions(city, weekly):
    item = weekly.agenda.first()
    for user in (city.leader_user, city.liaison):
        with pytest.raises(NotPermitted):
            services.agenda_decide(item=item, by=user, decision="x")


def test_a_cycle_has_one_weekly_meeting(city, weekly):
    with pytest.raises(Conflict):
        services.weekly_meeting_create(cycle=weekly.cycle, by=city.office, held_on=date(2026, 12, 1))


def test_a_recorded_decision_may_be_decided_again_until_it_is_carried_out(city, weekly):
    item = weekly.agenda.get(kind=AgendaKind.RED)
    item = services.agenda_decide(item=item, by=city.office, decision="先研究")
    assert item.stage == "noted"
    item = services.agenda_decide(
        item=item,
        by=city.office,
        decision="延期",
        action=DecisionAction.NEW_DEADLINE,
        deadline=date(2027, 1, 31),
    )
    assert item.stage == "carried_out"


def test_a_decision_from_a_stale_version_is_refused(city, weekly):
    item = weekly.agenda.first()
    services.agenda_decide(item=item, by=city.office, decision="第一次")
    with pytest.raises(EditConflict):
        services.agenda_decide(item=item, by=city.office, decision="第二次", expected_version=item.version)


@pytest.mark.parametrize(
    ("action", "field"),
    [(DecisionAction.NEW_DEADLINE, "deadline"), (DecisionAction.NEW_UNIT, "unit"), ("fly", "action")],
)
def test_a_decision_without_what_its_action_needs_names_the_missing_field(city, weekly, action, field):
    item = weekly.agenda.get(kind=AgendaKind.RED)
    with pytest.raises(Invalid) as refused:
        services.agenda_decide(item=item, by=city.office, decision="决定", action=action)
    assert field in refused.value.fields


def test_a_directive_decision_on_an_item_that_is_no_directive_is_refused(city, weekly):
    other = services.agenda_add(weekly_meeting=weekly, by=city.office, title="其他议题")
    with pytest.raises(Invalid, match="不对应督办事项"):
        services.agenda_decide(item=other, by=city.office, decision="办结", action=DecisionAction.CLOSE)


def test_the_agenda_puts_up_the_red_list_the_bulletin_lists(city, work, finance_report):
    # A PPP rectification directive taken on after the cycle gathered its items: no report holds it,
    # yet it is red on the bulletin, so the meeting must discuss it too.
    from duban.weekly import selectors

    from .conftest import fill
    from .factories import DirectiveFactory

    late = DirectiveFactory(lead_unit=city.county, title="PPP项目整改：补充绩效目标", light="red")
    fill(finance_report, city.liaison)
    services.report_submit(report=finance_report, by=city.liaison)
    weekly = services.weekly_meeting_create(
        cycle=finance_report.cycle, by=city.office, held_on=date(2026, 11, 30)
    )
    bulletin_red = {
        (f.source, f.object_id) for _l, rows in selectors.flagged_lists(light="red") for f in rows
    }
    agenda_red = set(weekly.agenda.filter(kind=AgendaKind.RED).values_list("source", "object_id"))
    assert bulletin_red == agenda_red == {("directive", work.red.pk), ("directive", late.pk)}
    unreported = weekly.agenda.get(object_id=late.pk)
    assert (unreported.unit, unreported.report_item) == (city.county, None)
    assert weekly.agenda.get(object_id=work.red.pk).report_item.report == finance_report
