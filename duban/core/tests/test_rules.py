"""Named predicates: the template's button and the service's refusal ask the same function."""

import pytest
from django.template import Context, Template

from duban.core.errors import NotPermitted
from duban.core.rules import require, rule, step_rule
from duban.core.workflow import OFFICE, Transition, Workflow, office_or_unit


@rule
def may_open_the_safe(user, safe) -> bool:
    return user.username == safe["owner"]


def test_a_rule_is_registered_under_its_app_and_name_for_templates(city):
    template = Template('{% load rules %}{% test_rule "core.may_open_the_safe" user safe as may %}{{ may }}')
    assert template.render(Context({"user": city.office, "safe": {"owner": "office"}})) == "True"
    assert template.render(Context({"user": city.liaison, "safe": {"owner": "office"}})) == "False"


def test_require_refuses_with_a_permission_error_in_words(city):
    require(may_open_the_safe, city.office, {"owner": "office"})
    with pytest.raises(NotPermitted) as refused:
        require(may_open_the_safe, city.liaison, {"owner": "office"}, message="只有保管人可以打开。")
    assert refused.value.message == "只有保管人可以打开。"
    assert refused.value.status == 403


SAFE = Workflow(
    transitions=[Transition("open", "打开", {"closed"}, "open", actors={OFFICE})], actors=office_or_unit
)
may_open = step_rule("core.may_open", SAFE, "open")


class Safe:
    def __init__(self, state):
        self.state = state


def test_a_step_rule_asks_the_table_for_the_button_and_is_registered_for_templates(city):
    assert may_open(city.office, Safe("closed"))
    assert not may_open(city.office, Safe("open"))
    assert not may_open(city.liaison, Safe("closed"))
    template = Template('{% load rules %}{% test_rule "core.may_open" user safe as may %}{{ may }}')
    assert template.render(Context({"user": city.office, "safe": Safe("closed")})) == "True"
