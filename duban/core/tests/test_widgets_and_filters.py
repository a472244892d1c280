"""Long selects render fast and still mark the chosen option; a FilterSet drops what it cannot read."""

import django_filters
import pytest
from django import forms

from duban.core.filters import FilterSet, filtered
from duban.core.widgets import FastSelect, FastSelectMultiple
from duban.organisation.models import Unit


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), widget=FastSelect)
    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.all(), widget=FastSelectMultiple)


def test_a_fast_select_renders_every_option_and_marks_the_chosen_one(city):
    form = UnitForm(data={"unit": city.finance.pk, "units": [city.county.pk, city.housing.pk]})
    html = str(form["unit"])
    assert html.count("<option") == Unit.objects.count() + 1
    assert f'<option value="{city.finance.pk}" selected>市财政局</option>' in html
    multiple = str(form["units"])
    assert "multiple" in multiple and multiple.count(" selected") == 2


def test_a_fast_select_multiple_reads_every_chosen_value(city):
    form = UnitForm(data={"unit": city.finance.pk, "units": [city.county.pk, city.housing.pk]})
    assert form.is_valid()
    assert set(form.cleaned_data["units"]) == {city.county, city.housing}


def test_a_fast_select_escapes_what_users_typed(city):
    city.housing.short_name = '<script>alert("x")</script>'
    city.housing.save()
    assert "<script>" not in str(UnitForm()["unit"])


class UnitFilterSet(FilterSet):
    class Meta:
        model = Unit
        fields = ["kind", "parent"]


def test_an_invalid_filter_is_left_out_and_a_valid_one_applies(city):
    units = filtered(UnitFilterSet, Unit.objects.all(), {"kind": "county", "parent": "not-a-number"})
    assert list(units) == [city.county]


def test_no_filters_give_the_whole_queryset(city):
    assert filtered(UnitFilterSet, Unit.objects.all(), None).count() == Unit.objects.count()


def test_a_filterset_form_uses_fast_selects_and_bootstrap(city):
    form = UnitFilterSet({}, user=city.office).form
    assert isinstance(form.fields["parent"].widget, FastSelect)
    assert "form-select" in form.fields["kind"].widget.attrs["class"]


@pytest.mark.parametrize("data", [{}, {"kind": ""}])
def test_an_unset_filter_is_not_an_active_one(city, data):
    assert UnitFilterSet(data, user=city.office).active_filters() == {}


class TitleFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = []


def test_active_filters_are_what_a_link_or_export_keeps(city):
    assert TitleFilterSet({"q": "财政"}, user=city.office).active_filters() == {"q": "财政"}


def test_a_long_select_asks_the_browser_for_a_searchable_box_in_the_users_language():
    from django.utils import translation

    widget = FastSelect(choices=[(n, f"单位{n}") for n in range(FastSelect.SEARCHABLE_FROM)])
    html = widget.render("unit", None)
    assert "data-searchable" in html and 'data-no-results="没有匹配项"' in html
    with translation.override("en"):
        assert 'data-no-results="No match"' in widget.render("unit", None)


def test_the_searchable_box_is_served_from_the_npm_package():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/tom-select/js/tom-select.complete.min.js")
    assert finders.find("core/searchable.js")


def test_a_fast_select_keeps_groups_of_choices():
    widget = FastSelect(choices=[("", "—"), ("县区", [(1, "南屏县"), (2, "北岭县")])])
    html = widget.render("unit", 2)
    assert (
        '<optgroup label="县区"><option value="1">南屏县</option><option value="2" selected>北岭县</option></optgroup>'
        in html
    )


def test_a_short_select_stays_a_plain_select():
    html = FastSelect(choices=[("a", "甲"), ("b", "乙")]).render("x", "a")
    assert "data-searchable" not in html


def test_every_form_renders_its_selects_fast():
    from duban.core.forms import BootstrapFormMixin

    class Form(BootstrapFormMixin, forms.Form):
        kind = forms.ChoiceField(choices=[("a", "甲")])

    assert isinstance(Form().fields["kind"].widget, FastSelect)
