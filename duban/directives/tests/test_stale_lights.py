"""Stagnation, the lights' third signal: no progress reported for longer than the priority allows
turns a directive yellow, says so with its number of working days, and goes when progress comes."""

from datetime import date, timedelta
from itertools import product

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.directives import lights, selectors
from duban.directives.models import Directive, Light, Priority, ProgressReport, State
from duban.directives.services import progress_report_add, recompute_lights
from duban.workcalendar.days import library_calendar
from duban.workcalendar.selectors import working_calendar

from .factories import DirectiveFactory, MilestoneFactory

# A Monday in an ordinary working week of 2026 (no holiday around it).
MONDAY = date(2026, 6, 8)


def working_days_before(day: date, n: int) -> date:
    calendar = working_calendar()
    found = day
    while calendar.working_days_between(found, day) < n:
        found -= timedelta(days=1)
    return found


def created_on(directive: Directive, day: date) -> Directive:
    Directive.objects.filter(pk=directive.pk).update(
        created_at=timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10))
    )
    directive.refresh_from_db()
    return directive


def reported_on(directive: Directive, day: date, city) -> None:
    report = ProgressReport.objects.create(directive=directive, text="进展", percent=10, author=city.liaison)
    ProgressReport.objects.filter(pk=report.pk).update(
        created_at=timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10))
    )


def test_the_pure_rule_follows_the_priority():
    cut = lights.cutoffs(
        MONDAY,
        yellow_days=3,
        red_milestone_days=5,
        is_working_day=library_calendar.is_working_day,
        stale_days={Priority.NORMAL: 10, Priority.URGENT: 5},
    )
    six_days_ago = MONDAY - timedelta(days=8)  # six working days before the Monday
    far = date(2026, 12, 31)
    assert lights.light_for(deadline=far, open_milestone_dues=[], cut=cut, last_word=six_days_ago) == "green"
    assert (
        lights.light_for(
            deadline=far, open_milestone_dues=[], cut=cut, last_word=six_days_ago, priority=Priority.URGENT
        )
        == "yellow"
    )


def test_a_silent_directive_turns_yellow_and_a_progress_report_makes_it_green_again(city, client_for):
    today = timezone.localdate()
    far = today + timedelta(days=120)
    silent = created_on(
        DirectiveFactory(lead_unit=city.finance, deadline=far, state=State.IN_PROGRESS),
        working_days_before(today, 11),
    )
    heard = created_on(
        DirectiveFactory(lead_unit=city.finance, deadline=far, state=State.IN_PROGRESS),
        working_days_before(today, 30),
    )
    reported_on(heard, working_days_before(today, 3), city)

    recompute_lights()
    silent.refresh_from_db()
    heard.refresh_from_db()
    assert (silent.light, silent.stale) == (Light.YELLOW, True)
    assert (heard.light, heard.stale) == (Light.GREEN, False)
    [reason] = selectors.with_light_reasons([silent])[0].light_reasons
    assert reason["signal"] == "stale" and reason["days"] == 11
    assert reason["text"] == f"交办以来 11 个工作日未报送进展（{working_days_before(today, 11)} 起）。"

    page = client_for(city.office).get(reverse("directives:board") + "?light=yellow").content.decode()
    assert "交办以来 11 个工作日未报送进展" in page

    progress_report_add(directive=silent, by=city.liaison, text="已完成方案编制", percent=30)
    silent.refresh_from_db()
    assert (silent.light, silent.stale) == (Light.GREEN, False)


def test_an_urgent_directive_goes_stale_sooner_than_an_ordinary_one(city):
    today = timezone.localdate()
    far = today + timedelta(days=120)
    six_days = working_days_before(today, 6)
    urgent = created_on(
        DirectiveFactory(
            lead_unit=city.finance, deadline=far, priority=Priority.URGENT, state=State.IN_PROGRESS
        ),
        six_days,
    )
    ordinary = created_on(
        DirectiveFactory(lead_unit=city.finance, deadline=far, state=State.IN_PROGRESS), six_days
    )
    recompute_lights()
    assert Directive.objects.get(pk=urgent.pk).stale is True
    assert Directive.objects.get(pk=ordinary.pk).stale is False


