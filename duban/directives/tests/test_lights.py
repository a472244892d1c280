"""The lights: working-day cut-offs (holiday edges included) and the set-based recomputation."""

from datetime import date

import pytest

from duban.directives import lights
from duban.directives.models import Directive, Light, MilestoneState, State, WarningThresholds
from duban.directives.services import recompute_lights
from duban.workcalendar.days import library_calendar

from .factories import DirectiveFactory, MilestoneFactory

# 2026: the National Day holiday runs 1–7 October; Sunday 20 September and Saturday 10 October are
# worked in exchange (调休).
LAST_DAY_BEFORE_HOLIDAY = date(2026, 9, 30)
SWAPPED_SATURDAY = date(2026, 10, 10)
SWAPPED_SUNDAY = date(2026, 9, 20)


def light_on(today, deadline, milestones=()):
    cut = lights.cutoffs(
        today, yellow_days=3, red_milestone_days=5, is_working_day=library_calendar.is_working_day
    )
    return lights.light_for(deadline=deadline, open_milestone_dues=list(milestones), cut=cut)


def test_the_calendar_assumptions_of_these_tests_hold():
    assert library_calendar.is_working_day(LAST_DAY_BEFORE_HOLIDAY)
    assert not library_calendar.is_working_day(date(2026, 9, 25))  # Mid-Autumn Festival
    assert not any(library_calendar.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert library_calendar.is_working_day(SWAPPED_SATURDAY)
    assert library_calendar.is_working_day(SWAPPED_SUNDAY)


def test_a_deadline_today_is_yellow_and_tomorrow_it_is_red():
    assert light_on(date(2026, 9, 30), LAST_DAY_BEFORE_HOLIDAY) == "yellow"
    assert light_on(date(2026, 10, 1), LAST_DAY_BEFORE_HOLIDAY) == "red"


def test_a_deadline_the_day_before_the_long_holiday_turns_yellow_three_working_days_ahead():
    # 24 Sept (Thu): 25 Sept is the Mid-Autumn Festival, so 28, 29, 30 Sept are the three left.
    assert light_on(date(2026, 9, 24), LAST_DAY_BEFORE_HOLIDAY) == "yellow"
    assert light_on(date(2026, 9, 23), LAST_DAY_BEFORE_HOLIDAY) == "green"


def test_a_deadline_just_after_the_long_holiday_is_yellow_before_it_although_ten_days_away():
    # On 28 Sept, 8 Oct is ten calendar days away but only three working days (29, 30 Sept, 8 Oct).
    assert light_on(date(2026, 9, 28), date(2026, 10, 8)) == "yellow"
    assert light_on(date(2026, 9, 25), date(2026, 10, 8)) == "green"


def test_a_deadline_on_a_swapped_saturday_counts_that_saturday_as_a_working_day():
    # 8 Oct: 9 Oct and Saturday 10 Oct remain: two working days, so yellow; on Sunday 11 it is overdue.
    assert light_on(date(2026, 10, 8), SWAPPED_SATURDAY) == "yellow"
    assert light_on(SWAPPED_SATURDAY, SWAPPED_SATURDAY) == "yellow"
    assert light_on(date(2026, 10, 11), SWAPPED_SATURDAY) == "red"


def test_a_swapped_sunday_before_the_deadline_is_one_more_working_day_left():
    # 15 Sept (Tue) to Sunday 20 Sept: 16, 17, 18 and the worked Sunday are four working days: green.
    assert light_on(date(2026, 9, 15), SWAPPED_SUNDAY) == "green"
    assert light_on(date(2026, 9, 16), SWAPPED_SUNDAY) == "yellow"


def test_a_milestone_overdue_turns_yellow_then_red_after_five_working_days_skipping_the_holiday():
    deadline = date(2026, 12, 31)
    # Due 29 Sept; on 30 Sept it is one working day late.
    assert light_on(date(2026, 9, 30), deadline, [date(2026, 9, 29)]) == "yellow"
    # 30 Sept, 8, 9, 10 (Sat, worked) and 12 Oct are its first five late working days: still yellow.
    assert light_on(date(2026, 10, 12), deadline, [date(2026, 9, 29)]) == "yellow"
    assert light_on(date(2026, 10, 13), deadline, [date(2026, 9, 29)]) == "red"


def test_cutoff_helpers_match_counting_working_days_one_by_one():
    today = date(2026, 9, 28)
    for days in range(0, 8):
        until = lights.last_day_within(today, days, library_calendar.is_working_day)
        assert library_calendar.working_days_between(today, until) <= days
        assert library_calendar.working_days_between(today, until + lights.ONE_DAY) > days
        since = lights.first_day_within_since(today, days, library_calendar.is_working_day)
        assert library_calendar.working_days_between(since, today) <= days
        assert library_calendar.working_days_between(since - lights.ONE_DAY, today) > days


@pytest.mark.django_db
def test_bulk_recompute_sets_every_light_by_the_rules():
    red = DirectiveFactory(deadline=date(2026, 9, 29))
    yellow = DirectiveFactory(deadline=date(2026, 10, 8))
    green = DirectiveFactory(deadline=date(2026, 12, 31))
    late_milestone = DirectiveFactory(deadline=date(2026, 12, 31))
    MilestoneFactory(directive=late_milestone, due_on=date(2026, 9, 29))
    done_milestone = DirectiveFactory(deadline=date(2026, 12, 31))
    MilestoneFactory(directive=done_milestone, due_on=date(2026, 9, 1), state=MilestoneState.DONE)
    closed = DirectiveFactory(deadline=date(2026, 1, 1), state=State.CLOSED)
    suspended = DirectiveFactory(deadline=date(2026, 1, 1), state=State.SUSPENDED)
    draft = DirectiveFactory(deadline=date(2026, 1, 1), state=State.DRAFT)

    recompute_lights(today=date(2026, 9, 30))

    def light(d):
        return Directive.objects.get(pk=d.pk).light

    assert light(red) == Light.RED
    assert light(yellow) == Light.YELLOW
    assert light(green) == Light.GREEN
    assert light(late_milestone) == Light.YELLOW
    assert light(done_milestone) == Light.GREEN
    assert {light(closed), light(suspended), light(draft)} == {Light.GREY}


@pytest.mark.django_db
def test_thresholds_come_from_the_office_setting(city):
    directive = DirectiveFactory(deadline=date(2026, 10, 9))
    recompute_lights(today=date(2026, 9, 28))
    assert Directive.objects.get(pk=directive.pk).light == Light.GREEN
    WarningThresholds.objects.create(yellow_days=5, red_milestone_days=5)
    recompute_lights(today=date(2026, 9, 28))
    assert Directive.objects.get(pk=directive.pk).light == Light.YELLOW


@pytest.mark.django_db
def test_bulk_recompute_is_a_fixed_number_of_statements_whatever_the_number_of_rows(
    django_assert_max_num_queries,
):
    DirectiveFactory.create_batch(30, deadline=date(2026, 9, 29))
    DirectiveFactory.create_batch(30, deadline=date(2026, 12, 29))
    # The thresholds, the calendar (when not cached yet), four light UPDATEs and two for the stale mark.
    with django_assert_max_num_queries(10):
        changed = recompute_lights(today=date(2026, 9, 30))
    assert changed["red"] == 30 and changed["green"] == 30
    # A second run writes nothing: only rows whose light changes are updated.
    assert sum(recompute_lights(today=date(2026, 9, 30)).values()) == 0


@pytest.mark.django_db
def test_recompute_lights_command_reports_the_changes(city):
    from io import StringIO

    from django.core.management import call_command

    DirectiveFactory(deadline=date(2020, 1, 1))
    out = StringIO()
    call_command("directives", "recompute-lights", stdout=out)
    assert "红灯" in out.getvalue()
    assert Directive.objects.get().light == Light.RED


@pytest.mark.django_db
def test_recompute_lights_as_of_another_day(city):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    DirectiveFactory(deadline=date(2020, 1, 1))
    call_command("directives", "recompute-lights", "--today", "2019-06-01")
    assert Directive.objects.get().light != Light.RED
    with pytest.raises(CommandError, match="2019-13-01"):
        call_command("directives", "recompute-lights", "--today", "2019-13-01")


@pytest.mark.django_db
def test_the_nightly_job_is_scheduled_once():
    from django_q.models import Schedule

    assert Schedule.objects.filter(func="duban.directives.services.recompute_lights_job").count() == 1


@pytest.mark.django_db
def test_the_nightly_job_tells_each_lead_unit_once_about_its_new_red_work(city):
    from duban.directives.services import recompute_lights_job
    from duban.notifications.models import Notification

    DirectiveFactory.create_batch(3, lead_unit=city.finance, deadline=date(2020, 1, 1))
    recompute_lights_job()
    assert list(
        Notification.objects.filter(kind="overdue").values_list("recipient__username", flat=True)
    ) == ["liaison"]
    recompute_lights_job()
    assert Notification.objects.filter(kind="overdue").count() == 1
