"""Named predicates: the template's button and the service's refusal ask the same function."""

import pytest
from django.template import Context, Template

from duban.core.errors import NotPermitted
from duban.core.rules import require, rule


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
