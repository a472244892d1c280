"""A city with something behind every card of the cockpit, in the finance bureau (the leader's
portfolio) and in the housing bureau (outside it)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from duban.bonds.models import SpendingTarget
from duban.bonds.tests.factories import BondProjectFactory
from duban.directives.models import Light, State
from duban.directives.tests.factories import DirectiveFactory
from duban.ppp.models import PPPProject
from duban.ppp.tests.factories import make_project
from duban.weekly.services import cycle_open, cycle_sync, item_save, report_submit
from duban.workcalendar.selectors import add_working_days


def directives_of(unit, today):
    """Directives of the unit: red and overdue, yellow and due soon, stale, awaiting the office
    (closure, extension), green, and a closed one (no card counts it)."""
    DirectiveFactory(
        lead_unit=unit, state=State.IN_PROGRESS, light=Light.RED, deadline=today - timedelta(days=9)
    )
    DirectiveFactory(
        lead_unit=unit,
        state=State.ASSIGNED,
        light=Light.YELLOW,
        deadline=add_working_days(today, 3),
        stale=True,
    )
    DirectiveFactory(
        lead_unit=unit,
        state=State.COMPLETION_REQUESTED,
        light=Light.GREEN,
        deadline=today + timedelta(days=60),
    )
    DirectiveFactory(
        lead_unit=unit,
        state=State.IN_PROGRESS,
        light=Light.GREEN,
        deadline=today + timedelta(days=90),
        extension_until=today + timedelta(days=120),
    )
    DirectiveFactory(
        lead_unit=unit, state=State.CLOSED, light=Light.GREY, deadline=today - timedelta(days=30)
    )


@pytest.fixture
def busy_city(city):
    today = timezone.localdate()
    directives_of(city.finance, today)
    directives_of(city.housing, today)
    DirectiveFactory(lead_unit=city.housing, state=State.IN_PROGRESS, light=Light.RED, deadline=today)
    SpendingTarget.objects.create(year=today.year, month=today.month, target_ratio=Decimal("0.6"))
    for unit, spent in ((city.finance, 100), (city.finance, 900), (city.housing, 50)):
        BondProjectFactory(
            applying_unit=unit,
            issued_amount=Decimal(1000),
            spent_amount=Decimal(spent),
            created_by=city.office,
        )
    for unit in (city.finance, city.housing, city.housing):
        project = make_project(implementing_agency=unit, by=city.office)
        PPPProject.objects.filter(pk=project.pk).update(project_class="rectify")
    cycle, _created = cycle_open(day=today)
    if cycle is not None:
        cycle_sync(cycle=cycle)
        ask_the_leader(city, cycle)
    return city


def ask_the_leader(city, cycle):
    """Finance's report asks the leader to coordinate one of its items and the housing bureau another."""
    from duban.weekly.models import WeeklyReport

    report = WeeklyReport.objects.get(cycle=cycle, unit=city.finance)
    first, second, *rest = report.items.all()
    for item in (first, second, *rest):
        extra = {}
        if item == first:
            extra = {"coordination_request": "请协调用地指标", "coordination_leader": city.leader}
        elif item == second:
            extra = {"coordination_request": "请协调管网资料", "coordination_unit": city.housing}
        item_save(
            item=item, by=city.liaison, done_this_week="完成", plan_next_week="继续", percent=50, **extra
        )
    report_submit(report=report, by=city.liaison)
