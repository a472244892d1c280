"""Properties that hold for any scheme: the breakdown adds up to the score; shared weights keep the total."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from duban.assessment.scoring import Indicator, Scheme, score

weights = st.integers(min_value=1, max_value=40).map(Decimal)
values = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=3))


@st.composite
def cases(draw):
    indicators = [
        Indicator(
            "t", draw(weights), "target", target=Decimal(draw(st.integers(1, 100))), cap=Decimal("1.2")
        ),
        Indicator(
            "r", draw(weights), "rank", better=draw(st.sampled_from(["higher", "lower"])), step=Decimal(3)
        ),
        Indicator(
            "b", draw(weights), "bands", bands=((Decimal(80), Decimal(1)), (Decimal(50), Decimal("0.5")))
        ),
        Indicator("d", Decimal(0), "deduction", per=Decimal(1), max=Decimal(10)),
    ]
    units = [f"U{i}" for i in range(draw(st.integers(1, 8)))]
    table = {unit: {i.key: draw(values) for i in indicators} for unit in units}
    half = len(units) // 2
    return Scheme(
        groups={"甲": tuple(units[:half]), "乙": tuple(units[half:])}, indicators=tuple(indicators)
    ), table


@settings(max_examples=200, deadline=None)
@given(case=cases())
def test_the_breakdown_points_add_up_to_the_score_within_a_cent(case):
    scheme, table = case
    for row in score(scheme, table):
        assert abs(sum(line.points for line in row.lines) - row.score) <= Decimal("0.01")


@settings(max_examples=200, deadline=None)
@given(case=cases())
def test_shared_weights_keep_the_total_weight_when_anything_applies(case):
    scheme, table = case
    total = sum(i.weight for i in scheme.indicators)
    for row in score(scheme, table):
        applicable = [line for line in row.lines if line.value is not None and line.indicator != "d"]
        shared = sum(line.weight for line in row.lines)
        assert abs(shared - (total if applicable else 0)) <= Decimal("0.0003")


@settings(max_examples=100, deadline=None)
@given(case=cases())
def test_ranks_within_a_group_start_at_one_and_follow_the_scores(case):
    scheme, table = case
    for group in scheme.groups:
        rows = [row for row in score(scheme, table) if row.group == group]
        if rows:
            assert min(row.rank for row in rows) == 1
        for a in rows:
            for b in rows:
                assert (a.score > b.score) <= (a.rank < b.rank)
