"""The shapes the apps' pages and viewsets share (core/views.py, core/api/views.py, core.forms.cleaned)."""

from types import SimpleNamespace

import pytest
import rules as django_rules
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as APIValidationError

from duban.core.api.views import payload
from duban.core.errors import Invalid, NotPermitted
from duban.core.forms import cleaned
from duban.core.views import ListPage, button, find
from duban.organisation.models import Unit

never = django_rules.predicate(lambda user, obj: False)


def _request(rf, user, method="get", data=None):
    request = getattr(rf, method)("/", data or {})
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _finance_only(city):
    return lambda *, user, filters=None: Unit.objects.filter(pk=city.finance.pk)


def test_find_answers_404_out_of_reach_and_403_when_the_rule_refuses(city, rf):
    request = _request(rf, city.liaison)
    assert find(request, _finance_only(city), city.finance.pk) == city.finance
    with pytest.raises(Http404):
        find(request, _finance_only(city), city.housing.pk)
    with pytest.raises(NotPermitted):
        find(request, _finance_only(city), city.finance.pk, may=never)


def test_a_list_page_and_its_export_read_the_selector_with_the_same_query(city, rf):
    asked = []

    def select(*, user, filters=None):
        asked.append((user, dict(filters.items())))
        return [city.finance]

    written = []
    listing = ListPage(
        select, "unused.html", workbook=lambda rows: written.extend(rows) or b"", filename="x.xlsx"
    )
    response = listing.export(_request(rf, city.office, data={"q": "财政"}))
    assert response["Content-Disposition"].endswith("x.xlsx")
    assert written == [city.finance]
    assert asked == [(city.office, {"q": "财政"})]


def test_a_button_takes_its_step_on_the_object_it_found_and_goes_back(city, rf):
    taken = []
    view = button(
        lambda *, unit, by, **sent: taken.append((unit, by, sent)),
        "done",
        select=_finance_only(city),
        name="unit",
        page="organisation:unit_detail",
        read=lambda request, unit: {"note": request.POST["note"]},
    )
    response = view(_request(rf, city.office, "post", {"note": "x"}), pk=city.finance.pk)
    assert response.status_code == 302
    assert response.url.endswith(f"/{city.finance.pk}/")
    assert taken == [(city.finance, city.office, {"note": "x"})]


class _DueForm(forms.Form):
    due_on = forms.DateField(label="时限")


def test_a_buttons_form_is_refused_naming_each_field_under_its_label():
    with pytest.raises(Invalid) as refused:
        cleaned(_DueForm({"due_on": "later"}))
    assert refused.value.fields["due_on"][0].startswith("时限：")


class _DueSerializer(serializers.Serializer):
    due_on = serializers.DateField()


def test_an_actions_payload_is_validated_or_refused_with_a_400():
    assert (
        str(payload(_DueSerializer, SimpleNamespace(data={"due_on": "2026-03-31"}))["due_on"]) == "2026-03-31"
    )
    with pytest.raises(APIValidationError):
        payload(_DueSerializer, SimpleNamespace(data={}))
