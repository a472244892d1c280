"""Properties of the 财金〔2015〕21号 operating subsidy and ratio that must hold for any sensible input."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from duban.ppp.affordability import (
    BudgetProjection,
    PaymentMechanism,
    Programme,
    Project,
    Thresholds,
    annual_operating_subsidy,
    assess,
)

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2)
rates = st.decimals(min_value=0, max_value=Decimal("0.2"), places=4)
terms = st.fixed_dictionaries(
    {
        "construction_cost": st.decimals(min_value=1, max_value=10_000_000, places=2),
        "profit_rate": rates,
        "discount_rate": rates,
        "subsidy_years": st.integers(min_value=1, max_value=30),
        "n": st.integers(min_value=1, max_value=30),
        "operating_cost": amounts,
    }
)


def subsidy(mechanism: PaymentMechanism, user_fees: Decimal, **given_terms) -> Decimal:
    return annual_operating_subsidy(payment_mechanism=mechanism, user_fees=user_fees, **given_terms)


@given(terms=terms, fees=amounts, more=amounts)
def test_higher_user_fees_never_raise_a_viability_gap_subsidy(terms, fees, more):
    lower = subsidy(PaymentMechanism.VIABILITY_GAP, fees, **terms)
    higher = subsidy(PaymentMechanism.VIABILITY_GAP, fees + more, **terms)

    assert higher <= lower


@given(terms=terms, fees=amounts)
def test_viability_gap_subsidy_is_never_negative(terms, fees):
    # Fees above cost are not budget income (see annual_operating_subsidy), so the gap stops at zero.
    assert subsidy(PaymentMechanism.VIABILITY_GAP, fees, **terms) >= 0


@given(terms=terms, fees=amounts)
def test_viability_gap_never_costs_more_than_government_pay(terms, fees):
    government_pay = subsidy(PaymentMechanism.GOVERNMENT_PAY, Decimal(0), **terms)

    assert subsidy(PaymentMechanism.VIABILITY_GAP, fees, **terms) <= government_pay


@given(terms=terms)
def test_subsidy_grows_with_n_because_the_capital_part_is_compounded(terms):
    later = terms | {"n": terms["n"] + 1}

    assert subsidy(PaymentMechanism.GOVERNMENT_PAY, Decimal(0), **later) >= subsidy(
        PaymentMechanism.GOVERNMENT_PAY, Decimal(0), **terms
    )


@given(terms=terms, fees=amounts, existing=amounts)
def test_adding_a_project_never_lowers_any_years_ratio(terms, fees, existing):
    project_terms = {key: value for key, value in terms.items() if key != "n"}
    project = Project(
        name="新项目",
        payment_mechanism=PaymentMechanism.VIABILITY_GAP,
        operation_start_year=2025,
        user_fees=fees,
        **project_terms,
    )
    programme = Programme(
        thresholds=Thresholds(cap=Decimal("0.1"), warning=Decimal("0.07"), gov_pay_gate=Decimal("0.05")),
        budget=BudgetProjection(base_year=2024, base_expenditure=Decimal(300000), growth=Decimal("0.05")),
        existing_obligations=dict.fromkeys(range(2025, 2060), existing),
    )

    before = {year.year: year.ratio for year in assess(programme=programme).years}
    after = {year.year: year.ratio for year in assess(programme=programme.with_project(project)).years}

    assert all(after[year] >= ratio for year, ratio in before.items())
