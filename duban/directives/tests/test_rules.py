"""Who may do what: the predicates the directive page shows its buttons with and the services refuse with."""

from datetime import date

import pytest
from django.urls import reverse

from duban.core.errors import NotPermitted, TransitionRefused
from duban.directives import rules, services
from duban.directives.models import Directive, Light, State

from .factories import DirectiveFactory


@pytest.mark.parametrize(
    "who,state,allowed",
    [
        ("liaison", State.ASSIGNED, True),
        ("liaison", State.IN_PROGRESS, True),
        ("liaison", State.COMPLETION_REQUESTED, False),
        ("liaison", State.CLOSED, False),
        ("housing_liaison", State.IN_PROGRESS, False),  # a co-operating unit does not report
        ("office", State.IN_PROGRESS, False),
        ("leader_user", State.IN_PROGRESS, False),
    ],
)
def test_only_the_lead_units_liaison_reports_progress_on_work_under_way(city, directive, who, state, allowed):
    directive.state = state
    assert rules.may_report_progress(getattr(city, who), directive) is allowed


def test_the_service_refuses_progress_with_the_same_rule(city, directive):
    with pytest.raises(NotPermitted):
        services.progress_report_add(directive=directive, by=city.housing_liaison, text="x", percent=10)
    Directive.objects.filter(pk=directive.pk).update(state=State.COMPLETION_REQUESTED)
    with pytest.raises(TransitionRefused):
        services.progress_report_add(directive=directive, by=city.liaison, text="x", percent=10)


@pytest.mark.parametrize(
    "who,buttons,hidden",
    [
        ("office", ["编辑", "催办", "批示"], ["报送进展"]),
        ("liaison", ["报送进展", "分解子任务", "新增节点"], ["编辑", "催办"]),
        ("leader_user", ["批示"], ["报送进展", "编辑", "新增节点"]),
        ("housing_liaison", [], ["报送进展", "编辑", "新增节点", "分解子任务"]),
    ],
)
def test_the_directive_page_shows_each_user_the_buttons_the_rules_allow(
    city, client_for, directive, who, buttons, hidden
):
    page = (
        client_for(getattr(city, who)).get(reverse("directives:detail", args=[directive.pk])).content.decode()
    )
    for label in buttons:
        assert f">{label}<" in page, label
    for label in hidden:
        assert f">{label}<" not in page, label


def test_a_notice_is_offered_for_red_work_only_and_only_to_the_office(city):
    red = DirectiveFactory(lead_unit=city.finance, light=Light.RED, deadline=date(2026, 3, 1))
    assert rules.may_issue_notice(city.office, red)
    assert not rules.may_issue_notice(city.liaison, red)
    red.light = Light.GREEN
    assert not rules.may_issue_notice(city.office, red)


def test_a_directive_waiting_for_its_closure_is_not_split(city, directive):
    directive.state = State.COMPLETION_REQUESTED
    assert not rules.may_split(city.liaison, directive)
    directive.state = State.IN_PROGRESS
    assert rules.may_split(city.liaison, directive) and rules.may_split(city.office, directive)
