"""单位领导审核 of a request to close (办结): where the lead unit asks for it, the liaison's request goes
to the unit's head, who passes it to the office or sends it back with his reason."""

import pytest
from django.urls import reverse

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.directives import services
from duban.directives.models import ACTIVE_STATES, EventKind, State
from duban.notifications.models import Notification
from duban.tests.factories import UserFactory

from .factories import DirectiveFactory


@pytest.fixture
def head(city):
    city.county.requires_head_approval = True
    city.county.save()
    return UserFactory(username="county_head", full_name="陈副县长", unit=city.county, is_unit_head=True)


@pytest.fixture
def directive(city, head):
    return DirectiveFactory(lead_unit=city.county, state=State.IN_PROGRESS, responsible_leader=city.leader)


def asked(directive, city):
    return services.directive_submit_for_approval(
        directive=directive, by=city.county_liaison, note="管网已完工，申请办结。"
    )


def test_the_request_to_close_goes_to_the_head_first(city, directive, head):
    with pytest.raises(TransitionRefused, match="单位领导审核"):
        services.directive_request_completion(directive=directive, by=city.county_liaison, note="已完成")
    directive = asked(directive, city)
    assert directive.state == State.HEAD_REVIEW and State.HEAD_REVIEW in ACTIVE_STATES
    assert Notification.objects.filter(recipient=head, kind="approval").exists()
    directive = services.directive_approve(directive=directive, by=head)
    assert directive.state == State.COMPLETION_REQUESTED
    kinds = list(directive.events.values_list("kind", flat=True))
    assert EventKind.SUBMITTED_FOR_APPROVAL in kinds and EventKind.HEAD_APPROVED in kinds
    # The office then decides as for any request to close.
    assert services.directive_close(directive=directive, by=city.office).state == State.CLOSED


def test_the_head_sends_it_back_with_his_reason(city, directive, head):
    directive = asked(directive, city)
    with pytest.raises(Invalid):
        services.directive_send_back(directive=directive, by=head, note="")
    directive = services.directive_send_back(directive=directive, by=head, note="请补充验收材料")
    assert directive.state == State.IN_PROGRESS
    assert Notification.objects.filter(recipient=city.county_liaison, kind="returned").exists()


@pytest.mark.parametrize("who", ["county_liaison", "office", "leader_user", "liaison"])
def test_only_the_lead_units_head_decides(city, directive, head, who):
    directive = asked(directive, city)
    with pytest.raises(NotPermitted):
        services.directive_approve(directive=directive, by=getattr(city, who))
    with pytest.raises(NotPermitted):
        services.directive_send_back(directive=directive, by=getattr(city, who), note="不是我的")


def test_the_directive_page_offers_each_his_step(city, directive, head, client_for):
    url = reverse("directives:detail", args=[directive.pk])
    page = client_for(city.county_liaison).get(url).content.decode()
    assert "提交单位领导审核" in page
    assert reverse("directives:transition", args=[directive.pk, "request_completion"]) not in page
    asked(directive, city)
    page = client_for(head).get(url).content.decode()
    assert reverse("directives:transition", args=[directive.pk, "approve"]) in page
    home = client_for(head).get(reverse("cockpit:home")).content.decode()
    assert "待我审核的办结申请" in home and url in home
    # Through the page's button: the liaison's click is refused, the head's moves it on.
    client_for(city.county_liaison).post(reverse("directives:transition", args=[directive.pk, "approve"]))
    directive.refresh_from_db()
    assert directive.state == State.HEAD_REVIEW
    client_for(head).post(reverse("directives:transition", args=[directive.pk, "approve"]))
    directive.refresh_from_db()
    assert directive.state == State.COMPLETION_REQUESTED


def test_a_head_flag_outside_a_unit_that_asks_for_it_changes_nothing(city):
    UserFactory(username="housing_head", unit=city.housing, is_unit_head=True)
    directive = DirectiveFactory(lead_unit=city.housing, state=State.IN_PROGRESS)
    with pytest.raises(TransitionRefused, match="未开启"):
        services.directive_submit_for_approval(directive=directive, by=city.housing_liaison, note="已完成")
    directive = services.directive_request_completion(
        directive=directive, by=city.housing_liaison, note="已完成"
    )
    assert directive.state == State.COMPLETION_REQUESTED


def test_only_a_liaison_with_a_unit_may_be_a_unit_head(city):
    from django.core.exceptions import ValidationError

    leader = UserFactory(username="not_a_head", role="leader", unit=city.root, is_unit_head=True)
    with pytest.raises(ValidationError):
        leader.full_clean()
