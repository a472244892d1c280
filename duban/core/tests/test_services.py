"""A new row is created one way: validated before it is saved, its many-to-many set after."""

import pytest
from django.core.exceptions import ValidationError

from duban.core.services import model_create
from duban.organisation.models import Leader


def test_a_row_is_saved_with_its_many_to_many_fields(city):
    leader = model_create(Leader, name="王副市长", post="vice_mayor", units=[city.finance, city.housing])
    assert leader.pk is not None
    assert set(Leader.objects.get(pk=leader.pk).units.all()) == {city.finance, city.housing}


def test_an_invalid_row_is_refused_before_anything_is_saved(city):
    with pytest.raises(ValidationError) as refused:
        model_create(Leader, name="王副市长", post="emperor", units=[city.finance])
    assert "post" in refused.value.message_dict
    assert not Leader.objects.filter(name="王副市长").exists()
