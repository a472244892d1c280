"""The escalation ladder (逐级督办): the morning job proposes each directive's next step, the office
issues the proposals in bulk, the red step waits for its leader, issuing makes a numbered Word
document the unit answers on the platform, and a step left unanswered proposes the next."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.accounts.roles import Role
from duban.directives import selectors, services
from duban.directives.models import (
    Escalation,
    EscalationState,
    EscalationStep,
    EventKind,
    Light,
    Reminder,
    ReplyState,
    State,
    SupervisionNotice,
    TimelineEvent,
)
from duban.directives.services import escalation
from duban.notifications.models import Notification
from duban.tests.factories import LeaderFactory, UserFactory
from duban.tests.lists import assert_queries_do_not_grow, page_queries
from duban.workcalendar.selectors import add_working_days, is_working_day, working_days_between

from .factories import DirectiveFactory


@pytest.fixture
def steps(db):
    """The default ladder the migration installs: 提醒 → 蓝 → 黄 → 红 (the leader's) → 约谈/通报."""
    rows = list(EscalationStep.objects.order_by("order"))
    assert [s.name for s in rows] == ["提醒", "蓝色督办单", "黄色督办单", "红色督办单", "约谈/通报"]
    return rows


def long_overdue(city, **fields):
    """A red directive of the finance bureau, thirty working days past its deadline, the city leader's."""
    today = timezone.localdate()
    return DirectiveFactory(
        lead_unit=city.finance,
        responsible_leader=city.leader,
        light=Light.RED,
        deadline=add_working_days(today, -30),
        **fields,
    )


@pytest.fixture
def red(city, steps):
    return long_overdue(city, title="城东污水处理厂提标改造")


def proposal(directive) -> Escalation:
    return Escalation.objects.get(directive=directive, state=EscalationState.PROPOSED)


def day_after(escalation: Escalation) -> date:
    """The first working day after the step's reply date: the step is then unanswered."""
    escalation.refresh_from_db()
    return add_working_days(escalation.reply_by, 1)


def issue_on_page(client, *escalations):
    return client.post(reverse("directives:escalations_issue"), {"escalations": [e.pk for e in escalations]})


def test_a_red_directive_walks_up_the_ladder_to_a_numbered_red_notice_its_unit_answers(
    city, red, steps, client_for
):
    office = client_for(city.office)
    year = timezone.localdate().year
    # Morning: the first step is proposed, and the office issues it from its proposals page.
    assert services.propose_escalations() == {"proposed": 1, "withdrawn": 0}
    first = proposal(red)
    assert first.step == steps[0]
    assert red.title in office.get(reverse("directives:escalation_proposals")).content.decode()
    assert issue_on_page(office, first).status_code == 302
    first.refresh_from_db()
    assert first.state == EscalationState.ISSUED and first.reminder is not None
    assert first.reply_by == add_working_days(timezone.localdate(), steps[0].reply_days)
    assert Notification.objects.filter(recipient=city.liaison, kind="reminder").exists()
    # Nothing more while the unit still has time to answer.
    assert services.propose_escalations()["proposed"] == 0

    # Unanswered past its date: blue, then yellow (each numbered in its own colour).
    issued = first
    for step, number in ((steps[1], f"督办〔{year}〕蓝1号"), (steps[2], f"督办〔{year}〕黄1号")):
        assert services.propose_escalations(today=day_after(issued))["proposed"] == 1
        issued = proposal(red)
        assert issued.step == step and "未回复" in issued.reason
        issue_on_page(office, issued)
        issued.refresh_from_db()
        assert issued.state == EscalationState.ISSUED and issued.notice.number == number

    # The red step is the leader's: issuing sends it to him, and he approves it on his page.
    assert services.propose_escalations(today=day_after(issued))["proposed"] == 1
    red_step = proposal(red)
    assert red_step.step == steps[3]
    issue_on_page(office, red_step)
    red_step.refresh_from_db()
    assert red_step.state == EscalationState.AWAITING_LEADER and red_step.notice is None
    assert Notification.objects.filter(recipient=city.leader_user, kind="approval").exists()
    leader = client_for(city.leader_user)
    assert red.title in leader.get(reverse("directives:escalation_approvals")).content.decode()
    approve = reverse("directives:escalation_approve", args=[red_step.pk])
    assert leader.post(approve, {"note": "同意，限期整改"}).status_code == 302
    red_step.refresh_from_db()
    notice = red_step.notice
    assert red_step.state == EscalationState.ISSUED and red_step.approved_by == city.leader_user
    assert notice.number == f"督办〔{year}〕红1号" and notice.issued_by == city.office

    # The numbered Word document downloads and reads as the official notice.
    response = office.get(reverse("directives:notice_download", args=[notice.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert f"督办〔{year}〕红1号" in text and "红色督办单" in text
    assert city.finance.name in text and red.title in text

    # The unit replies on the platform; the reply is recorded, shown on the directive and settles it.
    liaison = client_for(city.liaison)
    reply = liaison.post(
        reverse("directives:notice_reply", args=[notice.pk]), {"text": "已完成提标改造主体工程。"}
    )
    assert reply.status_code == 302
    red_step = selectors.ladder(user=city.office, directive=red).get(pk=red_step.pk)
    assert red_step.reply_state == ReplyState.REPLIED
    page = office.get(reverse("directives:detail", args=[red.pk])).content.decode()
    assert 'id="ladder"' in page and "已完成提标改造主体工程" in page and f"督办〔{year}〕红1号" in page
    # Answered: no talk (约谈) is proposed after its date.
    assert services.propose_escalations(today=day_after(red_step))["proposed"] == 0
    kinds = TimelineEvent.objects.filter(directive=red, kind=EventKind.ESCALATION).count()
    assert kinds >= 6


def test_an_unanswered_red_step_proposes_the_talk_and_an_answered_one_stops_the_climb(city, red, steps):
    other = long_overdue(city, title="老旧小区改造")
    for directive in (red, other):
        for step in steps[:4]:
            Escalation.objects.create(
                directive=directive,
                step=step,
                state=EscalationState.ISSUED,
                proposed_on=timezone.localdate(),
                reply_by=timezone.localdate(),
            )
    # The rungs without documents count as unanswered; give `other`'s red step a notice and a reply.
    last = Escalation.objects.get(directive=other, step=steps[3])
    last.notice = services.numbered_notice(directive=other, by=city.office, series="红", title="红色督办单")
    last.save()
    services.notice_reply(notice=last.notice, by=city.liaison, text="已整改")
    services.propose_escalations(today=add_working_days(timezone.localdate(), 1))
    assert proposal(red).step == steps[4]
    assert not Escalation.objects.filter(directive=other, state=EscalationState.PROPOSED).exists()


def test_notices_are_numbered_per_year_and_per_colour(city, red):
    year = timezone.localdate().year
    plain = services.notice_issue(directive=red, by=city.office)
    blue = [services.numbered_notice(directive=red, by=city.office, series="蓝") for _ in range(2)]
    yellow = services.numbered_notice(directive=red, by=city.office, series="黄")
    assert plain.number == f"〔{year}〕第1号"
    assert [n.number for n in blue] == [f"督办〔{year}〕蓝1号", f"督办〔{year}〕蓝2号"]
    assert yellow.number == f"督办〔{year}〕黄1号"
    # Last year's blue notices do not count this year.
    SupervisionNotice.objects.filter(pk=blue[1].pk).update(year=year - 1)
    assert selectors.next_notice_sequence(year, "蓝") == 2
    assert selectors.next_notice_sequence(year - 1, "蓝") == 3


def test_a_number_taken_at_the_same_moment_is_retried_with_the_next(city, red, monkeypatch):
    from duban.directives.services import supervision

    first = services.numbered_notice(directive=red, by=city.office, series="蓝")
    answers = iter([first.sequence])  # the first attempt collides with the notice just issued

    def racing(year, series=""):
        return next(answers, None) or selectors.next_notice_sequence(year, series)

    monkeypatch.setattr(supervision, "next_notice_sequence", racing)
    second = services.numbered_notice(directive=red, by=city.office, series="蓝")
    assert second.sequence == first.sequence + 1


def test_proposals_are_withdrawn_when_the_directive_is_no_longer_worked_on(city, red):
    services.propose_escalations()
    red.state = State.CLOSED
    red.save()
    assert services.propose_escalations() == {"proposed": 0, "withdrawn": 1}
    assert Escalation.objects.get(directive=red).state == EscalationState.WITHDRAWN


def test_green_or_recent_work_is_not_proposed(city, steps):
    DirectiveFactory(lead_unit=city.finance, light=Light.GREEN)
    DirectiveFactory(lead_unit=city.finance, light=Light.RED, state=State.SUSPENDED)
    assert services.propose_escalations()["proposed"] == 0


def test_the_morning_job_rests_on_days_off(city, red):
    day = timezone.localdate()
    while is_working_day(day):
        day = date.fromordinal(day.toordinal() + 1)
    assert services.propose_escalations_job(today=day) == {"proposed": 0, "withdrawn": 0}
    assert services.propose_escalations_job()["proposed"] == (
        1 if is_working_day(timezone.localdate()) else 0
    )


def test_the_proposal_job_takes_as_many_statements_for_many_directives_as_for_few(city, steps):
    services.propose_escalations()  # the calendar is read once

    def statements(n: int) -> int:
        for _ in range(n):
            long_overdue(city)
        with CaptureQueriesContext(connection) as queries:
            assert services.propose_escalations()["proposed"] == n
        return len(queries)

    assert statements(2) == statements(25)


def climbed(directive, steps):
    """The directive has taken these steps, none of them answered, all due today."""
    for step in steps:
        Escalation.objects.create(
            directive=directive,
            step=step,
            state=EscalationState.ISSUED,
            proposed_on=timezone.localdate(),
            reply_by=timezone.localdate(),
        )


def test_the_leader_refuses_a_step_and_the_office_is_told_why(city, red, steps):
    climbed(red, steps[:3])
    services.propose_escalations(today=add_working_days(timezone.localdate(), 1))
    assert proposal(red).step == steps[3]
    services.escalations_issue(escalation_ids=[proposal(red).pk], by=city.office)
    waiting = Escalation.objects.get(directive=red, step=steps[3])
    services.escalation_refuse(escalation=waiting, by=city.leader_user, note="先约谈再发")
    waiting.refresh_from_db()
    assert waiting.state == EscalationState.REFUSED and waiting.notice is None
    told = Notification.objects.get(recipient=city.office, kind="reply")
    assert "先约谈再发" in told.body
    # The leader's word stands: the step is not proposed again the next morning.
    assert services.propose_escalations(today=add_working_days(timezone.localdate(), 1))["proposed"] == 0


def test_counts_per_unit_for_the_ranking(city, red, steps):
    services.propose_escalations()
    services.escalations_issue(escalation_ids=[proposal(red).pk], by=city.office)
    other = long_overdue(city)
    Escalation.objects.create(directive=other, step=steps[0], proposed_on=timezone.localdate())
    rows = list(selectors.escalation_counts_by_unit(user=city.office, year=timezone.localdate().year))
    assert rows == [
        {
            "directive__lead_unit": city.finance.pk,
            "directive__lead_unit__name": city.finance.name,
            "issued": 1,
            "highest": 1,
            "unanswered": 1,
        }
    ]


# --- who may ---------------------------------------------------------------------------------------


def test_only_the_office_sees_the_proposals_and_issues_them(city, red, client_for):
    services.propose_escalations()
    waiting = proposal(red)
    for user in (city.liaison, city.leader_user):
        client = client_for(user)
        assert client.get(reverse("directives:escalation_proposals")).status_code == 403
        assert issue_on_page(client, waiting).status_code == 403
    assert proposal(red) == waiting


def test_a_leader_approves_only_the_steps_of_his_own_directives(city, red, steps, client_for):
    Escalation.objects.create(directive=red, step=steps[3], proposed_on=timezone.localdate())
    services.escalations_issue(escalation_ids=[proposal(red).pk], by=city.office)
    waiting = Escalation.objects.get(directive=red)
    approve = reverse("directives:escalation_approve", args=[waiting.pk])
    refuse = reverse("directives:escalation_refuse", args=[waiting.pk])
    # A leader of the same portfolio sees the directive but it is not his: refused.
    colleague = UserFactory(username="colleague", role=Role.LEADER, unit=city.root)
    LeaderFactory(name="王副市长", user=colleague).units.set([city.finance])
    # A leader without the finance bureau does not even see it.
    stranger = UserFactory(username="stranger", role=Role.LEADER, unit=city.root)
    LeaderFactory(name="李副市长", user=stranger).units.set([city.county])
    assert client_for(colleague).post(approve).status_code == 403
    assert client_for(stranger).post(approve).status_code == 404
    for user in (city.office, city.liaison):
        assert client_for(user).post(approve).status_code in (403, 404)
        assert client_for(user).post(refuse, {"note": "不同意"}).status_code in (403, 404)
    assert client_for(city.liaison).get(reverse("directives:escalation_approvals")).status_code == 403
    mine = client_for(colleague).get(reverse("directives:escalation_approvals")).context["page_obj"]
    assert list(mine.object_list) == []
    waiting.refresh_from_db()
    assert waiting.state == EscalationState.AWAITING_LEADER


def test_the_api_refuses_the_wrong_users(city, red, steps, api_client_for):
    services.propose_escalations()
    waiting = proposal(red)
    issue = "/api/directives/escalations/issue/"
    assert (
        api_client_for(city.liaison).post(issue, {"escalations": [waiting.pk]}, format="json").status_code
        == 403
    )
    assert (
        api_client_for(city.leader_user).post(issue, {"escalations": [waiting.pk]}, format="json").status_code
        == 403
    )
    assert (
        api_client_for(city.county_liaison).get(f"/api/directives/escalations/{waiting.pk}/").status_code
        == 404
    )
    assert (
        api_client_for(city.leader_user)
        .post(f"/api/directives/escalations/{waiting.pk}/approve/")
        .status_code
        == 403
    )
    assert proposal(red) == waiting


def test_the_api_issues_and_the_leader_approves_through_it(city, red, steps, api_client_for):
    Escalation.objects.create(directive=red, step=steps[3], proposed_on=timezone.localdate())
    office = api_client_for(city.office)
    answer = office.post(
        "/api/directives/escalations/issue/", {"escalations": [proposal(red).pk]}, format="json"
    )
    assert answer.status_code == 200 and answer.json() == {"issued": 0, "to_leader": 1}
    waiting = Escalation.objects.get(directive=red)
    body = api_client_for(city.leader_user).post(
        f"/api/directives/escalations/{waiting.pk}/approve/", {"note": "同意"}, format="json"
    )
    assert body.status_code == 200
    assert body.json()["state"] == "issued" and body.json()["notice_number"].endswith("红1号")
    history = api_client_for(city.liaison).get("/api/directives/escalations/", {"directive": red.pk}).json()
    assert [row["step_name"] for row in history["results"]] == ["红色督办单"]
    assert history["results"][0]["reply_state"] == ReplyState.AWAITING


# --- lists -----------------------------------------------------------------------------------------


def test_the_proposals_page_and_the_api_agree(city, red, page_and_api_agree):
    other = long_overdue(city)
    services.propose_escalations()
    rows = page_and_api_agree(
        city.office,
        reverse("directives:escalation_proposals"),
        "/api/directives/escalations/",
        {"state": "proposed"},
    )
    assert sorted(rows) == sorted(
        Escalation.objects.filter(directive__in=[red, other]).values_list("pk", flat=True)
    )


def test_the_proposals_page_takes_as_many_queries_for_many_rows_as_for_few(city, red, client_for):
    services.propose_escalations()

    def more():
        for _ in range(15):
            long_overdue(city)
        services.propose_escalations()

    assert_queries_do_not_grow(
        client_for(city.office), reverse("directives:escalation_proposals"), add_rows=more, most=20
    )


def test_the_directive_page_shows_its_ladder_and_replies_in_constant_queries(city, red, steps, client_for):
    liaison = client_for(city.liaison)
    url = reverse("directives:detail", args=[red.pk])
    services.propose_escalations()
    services.escalations_issue(escalation_ids=[proposal(red).pk], by=city.office)
    services.propose_escalations(today=day_after(Escalation.objects.get(directive=red)))
    page = liaison.get(url).content.decode()
    assert "提醒" in page and "蓝色督办单" in page and "待签发" in page
    few = page_queries(liaison, url)
    services.escalations_issue(escalation_ids=[proposal(red).pk], by=city.office)
    blue = Escalation.objects.get(directive=red, step=steps[1])
    services.notice_reply(notice=blue.notice, by=city.liaison, text="正在整改")
    services.propose_escalations(today=day_after(blue))
    assert Escalation.objects.filter(directive=red).count() == 2  # answered: nothing more proposed
    assert "正在整改" in liaison.get(url).content.decode()
    assert page_queries(liaison, url) <= few + 2  # the notice list and its replies, once each


def test_the_office_issues_several_proposals_in_one_post_and_never_twice(city, red, client_for):
    other = long_overdue(city)
    services.propose_escalations()
    first, second = proposal(red), proposal(other)
    office = client_for(city.office)
    assert issue_on_page(office, first, second).status_code == 302
    assert set(Escalation.objects.values_list("state", flat=True)) == {EscalationState.ISSUED}
    reminders = Reminder.objects.count()
    assert reminders == 2
    # Issued already: no longer among the proposals, so a second post is refused and sends nothing.
    again = issue_on_page(office, first)
    assert again.status_code in (302, 400)
    assert Reminder.objects.count() == reminders


def test_the_morning_job_is_scheduled_once_and_names_the_job(db):
    from django.utils.module_loading import import_string
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="directives.propose_escalations")
    assert import_string(schedule.func) is services.propose_escalations_job
    assert schedule.next_run.astimezone(timezone.get_current_timezone()).hour == 7


@given(
    today=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    back=st.integers(min_value=-40, max_value=40),
    working_days=st.integers(min_value=0, max_value=25),
)
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_date_is_past_by_n_working_days_exactly_when_it_is_before_the_cutoff(db, today, back, working_days):
    day = date.fromordinal(today.toordinal() + back)
    late = day < today and working_days_between(day, today) >= working_days
    assert (day < escalation.past_by(today, working_days)) == late


def test_the_command_proposes_as_the_morning_job_does(city, red):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    monday = date(2026, 12, 7)  # a plain working Monday
    call_command("directives", "propose-escalations", "--today", monday.isoformat(), stdout=out)
    assert "新提出 1 项" in out.getvalue()
    assert proposal(red).proposed_on == monday
