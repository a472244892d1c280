"""The dated parameters: investment-area lists before and after 2025, the capital cap, the coverage
minimum per province and category, all read at the batch's date."""

from datetime import date
from decimal import Decimal

from duban.bonds import regulations, selectors
from duban.bonds.models import BondRule, InvestmentArea, ListKind

from .factories import BatchFactory, BondProjectFactory, area


def fields(problems):
    return [p.field for p in problems]


def test_before_2025_a_positive_list_area_is_required(city):
    project = BondProjectFactory(applying_unit=city.finance, investment_area=None, not_on_negative_list=False)
    assert fields(regulations.project_problems(project, on=date(2024, 6, 1))) == ["investment_area"]
    project.investment_area = area("07")
    assert regulations.project_problems(project, on=date(2024, 6, 1)) == []


def test_an_area_added_in_2023_is_not_on_the_2022_list(city):
    project = BondProjectFactory(applying_unit=city.finance, investment_area=area("10"))
    assert fields(regulations.project_problems(project, on=date(2022, 6, 1))) == ["investment_area"]
    assert regulations.project_problems(project, on=date(2023, 6, 1)) == []


def test_from_2025_the_negative_list_check_replaces_the_positive_list(city):
    project = BondProjectFactory(applying_unit=city.finance, investment_area=None, not_on_negative_list=False)
    problems = regulations.project_problems(project, on=date(2025, 3, 1))
    assert fields(problems) == ["not_on_negative_list"]
    assert "楼堂馆所" in problems[0].message
    project.not_on_negative_list = True
    assert regulations.project_problems(project, on=date(2025, 3, 1)) == []


def test_the_capital_cap_rose_from_25_to_30_percent_in_2025(city):
    project = BondProjectFactory(
        applying_unit=city.finance, bond_demand=Decimal(10000), capital_from_bonds=Decimal(2800)
    )
    assert fields(regulations.project_problems(project, on=date(2024, 6, 1))) == ["capital_from_bonds"]
    assert regulations.project_problems(project, on=date(2025, 6, 1)) == []


def test_bonds_as_capital_need_an_area_that_allows_it(city):
    project = BondProjectFactory(
        applying_unit=city.finance, investment_area=area("09"), capital_from_bonds=Decimal(100)
    )
    assert "capital_from_bonds" in fields(regulations.project_problems(project, on=date(2025, 6, 1)))


def test_land_reserve_needs_1_2_and_a_province_row_overrides_the_national_one(city, settings):
    assert regulations.rule_for(category="land_reserve", on=date(2025, 6, 1)).min_coverage == Decimal("1.2")
    assert regulations.rule_for(category="general", on=date(2025, 6, 1)).min_coverage == Decimal("1.1")
    settings.DUBAN_PROVINCE = "河南省"
    BondRule.objects.create(province="河南省", valid_from=date(2025, 1, 1), min_coverage=Decimal("1.15"))
    assert regulations.rule_for(category="general", on=date(2025, 6, 1)).min_coverage == Decimal("1.15")
    assert regulations.rule_for(category="general", on=date(2024, 6, 1)).min_coverage == Decimal("1.1")


def test_the_balance_uses_the_minimum_of_the_batch_date(city, project):
    # The worked example passes 1.1 and fails 1.2 (finance-domain.md §1.4).
    assert selectors.project_balance(project).result.passes
    project.category = "land_reserve"
    project.batch = BatchFactory(opens_on=date(2025, 4, 1), closes_on=date(2025, 6, 30))
    outcome = selectors.project_balance(project)
    assert outcome.rule.min_coverage == Decimal("1.2") and not outcome.result.passes


def test_an_issued_bond_replaces_the_planned_one_in_the_balance(city, project):
    project.debts.create(
        kind="bond",
        principal=Decimal(15000),
        rate=Decimal("0.025"),
        issue_year=2021,
        term_years=10,
        instalments={str(y): "0.2" for y in range(2026, 2031)},
        is_issued=True,
        bond_code="X",
    )
    result = selectors.project_balance(project, with_sensitivity=False).result
    assert result.bond_coverage_ratio.quantize(Decimal("0.0001")) == Decimal("1.1778")


def test_missing_cash_flow_years_give_a_chinese_message(city, project):
    project.cash_flows.filter(year=2025).delete()
    outcome = selectors.project_balance(project)
    assert outcome.result is None and "2025" in outcome.error


def test_the_seeded_code_table_has_both_lists(db):
    assert InvestmentArea.objects.filter(list_kind=ListKind.POSITIVE).count() == 12
    assert InvestmentArea.objects.filter(list_kind=ListKind.NEGATIVE, name="楼堂馆所").exists()
