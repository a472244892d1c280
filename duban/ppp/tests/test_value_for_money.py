"""Value for money under 财金〔2015〕167号: the PSC-versus-PPP test and the qualitative score."""

from decimal import Decimal

import pytest

from duban.ppp.affordability import AffordabilityInputError, ExpenditureByType, ProjectExpenditure
from duban.ppp.value_for_money import (
    BasicIndicator,
    IndicatorScore,
    PublicSectorComparator,
    ppp_value,
    present_value,
    qualitative_vfm,
    quantitative_vfm,
)


def basic_scores(
    score: Decimal, weights: tuple[str, ...] = ("0.2", "0.2", "0.2", "0.2", "0.1", "0.1")
) -> list[IndicatorScore]:
    return [
        IndicatorScore(indicator=item, weight=Decimal(weight), score=score)
        for item, weight in zip(BasicIndicator, weights, strict=True)
    ]


def test_psc_of_120000_against_ppp_of_105000_gives_15000_and_an_index_of_12_5_percent():
    result = quantitative_vfm(psc=Decimal(120000), ppp=Decimal(105000))

    assert result.amount == 15000
    assert result.index == Decimal("0.125")
    assert result.passes


def test_ppp_dearer_than_the_psc_fails():
    assert not quantitative_vfm(psc=Decimal(100000), ppp=Decimal(100001)).passes


def test_ppp_equal_to_the_psc_passes():
    assert quantitative_vfm(psc=Decimal(100000), ppp=Decimal(100000)).passes


def test_psc_adds_reference_cost_competitive_neutrality_and_both_kinds_of_risk():
    psc = PublicSectorComparator(
        reference_cost=Decimal(100000),
        competitive_neutrality=Decimal(5000),
        transferable_risk=Decimal(10000),
        retained_risk=Decimal(5000),
    )

    assert psc.total == 120000


def test_psc_must_be_positive_to_give_an_index():
    with pytest.raises(AffordabilityInputError) as raised:
        quantitative_vfm(psc=Decimal(0), ppp=Decimal(1))

    assert (raised.value.field, raised.value.code) == ("psc", "out_of_range")


def test_present_value_leaves_the_present_year_undiscounted():
    amounts = {2024: Decimal(1000), 2025: Decimal(1035)}

    assert present_value(amounts=amounts, discount_rate=Decimal("0.035"), present_year=2024) == 2000


def test_ppp_value_discounts_all_four_kinds_of_expenditure():
    expenditure = ProjectExpenditure(
        name="污水处理厂",
        by_year={
            2024: ExpenditureByType(equity=Decimal(500), risk=Decimal(500)),
            2025: ExpenditureByType(subsidy=Decimal(1000), supporting=Decimal(35)),
        },
    )

    assert ppp_value(expenditure=expenditure, discount_rate=Decimal("0.035"), present_year=2024) == 2000


def test_qualitative_score_of_60_passes():
    result = qualitative_vfm(indicators=basic_scores(Decimal(60)))

    assert result.score == 60
    assert result.passes


def test_qualitative_score_just_below_60_fails():
    assert not qualitative_vfm(indicators=basic_scores(Decimal("59.9"))).passes


def test_qualitative_score_weights_supplementary_indicators_at_their_share():
    indicators = [
        *basic_scores(Decimal(50), weights=("0.15", "0.15", "0.15", "0.15", "0.1", "0.1")),
        IndicatorScore(
            indicator="project_scale", weight=Decimal("0.1"), score=Decimal(100), supplementary=True
        ),
        IndicatorScore(
            indicator="demonstration", weight=Decimal("0.1"), score=Decimal(100), supplementary=True
        ),
    ]

    result = qualitative_vfm(indicators=indicators)

    assert result.score == 60
    assert result.passes


def test_supplementary_indicators_must_carry_their_twenty_percent():
    indicators = [
        *basic_scores(Decimal(50), weights=("0.2", "0.15", "0.15", "0.15", "0.1", "0.1")),
        IndicatorScore(
            indicator="project_scale", weight=Decimal("0.15"), score=Decimal(100), supplementary=True
        ),
    ]

    with pytest.raises(AffordabilityInputError) as raised:
        qualitative_vfm(indicators=indicators)

    assert (raised.value.field, raised.value.code) == ("indicators.supplementary", "weights")


def test_qualitative_evaluation_needs_all_six_basic_indicators():
    with pytest.raises(AffordabilityInputError) as raised:
        qualitative_vfm(indicators=basic_scores(Decimal(80))[:5])

    assert (raised.value.field, raised.value.code) == ("indicators", "required")


def test_qualitative_weights_that_do_not_make_a_whole_are_refused():
    with pytest.raises(AffordabilityInputError) as raised:
        qualitative_vfm(indicators=basic_scores(Decimal(80), weights=("0.1",) * 6))

    assert (raised.value.field, raised.value.code) == ("indicators", "weights")
