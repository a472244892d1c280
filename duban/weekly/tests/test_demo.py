"""The demo's weekly cycle loads after the directives' demo and twice changes nothing."""

from importlib import import_module

import pytest

from duban.weekly.models import (
    AgendaItem,
    Bulletin,
    CycleState,
    LightSnapshot,
    ReportingCycle,
    ReportItem,
    SnapshotItem,
    WeeklyReport,
)


@pytest.mark.django_db
def test_the_weekly_demo_runs_twice_without_creating_anything_twice():
    for app in ("organisation", "accounts", "directives"):
        import_module(f"duban.{app}.demo").load_demo()
    weekly = import_module("duban.weekly.demo")
    weekly.load_demo()

    def counts():
        models = (ReportingCycle, WeeklyReport, ReportItem, Bulletin, AgendaItem, LightSnapshot, SnapshotItem)
        return [m.objects.count() for m in models]

    first = counts()
    weekly.load_demo()
    assert counts() == first
    # Twelve closed weeks (the cockpit's trend) and this week's open cycle.
    assert first[0] == 13 and first[1] > 0 and first[3] == 1
    closed = ReportingCycle.objects.filter(state=CycleState.CLOSED)
    assert closed.count() == 12 and not closed.filter(snapshot_at__isnull=True).exists()
    assert first[5] > 0 and first[6] > 0
    assert WeeklyReport.objects.filter(timeliness="on_time").exists()
    assert WeeklyReport.objects.filter(timeliness="missing").exists()
