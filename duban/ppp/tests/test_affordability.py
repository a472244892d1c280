"""The fiscal affordability test of 财金〔2015〕21号 and the gates of 财金〔2019〕10号, on the worked numbers of §2.2."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from duban.ppp.affordability import (
    AffordabilityInputError,
    BudgetProjection,
    PaymentMechanism,
    Programme,
    Project,
    RiskScenario,
    Thresholds,
    annual_operating_subsidy,
    assess,
    check_new_project,
    equity_expenditure,
    money,
    programme_from_dict,
    report_as_dict,
    risk_by_ratio,
    risk_by_scenarios,
    supporting_expenditure,
)

WORKED_EXAMPLE = Path(__file__).parent / "data" / "worked_example.json"


def worked_example_data() -> dict:
    return json.loads(WORKED_EXAMPLE.read_text(encoding="utf-8"), parse_float=Decimal)


def worked_example() -> Programme:
    return programme_from_dict(worked_example_data())


def year_of(report, year):
    return next(item for item in report.years if item.year == year)


def percent(ratio: Decimal) -> Decimal:
    return money(ratio * 100)


def government_pay_candidate(**overrides) -> Project:
    terms = {
        "name": "新建体育中心",
        "payment_mechanism": PaymentMechanism.GOVERNMENT_PAY,
        "construction_cost": Decimal(20000),
        "profit_rate": Decimal("0.06"),
        "discount_rate": Decimal("0.035"),
        "subsidy_years": 10,
        "operation_start_year": 2022,
        "operating_cost": Decimal(300),
    }
    return Project(**(terms | overrides))


# --- the worked numbers of §2.2 --------------------------------------------------------------------


def test_viability_gap_subsidy_is_11591_in_the_first_operating_year():
    report = assess(programme=worked_example())

    assert money(report.projects[0].subsidy[2021]) == Decimal("11591.00")


def test_viability_gap_subsidy_is_15572_35_in_the_tenth_operating_year():
    report = assess(programme=worked_example())

    assert money(report.projects[0].subsidy[2030]) == Decimal("15572.35")


def test_viability_gap_subsidies_add_up_to_134905_11_over_ten_years():
    subsidies = assess(programme=worked_example()).projects[0].subsidy

    assert money(sum(subsidies.values())) == Decimal("134905.11")


def test_government_pay_subsidy_of_the_worked_example_is_13091_in_year_one_and_17072_35_in_year_ten():
    terms = {
        "payment_mechanism": PaymentMechanism.GOVERNMENT_PAY,
        "construction_cost": Decimal(100000),
        "profit_rate": Decimal("0.06"),
        "discount_rate": Decimal("0.035"),
        "subsidy_years": 10,
        "operating_cost": Decimal(2000),
    }

    assert money(annual_operating_subsidy(n=1, **terms)) == Decimal("13091.00")
    assert money(annual_operating_subsidy(n=10, **terms)) == Decimal("17072.35")


def test_ratio_is_8_44_percent_in_the_first_operating_year():
    first = year_of(assess(programme=worked_example()), 2021)

    assert first.budget_expenditure == Decimal(315000)
    assert first.obligations == Decimal("26591.00")
    assert percent(first.ratio) == Decimal("8.44")


def test_ratio_falls_to_6_26_percent_in_the_tenth_operating_year():
    assert percent(year_of(assess(programme=worked_example()), 2030).ratio) == Decimal("6.26")


def test_first_year_is_within_the_cap_but_above_the_warning_line():
    first = year_of(assess(programme=worked_example()), 2021)

    assert first.within_cap
    assert first.warning


def test_new_government_pay_projects_are_refused_at_8_44_percent():
    assert not year_of(assess(programme=worked_example()), 2021).gov_pay_allowed


def test_check_refuses_a_government_pay_candidate_above_the_gate():
    check = check_new_project(programme=worked_example(), candidate=government_pay_candidate())

    assert not check.allowed
    assert [refusal.code for refusal in check.refusals] == ["above_gov_pay_gate"]
    assert 2022 in check.refusals[0].years


def test_check_allows_a_viability_gap_candidate_that_keeps_the_region_under_the_cap():
    candidate = government_pay_candidate(
        payment_mechanism=PaymentMechanism.VIABILITY_GAP, user_fees=Decimal(1000)
    )

    check = check_new_project(programme=worked_example(), candidate=candidate)

    assert check.allowed
    assert year_of(check.after, 2022).ratio > year_of(check.before, 2022).ratio


def test_check_refuses_any_candidate_that_would_breach_the_cap():
    candidate = government_pay_candidate(
        payment_mechanism=PaymentMechanism.VIABILITY_GAP, construction_cost=Decimal(200000)
    )

    check = check_new_project(programme=worked_example(), candidate=candidate)

    assert [refusal.code for refusal in check.refusals] == ["above_cap"]


def test_gate_can_be_tested_on_the_region_before_the_candidate_as_10hao_literally_reads():
    data = worked_example_data()
    data["existing_obligations"] = {}
    data["projects"] = []
    data["budget"]["expenditure"] = {str(year): 300000 for year in range(2021, 2032)}
    programme = programme_from_dict(data)
    # From 3.8% of the budget in its first year to 5.1% in its tenth: it alone carries the region over 5%.
    candidate = government_pay_candidate(construction_cost=Decimal(100000))

    including = check_new_project(programme=programme, candidate=candidate)
    literal = check_new_project(programme=programme, candidate=candidate, gate_includes_candidate=False)

    assert including.allowed is False
    assert literal.allowed is True


def test_check_refuses_subsidised_candidates_once_only_concessions_are_allowed():
    candidate = government_pay_candidate(payment_mechanism=PaymentMechanism.VIABILITY_GAP)

    check = check_new_project(
        programme=worked_example(),
        candidate=candidate,
        decided_on=date(2024, 1, 1),
        concession_only_from=date(2023, 11, 3),
    )

    assert "concession_only" in [refusal.code for refusal in check.refusals]


def test_check_names_the_candidate_when_it_duplicates_a_project_name():
    candidate = government_pay_candidate(name="城区污水处理厂提标改造")

    with pytest.raises(AffordabilityInputError) as raised:
        check_new_project(programme=worked_example(), candidate=candidate)

    assert (raised.value.field, raised.value.code) == ("candidate.name", "duplicate")


# --- the four kinds of expenditure and the budget ---------------------------------------------------


def test_user_pay_project_has_no_operating_subsidy_but_counts_its_equity():
    data = worked_example_data()
    data["projects"] = [
        {"name": "停车场", "payment_mechanism": "user_pay", "equity": {"2021": 500}, "risk": {"2021": 100}}
    ]

    first = year_of(assess(programme=programme_from_dict(data)), 2021)

    assert first.by_type.subsidy == 0
    assert first.by_type.equity == 500
    assert first.obligations == 15000 + 500 + 100


def test_explicit_budget_expenditure_replaces_the_projection_for_its_years():
    data = worked_example_data()
    data["budget"]["expenditure"] = {"2021": 265910}

    report = assess(programme=programme_from_dict(data))

    assert year_of(report, 2021).ratio == Decimal("0.1")
    assert year_of(report, 2022).budget_expenditure == Decimal("330750.00")


def test_explicit_budget_alone_must_cover_every_year():
    data = worked_example_data()
    data["budget"] = {"expenditure": {"2021": 315000}}

    with pytest.raises(AffordabilityInputError) as raised:
        assess(programme=programme_from_dict(data))

    assert (raised.value.field, raised.value.code) == ("budget.expenditure", "missing_year")
    assert raised.value.params["year"] == 2020


def test_operating_cost_and_user_fees_may_vary_by_year():
    data = worked_example_data()
    data["projects"][0]["operating_cost"] = {"2021": 2000, "2022": 3000}
    data["projects"][0]["user_fees"] = {"2021": 1500}

    subsidy = assess(programme=programme_from_dict(data)).projects[0].subsidy

    assert money(subsidy[2021]) == Decimal("11591.00")
    assert money(subsidy[2022]) == money(Decimal("11354.985") + 3000 * Decimal("1.06"))


def test_ratio_exactly_at_the_cap_is_within_it():
    data = worked_example_data()
    data["budget"]["expenditure"] = {"2021": 265910}

    assert year_of(assess(programme=programme_from_dict(data)), 2021).within_cap


def test_discount_start_year_counts_n_from_construction_when_asked():
    data = worked_example_data()
    data["projects"][0]["discount_start_year"] = 2019

    subsidy = assess(programme=programme_from_dict(data)).projects[0].subsidy

    assert money(subsidy[2021]) == money(annual_operating_subsidy_n(3))


def annual_operating_subsidy_n(n: int) -> Decimal:
    return annual_operating_subsidy(
        payment_mechanism=PaymentMechanism.VIABILITY_GAP,
        construction_cost=Decimal(100000),
        profit_rate=Decimal("0.06"),
        discount_rate=Decimal("0.035"),
        subsidy_years=10,
        n=n,
        operating_cost=Decimal(2000),
        user_fees=Decimal(1500),
    )


def test_equity_expenditure_is_project_capital_times_the_government_share():
    assert equity_expenditure(project_capital=Decimal(20000), government_share=Decimal("0.1")) == 2000


def test_risk_by_ratio_is_a_share_of_the_cost():
    assert risk_by_ratio(base_cost=Decimal(100000), ratio=Decimal("0.05")) == 5000


def test_risk_by_scenarios_is_the_probability_weighted_expenditure():
    scenarios = [
        RiskScenario(name="基本", expenditure=Decimal(1000), probability=Decimal("0.6")),
        RiskScenario(name="不利", expenditure=Decimal(3000), probability=Decimal("0.3")),
        RiskScenario(name="最坏", expenditure=Decimal(10000), probability=Decimal("0.1")),
    ]

    assert risk_by_scenarios(scenarios=scenarios) == Decimal(2500)


def test_risk_scenarios_whose_probabilities_do_not_add_up_to_one_are_refused():
    scenarios = [RiskScenario(name="基本", expenditure=Decimal(1000), probability=Decimal("0.6"))]

    with pytest.raises(AffordabilityInputError) as raised:
        risk_by_scenarios(scenarios=scenarios)

    assert raised.value.code == "probabilities"


def test_supporting_expenditure_nets_off_what_the_partner_pays_but_not_below_zero():
    assert supporting_expenditure(input_cost=Decimal(800), fees_from_social_capital=Decimal(300)) == 500
    assert supporting_expenditure(input_cost=Decimal(300), fees_from_social_capital=Decimal(800)) == 0


def test_thresholds_are_parameters_so_a_province_may_set_a_lower_cap():
    data = worked_example_data()
    data |= {"cap": Decimal("0.08"), "warning": Decimal("0.06"), "gov_pay_gate": Decimal("0.04")}

    first = year_of(assess(programme=programme_from_dict(data)), 2021)

    assert not first.within_cap


def test_report_as_dict_has_the_documented_shape():
    result = report_as_dict(assess(programme=worked_example()))

    first = next(year for year in result["years"] if year["year"] == 2021)
    assert set(first) >= {
        "year",
        "budget_expenditure",
        "obligations",
        "by_type",
        "ratio",
        "within_cap",
        "warning",
        "gov_pay_allowed",
    }
    assert set(first["by_type"]) == {"equity", "subsidy", "risk", "supporting"}
    assert result["projects"][0]["subsidy"]["2021"] == 11591.0


# --- validation names the field ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (
            lambda d: d["projects"][0].update(discount_rate=Decimal("3.5")),
            "projects[0].discount_rate",
            "out_of_range",
        ),
        (lambda d: d["projects"][0].pop("discount_rate"), "projects[0].discount_rate", "required"),
        (lambda d: d["projects"][0].update(profit_rate="6%"), "projects[0].profit_rate", "invalid_type"),
        (lambda d: d["projects"][0].update(subsidy_years=0), "projects[0].subsidy_years", "out_of_range"),
        (lambda d: d["projects"][0].update(subsidy_years=True), "projects[0].subsidy_years", "invalid_type"),
        (
            lambda d: d["projects"][0].update(payment_mechanism="bot"),
            "projects[0].payment_mechanism",
            "invalid_choice",
        ),
        (lambda d: d["projects"][0].update(operating_cost=-1), "projects[0].operating_cost", "out_of_range"),
        (lambda d: d["projects"][0].update(equity={"20x1": 5}), "projects[0].equity.20x1", "invalid_year"),
        (lambda d: d["projects"][0].update(discount_rat=1), "projects[0].discount_rat", "unknown_field"),
        (lambda d: d["projects"].append(dict(d["projects"][0])), "projects[1].name", "duplicate"),
        (lambda d: d.pop("cap"), "cap", "required"),
        (lambda d: d.update(warning=Decimal("0.12")), "warning", "exceeds_cap"),
        (lambda d: d["budget"].update(growth=Decimal(-1)), "budget.growth", "out_of_range"),
        (lambda d: d["budget"].pop("base_year"), "budget.base_year", "required"),
        (
            lambda d: d["existing_obligations"].update({"2021": -5}),
            "existing_obligations.2021",
            "out_of_range",
        ),
        (lambda d: d.update(projects={}), "projects", "invalid_type"),
    ],
)
def test_invalid_input_names_the_offending_field(change, field, code):
    data = worked_example_data()
    change(data)

    with pytest.raises(AffordabilityInputError) as raised:
        programme_from_dict(data)

    assert (raised.value.field, raised.value.code) == (field, code)


def test_government_pay_project_with_user_fees_is_refused_as_misclassified():
    data = worked_example_data()
    data["projects"][0]["payment_mechanism"] = "government_pay"

    with pytest.raises(AffordabilityInputError) as raised:
        programme_from_dict(data)

    assert (raised.value.field, raised.value.code) == ("projects[0].user_fees", "not_applicable")


def test_user_pay_project_needs_no_subsidy_terms():
    project = Project(name="停车场", payment_mechanism=PaymentMechanism.USER_PAY)

    assert list(project.subsidy_period) == []


def test_dataclasses_validate_when_built_directly_by_services():
    with pytest.raises(AffordabilityInputError) as raised:
        Programme(
            thresholds=Thresholds(cap=Decimal("0.1"), warning=Decimal("0.07"), gov_pay_gate=Decimal("0.05")),
            budget=BudgetProjection(base_year=2020, base_expenditure=Decimal(0), growth=Decimal("0.05")),
        )

    assert (raised.value.field, raised.value.code) == ("base_expenditure", "out_of_range")
