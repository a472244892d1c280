"""Application batches: opened by the finance bureau."""

from datetime import date

import pytest

from duban.bonds import services
from duban.core.errors import NotPermitted


def test_only_the_finance_bureau_opens_a_batch(city):
    fields = {
        "name": "2027年第一季度",
        "year": 2027,
        "opens_on": date(2027, 1, 1),
        "closes_on": date(2027, 3, 31),
    }
    with pytest.raises(NotPermitted):
        services.batch_create(by=city.liaison, **fields)
    assert services.batch_create(by=city.finance_user, **fields).pk
