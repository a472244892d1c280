"""A service's refusal lands on the form that asked for it: beside its field where it names one."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from duban.core.concurrency import EditConflict
from duban.core.errors import Invalid, NotPermitted
from duban.core.forms import service_errors_into


class DeadlineForm(forms.Form):
    title = forms.CharField()
    deadline = forms.DateField()


def _valid_form():
    form = DeadlineForm({"title": "修路", "deadline": "2026-12-31"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_beside_its_field():
    form = _valid_form()
    with service_errors_into(form):
        raise ValidationError({"deadline": "时限不能早于今天。"})
    assert form.errors == {"deadline": ["时限不能早于今天。"]}


def test_an_error_on_a_field_the_form_lacks_becomes_a_general_error():
    form = _valid_form()
    with service_errors_into(form):
        raise ValidationError({"lead_unit": "牵头单位已停用。"})
    assert form.non_field_errors() == ["牵头单位已停用。"]


def test_a_conflict_becomes_a_general_error_with_its_message():
    form = _valid_form()
    with service_errors_into(form):
        raise EditConflict(changes=[("标题", "修路", "修桥")])
    assert "标题：修桥" in form.non_field_errors()[0]


def test_a_domain_error_with_fields_marks_them():
    form = _valid_form()
    with service_errors_into(form):
        raise Invalid("请检查。", fields={"title": ["标题重复。"]})
    assert form.errors["title"] == ["标题重复。"]


def test_a_permission_error_is_not_swallowed():
    with pytest.raises(NotPermitted), service_errors_into(_valid_form()):
        raise NotPermitted


def test_the_block_runs_to_its_end_when_nothing_is_refused():
    form = _valid_form()
    with service_errors_into(form):
        done = True
    assert done and form.is_valid()


def test_every_invalid_field_is_outlined_in_red_and_valid_ones_are_not():
    from django import forms as django_forms

    from duban.core.forms import BootstrapFormMixin

    class Sample(BootstrapFormMixin, django_forms.Form):
        title = django_forms.CharField()
        count = django_forms.IntegerField()
        kind = django_forms.ChoiceField(choices=[("a", "A")])

    form = Sample({"title": "修路", "count": "many", "kind": "z"})
    assert not form.is_valid()
    assert "is-invalid" not in str(form["title"])
    assert 'class="form-control is-invalid"' in str(form["count"])
    assert 'class="form-select is-invalid"' in str(form["kind"])
    assert "is-invalid" not in str(Sample()["count"])  # an unbound form shows no errors
