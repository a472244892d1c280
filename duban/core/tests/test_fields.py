"""The optional links of core/fields.py are plain foreign keys with exactly the options they name."""

from django.db import models

from duban.core.fields import optional_link, weak_link


def _options(field: models.Field) -> dict:
    return field.deconstruct()[3]


def test_an_optional_link_may_be_empty_and_protects_its_target():
    options = _options(optional_link("organisation.Unit", "上级单位", related_name="children"))
    assert options["null"] and options["blank"]
    assert options["on_delete"] is models.PROTECT
    assert options["related_name"] == "children"


def test_an_optional_link_may_say_what_happens_when_its_target_goes():
    field = optional_link("self", "回复", on_delete=models.CASCADE, related_name="replies")
    assert _options(field)["on_delete"] is models.CASCADE


def test_a_weak_link_is_emptied_with_its_target_and_nothing_links_back():
    options = _options(weak_link("accounts.User", "操作人"))
    assert options["null"] and "blank" not in options
    assert options["on_delete"] is models.SET_NULL
    assert options["related_name"] == "+"


def test_a_weak_link_is_blank_only_when_asked():
    assert _options(weak_link("accounts.User", "提交人", blank=True))["blank"] is True
