"""Performance-linked payments (财金〔2019〕10号, 财办金〔2017〕92号): coefficients, amounts due and arrears."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duban.ppp.affordability import AffordabilityInputError
from duban.ppp.payments import (
    PaymentPosition,
    PerformancePaymentRule,
    ScoreBand,
    is_enough_linked,
    payment_due,
    performance_payment,
)

BANDED = PerformancePaymentRule(
    full_payment_score=Decimal(80),
    bands=[
        ScoreBand(min_score=Decimal(70), coefficient=Decimal("0.9")),
        ScoreBand(min_score=Decimal(60), coefficient=Decimal("0.7")),
    ],
)
scores = st.decimals(min_value=0, max_value=100, places=1)


def test_score_of_80_pays_in_full():
    assert payment_due(rule=BANDED, score=Decimal(80), full_amount=Decimal(1000)) == 1000


def test_score_of_93_5_pays_in_full():
    assert payment_due(rule=BANDED, score=Decimal("93.5"), full_amount=Decimal(1000)) == 1000


def test_score_just_below_80_pays_by_the_contract_coefficient():
    assert payment_due(rule=BANDED, score=Decimal("79.9"), full_amount=Decimal(1000)) == 900


def test_score_in_a_lower_band_pays_that_bands_coefficient():
    assert payment_due(rule=BANDED, score=Decimal(65), full_amount=Decimal(1000)) == 700


def test_score_below_every_band_pays_nothing():
    assert payment_due(rule=BANDED, score=Decimal(59), full_amount=Decimal(1000)) == 0


def test_full_payment_score_is_a_parameter():
    rule = PerformancePaymentRule(
        full_payment_score=Decimal(90), bands=[ScoreBand(min_score=Decimal(0), coefficient=Decimal("0.8"))]
    )

    assert payment_due(rule=rule, score=Decimal(85), full_amount=Decimal(1000)) == 800


def test_a_coefficient_above_one_is_refused():
    with pytest.raises(AffordabilityInputError) as raised:
        PerformancePaymentRule(
            full_payment_score=Decimal(80),
            bands=[ScoreBand(min_score=Decimal(60), coefficient=Decimal("1.1"))],
        )

    assert (raised.value.field, raised.value.code) == ("bands[0].coefficient", "out_of_range")


def test_a_score_above_100_is_refused():
    with pytest.raises(AffordabilityInputError) as raised:
        payment_due(rule=BANDED, score=Decimal(101), full_amount=Decimal(1000))

    assert raised.value.field == "score"


@given(score=scores, better=scores)
def test_a_better_score_never_pays_less(score, better):
    low, high = sorted((score, better))

    assert BANDED.coefficient(score=low) <= BANDED.coefficient(score=high)


@given(score=scores, amount=st.decimals(min_value=0, max_value=10_000_000, places=2))
def test_payment_due_never_exceeds_the_full_amount(score, amount):
    assert 0 <= payment_due(rule=BANDED, score=score, full_amount=amount) <= amount


def test_70_30_formula_ties_30_percent_of_construction_to_operating_performance():
    amount = performance_payment(
        construction_payment=Decimal(1000),
        operating_cost=Decimal(200),
        construction_coefficient=Decimal(1),
        operating_coefficient=Decimal("0.9"),
    )

    assert amount == Decimal(700) + Decimal("0.9") * (200 + 300)


def test_less_than_30_percent_linked_counts_as_a_fixed_obligation():
    assert not is_enough_linked(linked_share=Decimal("0.29"))
    assert is_enough_linked(linked_share=Decimal("0.30"))


def test_payment_position_shows_arrears_when_less_is_paid_than_due():
    position = PaymentPosition(due=Decimal(1000), budgeted=Decimal(800), paid=Decimal(600))

    assert (position.arrears, position.overpayment, position.unbudgeted) == (400, 0, 200)


def test_payment_position_shows_overpayment_when_more_is_paid_than_earned():
    position = PaymentPosition(due=Decimal(900), budgeted=Decimal(1000), paid=Decimal(1000))

    assert (position.arrears, position.overpayment) == (0, 100)
