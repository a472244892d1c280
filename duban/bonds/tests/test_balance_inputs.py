"""Reading the JSON shape, refusing bad inputs by field and code, and the rules around the edges."""

import copy
from decimal import Decimal
from typing import Any

import pytest

from duban.bonds.balance import (
    BalanceInput,
    BalanceInputError,
    CashFlowYear,
    Debt,
    ErrorCode,
    balance,
    input_from_dict,
    result_to_dict,
)

from .inputs import load, load_dict, worked_bond, worked_years


def bullet_file() -> dict[str, Any]:
    return copy.deepcopy(load_dict("worked_bullet"))


def refused(data: object) -> BalanceInputError:
    with pytest.raises(BalanceInputError) as excinfo:
        input_from_dict(data)
    return excinfo.value


# Refusals name the field --------------------------------------------------------------------------


def test_a_rate_given_in_percent_is_refused_on_the_bond_rate():
    data = bullet_file()
    data["bonds"][0]["rate"] = 2.5
    error = refused(data)
    assert (error.field, error.code) == ("bonds[0].rate", ErrorCode.RATE_OUT_OF_RANGE)


def test_a_rate_given_as_text_is_refused_as_not_a_number():
    data = bullet_file()
    data["bonds"][0]["rate"] = "2.5%"
    assert (refused(data).field, refused(data).code) == ("bonds[0].rate", ErrorCode.NOT_A_NUMBER)


def test_instalment_fractions_that_do_not_sum_to_one_are_refused_with_their_total():
    data = load_dict("worked_instalments")
    data["bonds"][0]["repayment"]["2030"] = Decimal("0.1")
    error = refused(data)
    assert (error.field, error.code) == ("bonds[0].repayment", ErrorCode.FRACTIONS_DO_NOT_SUM_TO_ONE)
    assert error.params["total"] == Decimal("0.9")


def test_an_instalment_after_maturity_is_refused_on_that_year():
    data = load_dict("worked_instalments")
    data["bonds"][0]["repayment"] = {"2029": Decimal("0.5"), "2031": Decimal("0.5")}
    error = refused(data)
    assert (error.field, error.code) == ('bonds[0].repayment["2031"]', ErrorCode.INSTALMENT_OUTSIDE_TERM)
    assert (error.params["first"], error.params["last"]) == (2021, 2030)


def test_an_instalment_keyed_by_something_other_than_a_year_is_refused():
    data = load_dict("worked_instalments")
    data["bonds"][0]["repayment"] = {"last": 1}
    assert refused(data).code == ErrorCode.BAD_INSTALMENT_YEAR


def test_a_repayment_that_is_neither_bullet_nor_a_schedule_is_refused():
    data = bullet_file()
    data["bonds"][0]["repayment"] = "amortising"
    assert (refused(data).field, refused(data).code) == ("bonds[0].repayment", ErrorCode.BAD_REPAYMENT)


def test_a_missing_principal_is_reported_as_required():
    data = bullet_file()
    del data["bonds"][0]["principal"]
    assert (refused(data).field, refused(data).code) == ("bonds[0].principal", ErrorCode.REQUIRED)


def test_a_misspelt_field_is_refused_rather_than_ignored():
    data = bullet_file()
    data["max_plausible_coverge"] = 5
    assert (refused(data).field, refused(data).code) == ("max_plausible_coverge", ErrorCode.UNKNOWN_FIELD)


def test_a_cash_flow_table_with_a_gap_in_the_debt_period_is_refused_naming_the_year():
    data = bullet_file()
    del data["years"][4]
    error = refused(data)
    assert (error.field, error.code, error.params["year"]) == ("years", ErrorCode.MISSING_YEAR, 2025)


def test_a_year_listed_twice_is_refused_on_the_second_row():
    data = bullet_file()
    data["years"][1]["year"] = 2021
    assert (refused(data).field, refused(data).code) == ("years[1].year", ErrorCode.DUPLICATE_YEAR)


def test_a_negative_operating_cost_is_refused():
    data = bullet_file()
    data["years"][3]["operating_cost"] = -5
    assert (refused(data).field, refused(data).code) == ("years[3].operating_cost", ErrorCode.NEGATIVE)


def test_true_is_not_a_year():
    data = bullet_file()
    data["bonds"][0]["issue_year"] = True
    assert (refused(data).field, refused(data).code) == ("bonds[0].issue_year", ErrorCode.NOT_AN_INTEGER)


def test_a_programme_without_bonds_is_refused():
    data = bullet_file()
    data["bonds"] = []
    assert (refused(data).field, refused(data).code) == ("bonds", ErrorCode.EMPTY)


def test_market_financing_is_checked_like_a_bond():
    data = bullet_file()
    data["market_financing"] = [dict(data["bonds"][0], principal=0)]
    error = refused(data)
    assert (error.field, error.code) == ("market_financing[0].principal", ErrorCode.NOT_POSITIVE)


def test_a_file_that_is_a_list_is_refused_at_the_root():
    assert refused([]).code == ErrorCode.NOT_AN_OBJECT


def test_a_revenue_source_with_a_bad_amount_is_named():
    data = bullet_file()
    data["years"][2]["revenue"] = {"停车费": 1200, "租金": "many"}
    assert refused(data).field == 'years[2].revenue["租金"]'


