"""Numbers as every page shows them (`{% load numbers %}`), and rates and shares typed in percent."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template

from duban.core.forms import PercentField
from duban.core.templatetags.numbers import pct, plus, ratio, this_year, wan


def test_amounts_in_wan_have_thousands_separators_and_two_decimals():
    assert wan(Decimal("277984.15")) == "277,984.15"
    assert wan(Decimal("-800")) == "-800.00"
    assert wan(277984.149) == "277,984.15"
    assert wan(Decimal("1234567.5"), 0) == "1,234,568"


def test_a_missing_value_is_a_dash():
    assert wan(None) == pct("") == ratio(None) == "—"


def test_fractions_are_shown_as_percentages():
    assert pct(Decimal("0.025"), 2) == "2.50%"
    assert pct(Decimal("0.4567")) == "45.7%"
    assert ratio(Decimal("1.13066")) == "1.1307"
    assert plus(Decimal("1.5"), None) == Decimal("1.5")


def test_the_current_year_is_marked(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 1))
    assert this_year(2026) and this_year("2026") and not this_year(2025) and not this_year(None)


def test_the_filters_load_in_a_template():
    html = Template("{% load numbers %}{{ a|wan }} {{ r|pct:1 }}").render(
        Context({"a": Decimal("277984.15"), "r": Decimal("0.1")})
    )
    assert html == "277,984.15 10.0%"


class RateForm(forms.Form):
    rate = PercentField(max_percent=30, fraction_places=5)


@pytest.mark.parametrize(
    ("typed", "stored"), [("2.5", "0.025"), ("2.5%", "0.025"), ("0", "0"), ("30", "0.3")]
)
def test_a_rate_is_typed_in_percent_and_kept_as_a_fraction(typed, stored):
    form = RateForm({"rate": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["rate"] == Decimal(stored)


def test_a_stored_fraction_is_shown_in_percent():
    assert RateForm(initial={"rate": Decimal("0.02350")})["rate"].value() == "2.35"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("40", "应在 0% 到 30% 之间"), ("-1", "应在 0% 到 30% 之间"), ("2.5555", "最多保留 3 位小数")],
)
def test_a_rate_out_of_range_or_too_precise_is_refused_in_percent(typed, message):
    form = RateForm({"rate": typed})
    assert not form.is_valid()
    assert message in form.errors["rate"][0]
