"""The worked numbers of finance-domain.md §1.4 and the published sensitivity table of §1.5."""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest

from duban.bonds.balance import (
    BalanceInput,
    CashFlowYear,
    Debt,
    SensitivityFactor,
    balance,
    round_ratio,
    sensitivity,
)

from .inputs import load, worked_bond, worked_years

# §1.5, copied from a published implementation plan: the base case is 1.29.
PUBLISHED = {
    SensitivityFactor.REVENUE: ["1.14", "1.18", "1.22", "1.25", "1.29", "1.33", "1.37", "1.41", "1.45"],
    SensitivityFactor.OPERATING_COST: [
        "1.33",
        "1.32",
        "1.31",
        "1.30",
        "1.29",
        "1.29",
        "1.28",
        "1.27",
        "1.26",
    ],
    SensitivityFactor.RATE: ["1.33", "1.32", "1.31", "1.30", "1.29", "1.29", "1.28", "1.27", "1.26"],
    SensitivityFactor.PRINCIPAL: ["1.36", "1.35", "1.33", "1.31", "1.29", "1.28", "1.26", "1.25", "1.23"],
}
TOLERANCE = Decimal("0.01")


def rows_by_factor(inp: BalanceInput) -> dict[SensitivityFactor, list[Decimal]]:
    return {row.factor: [cell.bond_coverage_ratio for cell in row.cells] for row in sensitivity(inp)}


# §1.4 -------------------------------------------------------------------------------------------


def test_bullet_repayment_covers_debt_service_1_1307_times():
    result = balance(load("worked_bullet"))
    assert round_ratio(result.coverage_ratio) == Decimal("1.1307")
    assert round_ratio(result.bond_coverage_ratio) == Decimal("1.1307")


def test_bullet_repayment_pays_18750_against_net_income_of_21200():
    result = balance(load("worked_bullet"))
    assert result.net_income == 21200
    assert result.debt_service == 18750
    assert result.interest == 3750


def test_bullet_repayment_bottoms_out_at_minus_750_after_the_construction_years():
    result = balance(load("worked_bullet"))
    assert result.min_cumulative_balance == -750
    assert result.min_cumulative_balance_year == 2022


def test_bullet_repayment_ends_with_2450_in_hand():
    assert balance(load("worked_bullet")).years[-1].cumulative_balance == 2450


def test_bullet_repayment_passes_1_1_but_fails_1_2():
    assert balance(load("worked_bullet")).passes
    strict = BalanceInput(years=worked_years(), bonds=(worked_bond(),), min_coverage=Decimal("1.2"))
    assert not balance(strict).passes


def test_instalments_of_20_percent_in_years_6_to_10_cover_debt_service_1_1778_times():
    result = balance(load("worked_instalments"))
    assert round_ratio(result.coverage_ratio) == Decimal("1.1778")
    assert result.debt_service == 18000


def test_instalments_pay_interest_on_the_outstanding_balance_only():
    bond = load("worked_instalments").bonds[0]
    assert [line.interest for line in bond.schedule()] == [375] * 6 + [300, 225, 150, 75]
    assert [line.principal for line in bond.schedule()] == [0] * 5 + [3000] * 5


def test_instalments_leave_yearly_ratios_between_0_77_and_0_98_in_the_repayment_years():
    years = balance(load("worked_instalments")).years[5:]
    assert [round(y.ratio, 2) for y in years] == [
        Decimal("0.77"),
        Decimal("0.82"),
        Decimal("0.87"),
        Decimal("0.92"),
        Decimal("0.98"),
    ]


def test_instalments_keep_the_cumulative_balance_positive_after_year_2_and_at_least_3200_while_repaying():
    # §1.4 says "minimum 3,200" after year 2; year 3 is 1,175, so the 3,200 is the low of years 4–10.
    result = balance(load("worked_instalments"))
    assert result.min_cumulative_balance == -750
    assert min(y.cumulative_balance for y in result.years[2:]) == 1175
    assert min(y.cumulative_balance for y in result.years[3:]) == 3200