def test_every_stored_light_is_the_worst_of_its_reasons(city):
    """Whatever the mix of deadline, milestones and silence, the light the board stores and the
    reasons it shows agree: a red or yellow light has a reason of that colour, and no reason is
    worse than the light."""
    today = timezone.localdate()
    rows = []
    deadlines = (today - timedelta(days=3), today + timedelta(days=1), today + timedelta(days=90))
    milestone_dues = (None, today - timedelta(days=1), working_days_before(today, 8))
    silences = (2, 12)
    for deadline, due, silence in product(deadlines, milestone_dues, silences):
        d = created_on(
            DirectiveFactory(lead_unit=city.finance, deadline=deadline, state=State.IN_PROGRESS),
            working_days_before(today, silence),
        )
        if due is not None and due <= deadline:
            MilestoneFactory(directive=d, due_on=due)
        rows.append(d)
    recompute_lights()
    order = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}
    stored = Directive.objects.in_bulk([d.pk for d in rows])
    reasons = selectors.light_reasons(list(stored.values()))
    for pk, d in stored.items():
        worst = max((order[r["light"]] for r in reasons[pk]), default=0)
        assert order[d.light] == worst, (d.deadline, d.light, reasons[pk])
        assert d.stale == any(r["signal"] == "stale" for r in reasons[pk])


def test_the_api_returns_the_reasons_on_every_directive_of_a_page_and_on_one(city, client_for, settings):
    today = timezone.localdate()
    overdue = DirectiveFactory(
        lead_unit=city.finance, deadline=today - timedelta(days=10), state=State.IN_PROGRESS
    )
    DirectiveFactory(lead_unit=city.finance, deadline=today + timedelta(days=90), state=State.IN_PROGRESS)
    recompute_lights()
    client = client_for(city.office)
    listed = client.get("/api/directives/").json()["results"]
    assert all(row["light_reasons"] for row in listed)
    one = client.get(f"/api/directives/{overdue.pk}/").json()
    [reason] = [r for r in one["light_reasons"] if r["light"] == "red"]
    assert reason["signal"] == "deadline" and reason["days"] > 0 and "已超过办理时限" in reason["text"]


@pytest.mark.parametrize("n", [3, 30])
def test_the_api_list_takes_the_same_queries_for_3_or_30_directives(
    city, client_for, n, django_assert_max_num_queries
):
    today = timezone.localdate()
    for _ in range(n):
        d = DirectiveFactory(
            lead_unit=city.finance, deadline=today - timedelta(days=2), state=State.IN_PROGRESS
        )
        MilestoneFactory(directive=d, due_on=today - timedelta(days=5))
    client = client_for(city.office)
    with django_assert_max_num_queries(10):
        assert client.get("/api/directives/").status_code == 200


def test_the_board_and_the_api_filter_the_stale_directives(city, client_for):
    today = timezone.localdate()
    silent = created_on(
        DirectiveFactory(
            lead_unit=city.finance,
            deadline=today + timedelta(days=90),
            state=State.IN_PROGRESS,
            title="久未报送的事项",
        ),
        working_days_before(today, 15),
    )
    DirectiveFactory(
        lead_unit=city.finance,
        deadline=today + timedelta(days=90),
        state=State.IN_PROGRESS,
        title="刚交办的事项",
    )
    recompute_lights()
    client = client_for(city.office)
    assert [row["id"] for row in client.get("/api/directives/?stale=true").json()["results"]] == [silent.pk]
    page = client.get(reverse("directives:board") + "?stale=true").content.decode()
    assert "久未报送的事项" in page and "刚交办的事项" not in page
