"""The scheduled job: opening, gathering, reminding and closing, idempotent and catching up."""

from datetime import date

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from duban.notifications.models import Notification
from duban.weekly import services
from duban.weekly.models import CycleState, ReportingCycle, ReportItem, ReportState, Timeliness, WeeklyReport

from .conftest import MONDAY, at
from .factories import DirectiveFactory


def snapshot():
    return (
        list(ReportingCycle.objects.values_list("pk", "state", "reminded_at", "closed_at", "issue_number")),
        list(WeeklyReport.objects.values_list("pk", "unit_id", "state", "timeliness", "reminder_count")),
        list(ReportItem.objects.values_list("pk", "report_id", "object_id")),
        Notification.objects.count(),
    )


def test_the_job_asks_only_units_that_lead_open_items(city, work):
    result = services.run_cycle(now=at(2026, 11, 23, 8))
    assert result["opened"] == 1
    cycle = ReportingCycle.objects.get()
    assert cycle.issue_number == 1
    assert cycle.starts_on == MONDAY
    units = set(WeeklyReport.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
    assert units == {city.finance.pk, city.county.pk}
    finance = WeeklyReport.objects.get(cycle=cycle, unit=city.finance)
    assert set(finance.items.values_list("object_id", flat=True)) == {work.red.pk, work.green.pk}
    assert finance.state == ReportState.PENDING


def test_running_the_job_twice_changes_nothing(city, work):
    for moment in (at(2026, 11, 23, 8), at(2026, 11, 27, 10), at(2026, 11, 30, 13)):
        services.run_cycle(now=moment)
        before = snapshot()
        again = services.run_cycle(now=moment)
        assert snapshot() == before
        assert (
            again["opened"] == again["reports"] == again["items"] == again["reminded"] == again["closed"] == 0
        )


def test_the_reminder_goes_out_once_on_the_due_morning_to_units_not_filed(city, work):
    services.run_cycle(now=at(2026, 11, 23, 8))
    assert Notification.objects.count() == 0
    services.run_cycle(now=at(2026, 11, 27, 8, 59))
    assert Notification.objects.count() == 0
    result = services.run_cycle(now=at(2026, 11, 27, 9, 5))
    assert result["reminded"] == 2
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"liaison", "county"}
    services.run_cycle(now=at(2026, 11, 27, 10, 5))
    assert Notification.objects.count() == 2


def test_a_missed_run_catches_up_closing_the_past_cycle_and_opening_the_new_week(city, work):
    services.run_cycle(now=at(2026, 11, 23, 8))
    # No run all Friday and Monday morning: the next one is on Tuesday of the following week.
    result = services.run_cycle(now=at(2026, 12, 1, 10))
    old = ReportingCycle.objects.get(starts_on=MONDAY)
    assert old.state == CycleState.CLOSED
    assert old.reminded_at is None  # too late to remind for a due time that has passed
    assert result["closed"] == 1 and result["missing"] == 2
    assert set(WeeklyReport.objects.filter(cycle=old).values_list("timeliness", flat=True)) == {
        Timeliness.MISSING
    }
    new = ReportingCycle.objects.get(starts_on=date(2026, 11, 30))
    assert new.issue_number == 2 and new.state == CycleState.OPEN
    assert WeeklyReport.objects.filter(cycle=new).count() == 2


def test_a_missed_monday_run_opens_the_cycle_later_in_the_week(city, work):
    result = services.run_cycle(now=at(2026, 11, 26, 15))
    assert result["opened"] == 1 and result["reports"] == 2


def test_items_taken_on_during_the_week_are_gathered_on_the_next_day(city, work):
    services.run_cycle(now=at(2026, 11, 23, 8))
    DirectiveFactory(lead_unit=city.housing, title="新交办的住建事项")
    services.run_cycle(now=at(2026, 11, 23, 15))  # same day: not gathered again
    assert not WeeklyReport.objects.filter(unit=city.housing).exists()
    services.run_cycle(now=at(2026, 11, 24, 8))
    assert WeeklyReport.objects.get(unit=city.housing).items.count() == 1


def test_the_command_is_a_thin_wrapper_over_the_job(city, work, capsys):
    call_command("weekly", "run-cycle", "--today", "2026-11-24")
    call_command("weekly", "run-cycle", "--today", "2026-11-24")
    assert ReportingCycle.objects.filter(starts_on=MONDAY).count() == 1
    assert WeeklyReport.objects.count() == 2
    assert "开启周期 1 个" in capsys.readouterr().out


def test_the_schedule_is_created_once(db):
    assert Schedule.objects.filter(name=services.SCHEDULE_NAME).count() == 1
    assert services.ensure_schedule() is False
    Schedule.objects.filter(name=services.SCHEDULE_NAME).delete()
    assert services.ensure_schedule() is True
    assert services.ensure_schedule() is False
    schedule = Schedule.objects.get(name=services.SCHEDULE_NAME)
    assert schedule.func == services.SCHEDULE_FUNC
    assert schedule.schedule_type == Schedule.HOURLY


def test_another_apps_provider_adds_its_items_to_the_same_report(city, work, monkeypatch):
    from duban.weekly import providers
    from duban.weekly.providers import OpenItem

    class BondProjects:
        key = "bond_project"
        label = "专项债券项目"

        def open_items(self, *, unit_ids=None):
            yield OpenItem(city.housing.pk, 7, "老旧小区改造债券项目", None, "green", date(2026, 12, 31))
            yield OpenItem(city.finance.pk, 8, "产业园区基础设施项目", None, "yellow", None)

        def flagged(self, *, light):
            return iter(())

        def summary(self, *, start, end):
            return [("在建债券项目", 2)]

        def url(self, object_id):
            return ""

    monkeypatch.setitem(providers._REGISTRY, "bond_project", BondProjects())
    services.run_cycle(now=at(2026, 11, 23, 8))
    housing = WeeklyReport.objects.get(unit=city.housing)
    assert list(housing.items.values_list("source", "object_id")) == [("bond_project", 7)]
    finance = WeeklyReport.objects.get(unit=city.finance)
    assert set(finance.items.values_list("source", flat=True)) == {"directive", "bond_project"}


def test_the_command_refuses_a_day_that_is_no_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-13-01"):
        call_command("weekly", "run-cycle", "--today", "2026-13-01")
    assert not ReportingCycle.objects.exists()
