"""Why a light is red or yellow: the reasons the board, the home page and the directive page show."""

from datetime import date

from django.urls import reverse

from duban.directives import selectors
from duban.directives.models import Light, MilestoneState, State

from .factories import DirectiveFactory, MilestoneFactory

# A Monday in an ordinary working week of 2026 (no holiday around it).
MONDAY = date(2026, 6, 8)


def reasons(directive, today=MONDAY):
    return [(r["light"], r["text"]) for r in selectors.light_reasons([directive], today=today)[directive.pk]]


def test_a_deadline_passed_says_by_how_many_working_days(city):
    directive = DirectiveFactory(lead_unit=city.finance, deadline=date(2026, 6, 1))  # the Monday before
    assert reasons(directive) == [(Light.RED, "已超过办理时限 5 个工作日（时限 2026-06-01）。")]


def test_a_late_milestone_names_itself_and_its_delay_and_turns_red_past_the_threshold(city):
    directive = DirectiveFactory(lead_unit=city.finance, deadline=date(2026, 12, 31))
    MilestoneFactory(directive=directive, title="完成可研批复", due_on=date(2026, 6, 4))
    MilestoneFactory(directive=directive, title="完成招标", due_on=date(2026, 5, 25))
    MilestoneFactory(
        directive=directive, title="已完成的", due_on=date(2026, 5, 1), state=MilestoneState.DONE
    )
    assert reasons(directive)[:2] == [
        (Light.RED, "节点“完成招标”逾期 10 个工作日（节点时限 2026-05-25）。"),
        (Light.YELLOW, "节点“完成可研批复”逾期 2 个工作日（节点时限 2026-06-04）。"),
    ]
    assert reasons(directive)[2][0] == Light.GREEN


def test_a_deadline_close_says_how_many_working_days_are_left_and_a_far_one_is_green(city):
    near = DirectiveFactory(lead_unit=city.finance, deadline=date(2026, 6, 10))
    far = DirectiveFactory(lead_unit=city.finance, deadline=date(2026, 7, 31))
    assert reasons(near) == [(Light.YELLOW, "距办理时限仅剩 2 个工作日（2026-06-10）。")]
    assert reasons(far)[0][0] == Light.GREEN and "还有" in reasons(far)[0][1]


def test_a_directive_not_being_worked_on_has_no_light_and_no_reason(city):
    closed = DirectiveFactory(lead_unit=city.finance, state=State.CLOSED)
    assert reasons(closed) == []


def test_the_board_the_home_page_and_the_directive_page_say_why_it_is_red(city, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    directive = DirectiveFactory(
        lead_unit=city.finance, deadline=date(today.year - 1, 12, 1), light=Light.RED, title="逾期的事项"
    )
    client = client_for(city.office)
    for url in (
        reverse("directives:board"),
        reverse("cockpit:home"),
        reverse("directives:detail", args=[directive.pk]),
    ):
        assert "已超过办理时限" in client.get(url).content.decode(), url


def test_the_reasons_of_a_page_take_the_same_queries_for_3_or_30_directives(
    city, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page(n):
        rows = [DirectiveFactory(lead_unit=city.finance, deadline=date(2026, 6, 1)) for _ in range(n)]
        for row in rows:
            MilestoneFactory(directive=row, due_on=date(2026, 5, 1))
        return rows

    few = page(3)
    with CaptureQueriesContext(connection) as counted:
        selectors.with_light_reasons(few, today=MONDAY)
    many = page(30)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        selectors.with_light_reasons(many, today=MONDAY)
