"""Properties of the balance test that hold for any programme, checked with hypothesis."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from duban.bonds.balance import (
    BalanceInput,
    CashFlowYear,
    Debt,
    SensitivityFactor,
    balance,
    debt_period,
    sensitivity,
)

amounts = st.decimals(min_value=0, max_value=20000, places=2)
TERMS = (1, 2, 3, 5, 7, 10, 15)


@st.composite
def instalment_schedules(draw: st.DrawFn, *, issue_year: int, term_years: int) -> dict[int, Decimal]:
    """Whole-percent fractions over some years of the term, so that they sum to exactly 1."""
    years = draw(
        st.lists(
            st.integers(issue_year, issue_year + term_years - 1), min_size=1, max_size=term_years, unique=True
        )
    )
    cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=len(years) - 1, max_size=len(years) - 1, unique=True))
    )
    bounds = [0, *cuts, 100]
    return {year: Decimal(bounds[i + 1] - bounds[i]) / 100 for i, year in enumerate(sorted(years))}


@st.composite
def debts(draw: st.DrawFn, *, first_year: int = 2020) -> Debt:
    issue_year = draw(st.integers(first_year, first_year + 3))
    term_years = draw(st.sampled_from(TERMS))
    instalments = draw(st.none() | instalment_schedules(issue_year=issue_year, term_years=term_years))
    return Debt(
        principal=draw(st.decimals(min_value=100, max_value=50000, places=2)),
        rate=draw(st.decimals(min_value=0, max_value="0.08", places=4)),
        issue_year=issue_year,
        term_years=term_years,
        instalments=instalments,
    )


@st.composite
def programmes(draw: st.DrawFn, *, with_market_financing: bool = True) -> BalanceInput:
    bonds = tuple(draw(st.lists(debts(), min_size=1, max_size=3)))
    market = tuple(draw(st.lists(debts(), max_size=2))) if with_market_financing else ()
    all_debts = (*bonds, *market)
    first = min(d.issue_year for d in all_debts)
    last = max(d.final_year for d in all_debts)
    years = tuple(
        CashFlowYear(
            year=year,
            income={"fees": draw(amounts), "rent": draw(amounts)},
            operating_cost=draw(amounts),
            tax=draw(st.decimals(min_value=0, max_value=2000, places=2)),
        )
        for year in range(first, last + 1)
    )
    return BalanceInput(
        years=years,
        bonds=bonds,
        market_financing=market,
        min_coverage=draw(st.decimals(min_value="1.0", max_value="1.5", places=2)),
    )


def scaled_income(inp: BalanceInput, *, year: int, extra: Decimal) -> BalanceInput:
    years = tuple(
        replace(row, income={**row.income, "fees": row.income["fees"] + extra}) if row.year == year else row
        for row in inp.years
    )
    return replace(inp, years=years)


@given(inp=programmes(), data=st.data(), extra=st.decimals(min_value="0.01", max_value=10000, places=2))
def test_more_income_in_any_year_never_lowers_a_ratio_or_the_lowest_balance(inp, data, extra):
    year = data.draw(st.sampled_from([row.year for row in inp.years]))
    before, after = balance(inp), balance(scaled_income(inp, year=year, extra=extra))
    assert after.coverage_ratio >= before.coverage_ratio
    assert after.bond_coverage_ratio >= before.bond_coverage_ratio
    assert after.min_cumulative_balance >= before.min_cumulative_balance
    assert after.passes >= before.passes


@given(bond=debts(), data=st.data())
def test_instalments_never_cost_more_interest_than_a_bullet_of_the_same_bond(bond, data):
    bullet = replace(bond, instalments=None)
    schedule = data.draw(instalment_schedules(issue_year=bond.issue_year, term_years=bond.term_years))
    assert replace(bond, instalments=schedule).total_interest() <= bullet.total_interest()


@given(bond=debts())
def test_every_debt_repays_exactly_its_principal(bond):
    assert sum(line.principal for line in bond.schedule()) == bond.principal


@given(bond=debts())
def test_interest_is_the_rate_on_the_principal_outstanding_during_each_year(bond):
    for line in bond.schedule():
        assert line.interest == bond.rate * line.outstanding


@given(inp=programmes(), factor=st.sampled_from([Decimal(2), Decimal(10), Decimal("0.5"), Decimal("1.25")]))
def test_measuring_in_yuan_instead_of_wan_yuan_changes_no_ratio(inp, factor):
    scaled = replace(
        inp,
        years=tuple(
            replace(
                row,
                income={k: v * factor for k, v in row.income.items()},
                operating_cost=row.operating_cost * factor,
                tax=row.tax * factor,
            )
            for row in inp.years
        ),
        bonds=tuple(replace(d, principal=d.principal * factor) for d in inp.bonds),
        market_financing=tuple(replace(d, principal=d.principal * factor) for d in inp.market_financing),
    )
    before, after = balance(inp), balance(scaled)
    assert after.coverage_ratio == before.coverage_ratio
    assert after.bond_coverage_ratio == before.bond_coverage_ratio
    assert after.min_cumulative_balance == before.min_cumulative_balance * factor
    assert after.passes == before.passes


@given(inp=programmes())
def test_the_cumulative_balance_ends_at_net_income_less_debt_service(inp):
    result = balance(inp)
    assert result.years[-1].cumulative_balance == result.net_income - result.debt_service
    assert result.min_cumulative_balance == min(y.cumulative_balance for y in result.years)


@given(inp=programmes())
def test_the_yearly_table_spans_exactly_the_debt_period(inp):
    first, last = debt_period(inp)
    assert [y.year for y in balance(inp).years] == list(range(first, last + 1))


@given(inp=programmes())
def test_the_programme_passes_exactly_when_all_debt_is_covered_at_least_the_minimum(inp):
    result = balance(inp)
    assert result.passes == (result.coverage_ratio >= inp.min_coverage)


@given(inp=programmes())
def test_market_financing_never_makes_the_all_debt_ratio_exceed_the_bond_ratio_when_net_income_is_positive(
    inp,
):
    result = balance(inp)
    assume(result.net_income > 0)
    assert result.coverage_ratio <= result.bond_coverage_ratio


@given(inp=programmes(), data=st.data())
def test_the_order_of_the_cash_flow_rows_does_not_matter(inp, data):
    shuffled = data.draw(st.permutations(inp.years))
    assert balance(replace(inp, years=tuple(shuffled))) == balance(inp)


@given(inp=programmes(with_market_financing=False))
def test_splitting_a_bond_into_two_halves_changes_nothing(inp):
    halves = tuple(half for bond in inp.bonds for half in (replace(bond, principal=bond.principal / 2),) * 2)
    before, after = balance(inp), balance(replace(inp, bonds=halves))
    assert after.coverage_ratio == before.coverage_ratio
    assert after.min_cumulative_balance == before.min_cumulative_balance


@given(inp=programmes(), extra=st.decimals(min_value="0.0001", max_value="0.02", places=4))
def test_a_higher_rate_never_raises_the_ratio_when_net_income_is_positive(inp, extra):
    before = balance(inp)
    assume(before.net_income > 0)
    dearer = replace(inp, bonds=tuple(replace(d, rate=d.rate + extra) for d in inp.bonds))
    assert balance(dearer).coverage_ratio <= before.coverage_ratio


@settings(max_examples=40)
@given(inp=programmes())
def test_each_sensitivity_row_moves_the_way_its_factor_pushes(inp):
    base = balance(inp)
    assume(base.net_income > 0)
    for row in sensitivity(inp):
        values = [cell.bond_coverage_ratio for cell in row.cells]
        assert (
            values[row.cells.index(next(c for c in row.cells if c.change == 0))] == base.bond_coverage_ratio
        )
        if row.factor is SensitivityFactor.REVENUE:
            assert values == sorted(values)
        else:
            assert values == sorted(values, reverse=True)
