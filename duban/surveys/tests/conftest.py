"""Fixtures the surveys' tests share: the small form sent to the finance bureau and the county (which
rolls up its township)."""

import pytest

from ..models import SurveyResponse
from .factories import make_form, send


@pytest.fixture
def form(city):
    return make_form(by=city.office)


@pytest.fixture
def survey(city, form):
    """A round with roll-up to the finance bureau and the county; the township fills under the county."""
    return send(form, by=city.office, units=[city.finance, city.county], rollup=True)


@pytest.fixture
def responses(city, survey):
    rows = SurveyResponse.objects.filter(round=survey).select_related("unit", "round__form")
    by_unit = {r.unit_id: r for r in rows}

    class R:
        finance = by_unit[city.finance.pk]
        county = by_unit[city.county.pk]
        township = by_unit[city.township.pk]

    return R
