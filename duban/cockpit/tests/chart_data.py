"""The figures every cockpit chart counts, for the chart tests and the browser test."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from duban.bonds.models import DebtKind, ProjectDebt, Spending
from duban.bonds.tests.factories import BondProjectFactory
from duban.directives.models import Light, State
from duban.directives.tests.factories import DirectiveFactory
from duban.ppp.models import PPPProject
from duban.ppp.tests.factories import make_project
from duban.tests.factories import ThemeFactory, UnitFactory
from duban.weekly import services as weekly
from duban.weekly.models import ReportingCycle

TODAY = timezone.localdate()


def aware(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def closed_directive(unit, *, late: bool, **fields):
    deadline = TODAY - timedelta(days=30)
    closed_on = deadline + timedelta(days=5 if late else -5)
    return DirectiveFactory(
        lead_unit=unit,
        state=State.CLOSED,
        light=Light.GREY,
        deadline=deadline,
        closed_at=aware(closed_on),
        **fields,
    )


def snapshot_week(weeks_back: int, number: int) -> ReportingCycle:
    monday = TODAY - timedelta(days=TODAY.weekday(), weeks=weeks_back)
    cycle = ReportingCycle.objects.create(
        iso_year=monday.isocalendar()[0],
        iso_week=monday.isocalendar()[1],
        issue_number=number,
        starts_on=monday,
        ends_on=monday + timedelta(days=6),
        due_at=aware(monday + timedelta(days=4), 17),
        remind_at=aware(monday + timedelta(days=4), 9),
        close_at=aware(monday + timedelta(days=7), 9),
        state="closed",
    )
    weekly.cycle_snapshot(cycle=cycle)
    return cycle


def build_figures(city):
    """Lights on two themes in finance (the leader's portfolio) and housing; closures in the county, a
    second county and the two departments; two weeks' snapshots; bond money and PPP projects."""
    roads, schools = ThemeFactory(name="交通建设"), ThemeFactory(name="教育发展")
    DirectiveFactory(lead_unit=city.finance, theme=roads, light=Light.RED, state=State.IN_PROGRESS)
    DirectiveFactory(lead_unit=city.finance, theme=schools, light=Light.YELLOW, state=State.IN_PROGRESS)
    DirectiveFactory(lead_unit=city.housing, theme=roads, light=Light.RED, state=State.IN_PROGRESS)
    DirectiveFactory(lead_unit=city.housing, theme=roads, light=Light.GREEN, state=State.IN_PROGRESS)
    snapshot_week(2, 1)
    DirectiveFactory(lead_unit=city.housing, theme=schools, light=Light.RED, state=State.IN_PROGRESS)
    snapshot_week(1, 2)
    other_county = UnitFactory(code="C-XS", name="西山县人民政府", kind="county", parent=city.root)
    closed_directive(city.county, late=False)
    closed_directive(city.county, late=True)
    closed_directive(other_county, late=False)
    closed_directive(city.finance, late=False)
    closed_directive(city.housing, late=True)
    # Bonds: finance's project issued in March and spent in March and April; housing's spent in April.
    mine = BondProjectFactory(applying_unit=city.finance)
    theirs = BondProjectFactory(applying_unit=city.housing)
    year = TODAY.year
    ProjectDebt.objects.create(
        project=mine,
        kind=DebtKind.BOND,
        principal=Decimal(8000),
        rate=Decimal("0.03"),
        issue_year=year,
        term_years=10,
        is_issued=True,
        issue_date=date(year, 3, 10),
    )
    Spending.objects.create(project=mine, amount=Decimal(1000), spent_on=date(year, 3, 20))
    Spending.objects.create(project=mine, amount=Decimal(500), spent_on=date(year, 4, 2))
    Spending.objects.create(project=theirs, amount=Decimal(700), spent_on=date(year, 4, 9))
    # PPP: finance's project to rectify, housing's normal.
    rectify = make_project(implementing_agency=city.finance)
    normal = make_project(implementing_agency=city.housing)
    PPPProject.objects.filter(pk=rectify.pk).update(project_class="rectify")
    PPPProject.objects.filter(pk=normal.pk).update(project_class="normal")
    return city
