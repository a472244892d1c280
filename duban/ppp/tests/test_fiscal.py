"""Affordability of the registered programme, through the pure maths, with dated thresholds and budget rows."""

import datetime
from decimal import Decimal

import pytest

from duban.ppp import fiscal
from duban.ppp.models import BudgetYear, ExpenditurePlan, ThresholdSet
from duban.ppp.tests.factories import make_candidate, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(db):
    # §2.2: 300,000 in 2020 growing 5% a year.
    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    ThresholdSet.objects.create(valid_from=datetime.date(2019, 3, 7), budget_growth=Decimal("0.05"))


def test_the_worked_example_of_section_2_2_is_reproduced_from_the_database(city, budget):
    project = make_project(implementing_agency=city.finance, by=city.office)
    # Existing obligations of 15,000 a year, recorded as a supporting expenditure of an older project.
    older = make_project(
        implementing_agency=city.finance, by=city.office, mechanism="user_pay", annual_user_fees=Decimal(0)
    )
    for year in range(2021, 2031):
        ExpenditurePlan.objects.create(project=older, year=year, kind="supporting", amount=Decimal(15000))
    view = fiscal.programme_view(today=datetime.date(2026, 1, 1))
    first = view.report.years[0]
    assert first.year == 2021
    assert fiscal.project_spending(project).by_year[2021].subsidy.quantize(Decimal("0.01")) == Decimal(
        "11591.00"
    )
    assert fiscal.project_spending(project).by_year[2030].subsidy.quantize(Decimal("0.01")) == Decimal(
        "15572.35"
    )
    assert round(first.ratio * 100, 2) == Decimal("8.44")
    assert first.within_cap and first.warning and not first.gov_pay_allowed


def test_budget_growth_defaults_to_the_average_of_recent_actual_years(db):
    BudgetYear.objects.create(year=2021, expenditure=Decimal(100))
    BudgetYear.objects.create(year=2022, expenditure=Decimal(110))
    BudgetYear.objects.create(year=2023, expenditure=Decimal(121))
    projection = fiscal.budget_projection()
    assert projection.growth == Decimal("0.1")
    assert projection.expenditure_in(year=2024) == Decimal("133.1")


def test_the_lines_in_force_are_the_latest_dated_row(db):
    ThresholdSet.objects.create(valid_from=datetime.date(2019, 1, 1), cap=Decimal("0.10"))
    ThresholdSet.objects.create(
        valid_from=datetime.date(2025, 1, 1), cap=Decimal("0.09"), warning=Decimal("0.06")
    )
    assert fiscal.thresholds_on(datetime.date(2024, 12, 31))[0].cap == Decimal("0.10")
    assert fiscal.thresholds_on(datetime.date(2025, 1, 1))[0].cap == Decimal("0.09")


def test_a_new_government_pay_project_is_refused_above_the_gate(city, budget):
    make_project(implementing_agency=city.finance, by=city.office)
    candidate = make_candidate(
        implementing_agency=city.finance,
        by=city.office,
        construction_cost=Decimal(20000),
        total_investment=Decimal(20000),
    )
    check = fiscal.what_if(project=candidate, today=datetime.date(2023, 1, 1))
    assert not check.allowed
    assert [refusal.code for refusal in check.refusals] == ["above_gov_pay_gate"]


def test_after_the_2023_mechanism_new_projects_must_be_concessions(city, budget):
    ThresholdSet.objects.create(
        valid_from=datetime.date(2023, 11, 3),
        budget_growth=Decimal("0.05"),
        concession_only_from=datetime.date(2023, 11, 3),
    )
    candidate = make_project(implementing_agency=city.finance, by=city.office, counted_in_affordability=False)
    check = fiscal.what_if(project=candidate, today=datetime.date(2024, 1, 1))
    assert "concession_only" in [refusal.code for refusal in check.refusals]


def test_a_project_missing_its_subsidy_terms_is_listed_not_counted(city, budget):
    make_project(implementing_agency=city.finance, by=city.office, profit_rate=None)
    view = fiscal.programme_view()
    assert len(view.incomplete) == 1
    assert view.counted == []


def test_value_for_money_compares_the_psc_with_the_present_value_of_spending(city, budget):
    project = make_project(implementing_agency=city.finance, by=city.office, psc=Decimal(200000))
    result = fiscal.project_vfm(project, fiscal.project_spending(project))
    assert result.passes
    assert result.ppp < Decimal(134905.11)
