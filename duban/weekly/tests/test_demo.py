"""The demo's weekly cycle loads after the directives' demo and twice changes nothing."""

from importlib import import_module

import pytest

from duban.weekly.models import AgendaItem, Bulletin, ReportingCycle, ReportItem, WeeklyReport


@pytest.mark.django_db
def test_the_weekly_demo_runs_twice_without_creating_anything_twice():
    for app in ("organisation", "accounts", "directives"):
        import_module(f"duban.{app}.demo").load_demo()
    weekly = import_module("duban.weekly.demo")
    weekly.load_demo()

    def counts():
        return [m.objects.count() for m in (ReportingCycle, WeeklyReport, ReportItem, Bulletin, AgendaItem)]

    first = counts()
    weekly.load_demo()
    assert counts() == first
    assert first[0] == 2 and first[1] > 0 and first[3] == 1
    assert WeeklyReport.objects.filter(timeliness="on_time").exists()
    assert WeeklyReport.objects.filter(timeliness="missing").exists()