def test_the_worked_example_built_in_code_matches_the_example_file():
    in_code = BalanceInput(years=worked_years(), bonds=(worked_bond(),), min_coverage=Decimal("1.1"))
    assert balance(in_code) == balance(load("worked_bullet"))


# §1.5 -------------------------------------------------------------------------------------------


def test_the_inputs_implied_by_the_reference_reproduce_the_published_revenue_row():
    # R/D = 1.875, C/D = 0.585, no tax (finance-domain.md §1.5).
    revenue = rows_by_factor(load("sensitivity_reference_implied"))[SensitivityFactor.REVENUE]
    for ours, published in zip(revenue, PUBLISHED[SensitivityFactor.REVENUE], strict=True):
        assert abs(ours - Decimal(published)) <= TOLERANCE


def test_the_inputs_implied_by_the_reference_miss_the_published_cost_row_above_the_base():
    # Kept as a record: with C/D = 0.585 and no tax the cost row is symmetric around 1.29, but the
    # published row is not, so +2% … +8% are off by 0.012–0.017. The refitted inputs below fix it.
    cost = rows_by_factor(load("sensitivity_reference_implied"))[SensitivityFactor.OPERATING_COST]
    published = [Decimal(p) for p in PUBLISHED[SensitivityFactor.OPERATING_COST]]
    assert all(abs(o - p) <= TOLERANCE for o, p in zip(cost[:5], published[:5], strict=True))
    assert all(abs(o - p) > TOLERANCE for o, p in zip(cost[5:], published[5:], strict=True))


@pytest.mark.parametrize("factor", list(SensitivityFactor), ids=lambda f: f.value)
def test_the_refitted_plan_inputs_reproduce_every_published_row_within_0_01(factor):
    # Net/D = 1.2946, revenue/D = 1.988, cost/D = 0.416, tax/D = 0.278, interest share 0.36, with
    # interest held when the principal moves, as the plan evidently did.
    ours = rows_by_factor(load("sensitivity_published_plan"))[factor]
    for mine, published in zip(ours, PUBLISHED[factor], strict=True):
        assert abs(mine - Decimal(published)) <= TOLERANCE


@pytest.mark.parametrize("factor", list(SensitivityFactor), ids=lambda f: f.value)
def test_the_refitted_plan_inputs_round_to_the_published_figures_exactly(factor):
    ours = rows_by_factor(load("sensitivity_published_plan"))[factor]
    assert [str(v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) for v in ours] == PUBLISHED[factor]


def test_the_published_principal_row_cannot_be_reached_when_interest_follows_the_principal():
    plan = replace(load("sensitivity_published_plan"), principal_moves_interest=True)
    principal = rows_by_factor(plan)[SensitivityFactor.PRINCIPAL]
    # A larger bond with proportionally larger interest scales the whole denominator: 1.2946 / 0.92.
    assert round_ratio(principal[0]) == Decimal("1.4072")
    assert abs(principal[0] - Decimal("1.36")) > TOLERANCE


def test_the_sensitivity_coefficient_of_revenue_is_revenue_over_net_income():
    inp = BalanceInput(
        years=(CashFlowYear(year=2025, income={"fees": Decimal(1000)}, operating_cost=Decimal(200)),),
        bonds=(Debt(principal=Decimal(500), rate=Decimal(0), issue_year=2025, term_years=1),),
        min_coverage=Decimal("1.1"),
    )
    revenue_row = sensitivity(inp)[0]
    assert revenue_row.factor is SensitivityFactor.REVENUE
    # SAF = (ΔA/A)/(ΔF/F) = R / (R − C) for a linear ratio.
    assert {cell.coefficient for cell in revenue_row.cells if cell.change} == {Decimal("1.25")}
