from datetime import date, datetime

import pytest
from django.utils import timezone

from duban.directives.models import Light, State

from .factories import DirectiveFactory

# An ordinary week: Monday 23 to Sunday 29 November 2026, due Friday 27 at 17:00.
MONDAY = date(2026, 11, 23)


def at(year, month, day, hour=10, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def work(city):
    """Finance leads two open directives (one red, one with housing's help) and a closed one;
    the county leads one yellow; housing leads nothing open."""

    class Work:
        pass

    w = Work()
    w.red = DirectiveFactory(
        lead_unit=city.finance,
        title="专项债券项目申报",
        light=Light.RED,
        deadline=date(2026, 11, 20),
        responsible_leader=city.leader,
    )
    w.green = DirectiveFactory(lead_unit=city.finance, title="财政预算执行")
    w.green.co_units.set([city.housing])
    w.closed = DirectiveFactory(
        lead_unit=city.finance, title="已办结事项", state=State.CLOSED, light=Light.GREY
    )
    w.yellow = DirectiveFactory(lead_unit=city.county, title="县城污水管网改造", light=Light.YELLOW)
    w.draft = DirectiveFactory(
        lead_unit=city.housing, title="住建草稿事项", state=State.DRAFT, light=Light.GREY
    )
    return w


@pytest.fixture
def cycle(work):
    """This week's cycle, opened by the job on Monday morning."""
    from duban.weekly import services

    services.run_cycle(now=at(2026, 11, 23, 8))
    return services.cycle_open(day=MONDAY)[0]


def fill(report, by, **extra):
    """Fill every item of a report as a liaison would."""
    from duban.weekly import services

    for item in report.items.all():
        values = {"done_this_week": "完成了本周工作", "plan_next_week": "继续推进", "percent": 50, **extra}
        services.item_save(item=item, by=by, **values)


@pytest.fixture
def finance_report(city, cycle):
    from duban.weekly.models import WeeklyReport

    return WeeklyReport.objects.get(cycle=cycle, unit=city.finance)


@pytest.fixture
def weekly(city, work, finance_report):
    """This week's weekly meeting, after finance filed (asking housing's help with its green
    directive): the agenda holds that request, then finance's red directive."""
    from duban.weekly import services

    fill(finance_report, city.liaison)
    green = finance_report.items.get(object_id=work.green.pk)
    services.item_save(
        item=green,
        by=city.liaison,
        coordination_request="请协调住建局提供管网资料",
        coordination_unit=city.housing,
    )
    services.report_submit(report=finance_report, by=city.liaison)
    return services.weekly_meeting_create(
        cycle=finance_report.cycle, by=city.office, held_on=date(2026, 11, 30), chair=city.leader
    )