def test_inputs_built_in_code_are_validated_too():
    with pytest.raises(BalanceInputError) as excinfo:
        BalanceInput(years=worked_years(), bonds=(worked_bond(term_years=0),), min_coverage=Decimal("1.1"))
    assert excinfo.value.field == "bonds[0].term_years"


def test_the_error_message_names_field_and_code_for_logs():
    data = bullet_file()
    data["bonds"][0]["rate"] = 2.5
    assert str(refused(data)) == "bonds[0].rate: rate_out_of_range (value=2.5, maximum=0.3)"


# What is accepted --------------------------------------------------------------------------------


def test_binary_floats_are_read_as_the_decimals_they_were_written_as():
    data = bullet_file()
    data["bonds"][0]["repayment"] = {"2026": 0.1, "2027": 0.2, "2028": 0.3, "2029": 0.2, "2030": 0.2}
    bond = input_from_dict(data).bonds[0]
    assert bond.instalments == {
        2026: Decimal("0.1"),
        2027: Decimal("0.2"),
        2028: Decimal("0.3"),
        2029: Decimal("0.2"),
        2030: Decimal("0.2"),
    }


def test_income_by_source_adds_up_to_the_revenue_of_the_year():
    data = bullet_file()
    for row in data["years"]:
        revenue = row["revenue"]
        row["revenue"] = {"停车费": revenue - revenue // 4, "租金": revenue // 4}
    assert balance(input_from_dict(data)) == balance(load("worked_bullet"))


def test_rows_after_the_last_repayment_are_listed_but_not_counted():
    data = bullet_file()
    data["years"].append({"year": 2031, "revenue": 5000, "operating_cost": 0, "tax": 0})
    result = balance(input_from_dict(data))
    assert result.excluded_years == (2031,)
    assert result.net_income == 21200
    assert [y.year for y in result.years][-1] == 2030


def test_market_financing_counts_in_the_all_debt_ratio_but_not_in_the_bond_ratio():
    loan = Debt(principal=Decimal(2000), rate=Decimal("0.045"), issue_year=2023, term_years=5)
    inp = BalanceInput(
        years=worked_years(), bonds=(worked_bond(),), market_financing=(loan,), min_coverage=Decimal("1.1")
    )
    result = balance(inp)
    assert result.bond_debt_service == 18750
    assert result.debt_service == 18750 + 2000 + 5 * 90
    assert result.bond_coverage_ratio > result.coverage_ratio


def test_a_separate_bond_minimum_can_fail_a_programme_that_passes_overall():
    inp = BalanceInput(
        years=worked_years(),
        bonds=(worked_bond(),),
        min_coverage=Decimal("1.1"),
        min_bond_coverage=Decimal("1.2"),
    )
    assert not balance(inp).passes


def test_a_ratio_above_the_plausible_maximum_is_flagged():
    rich = tuple(
        CashFlowYear(year=row.year, income={k: v * 4 for k, v in row.income.items()})
        for row in worked_years()
    )
    inp = BalanceInput(years=rich, bonds=(worked_bond(),), min_coverage=Decimal("1.1"))
    assert balance(inp).implausible
    assert not balance(
        BalanceInput(
            years=rich, bonds=(worked_bond(),), min_coverage=Decimal("1.1"), max_plausible_coverage=Decimal(5)
        )
    ).implausible


def test_the_plausibility_check_can_be_switched_off():
    data = bullet_file()
    data["max_plausible_coverage"] = None
    assert input_from_dict(data).max_plausible_coverage is None


def test_the_json_result_has_the_documented_keys_and_rounded_figures():
    out = result_to_dict(balance(load("worked_bullet")))
    assert out["coverage_ratio"] == 1.1307
    assert out["bond_coverage_ratio"] == 1.1307
    assert (out["net_income"], out["debt_service"], out["min_cumulative_balance"]) == (21200, 18750, -750)
    assert out["passes"] is True
    assert out["years"][-1] == {
        "year": 2030,
        "net": 3000,
        "debt_service": 15375,
        "ratio": 0.1951,
        "cumulative_balance": 2450,
    }


def test_the_balance_maths_imports_nothing_from_django():
    import ast
    from pathlib import Path

    import duban.bonds.balance as package

    for path in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in (node.names if isinstance(node, ast.Import) else [None])
        ]
        assert not [m for m in modules if m and m.split(".")[0] in ("django", "duban")], path.name


def test_shares_within_a_billionth_of_one_are_accepted_and_the_whole_principal_is_repaid():
    data = load_dict("worked_instalments")
    seventh = Decimal("0.14285714285714285")
    data["bonds"][0]["repayment"] = {str(year): seventh for year in range(2024, 2031)}
    debt = input_from_dict(data).bonds[0]
    assert sum(line.principal for line in debt.schedule()) == debt.principal


def test_shares_further_than_a_billionth_from_one_are_refused():
    data = load_dict("worked_instalments")
    data["bonds"][0]["repayment"]["2030"] = Decimal("0.199999998")
    error = refused(data)
    assert error.code == ErrorCode.FRACTIONS_DO_NOT_SUM_TO_ONE
