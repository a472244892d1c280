"""The board's filters the cockpit's cards open: overdue, due within N working days, awaiting my decision."""

from datetime import timedelta

from django.utils import timezone

from duban.directives.models import State
from duban.directives.tests.factories import DirectiveFactory
from duban.tests.factories import UserFactory
from duban.workcalendar.selectors import add_working_days


def test_awaiting_me_is_the_unit_heads_requests_to_close_and_nothing_for_a_liaison(city, page_and_api_agree):
    waiting = DirectiveFactory(lead_unit=city.finance, state=State.HEAD_REVIEW)
    DirectiveFactory(lead_unit=city.housing, state=State.HEAD_REVIEW)
    DirectiveFactory(lead_unit=city.finance, state=State.COMPLETION_REQUESTED)
    head = UserFactory(username="head", role="liaison", unit=city.finance, is_unit_head=True)
    query = {"awaiting": "me"}
    assert page_and_api_agree(head, "/directives/", "/api/directives/", query) == [waiting.pk]
    assert page_and_api_agree(city.liaison, "/directives/", "/api/directives/", query) == []


def test_awaiting_me_is_the_offices_requests_to_close_and_to_extend(city, page_and_api_agree):
    closing = DirectiveFactory(lead_unit=city.finance, state=State.COMPLETION_REQUESTED)
    extending = DirectiveFactory(
        lead_unit=city.housing,
        state=State.IN_PROGRESS,
        extension_until=timezone.localdate() + timedelta(days=9),
    )
    DirectiveFactory(lead_unit=city.housing, state=State.IN_PROGRESS)
    rows = page_and_api_agree(city.office, "/directives/", "/api/directives/", {"awaiting": "me"})
    assert sorted(rows) == sorted([closing.pk, extending.pk])


def test_due_within_counts_working_days_from_today_and_only_open_work(city, page_and_api_agree):
    today = timezone.localdate()
    soon = DirectiveFactory(
        lead_unit=city.finance, state=State.IN_PROGRESS, deadline=add_working_days(today, 5)
    )
    DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS, deadline=add_working_days(today, 6))
    DirectiveFactory(lead_unit=city.finance, state=State.CLOSED, deadline=add_working_days(today, 1))
    DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS, deadline=today - timedelta(days=1))
    assert page_and_api_agree(city.office, "/directives/", "/api/directives/", {"due_within": 5}) == [soon.pk]


def test_overdue_is_open_work_past_its_deadline(city, page_and_api_agree):
    today = timezone.localdate()
    late = DirectiveFactory(lead_unit=city.finance, state=State.ASSIGNED, deadline=today - timedelta(days=1))
    DirectiveFactory(lead_unit=city.finance, state=State.CLOSED, deadline=today - timedelta(days=1))
    DirectiveFactory(lead_unit=city.finance, state=State.ASSIGNED, deadline=today)
    assert page_and_api_agree(city.office, "/directives/", "/api/directives/", {"overdue": "true"}) == [
        late.pk
    ]


def test_a_due_within_out_of_range_is_refused_by_the_api(city, api_client_for):
    assert api_client_for(city.office).get("/api/directives/", {"due_within": 999}).status_code == 400


def test_given_is_the_lead_units_work_given_to_it_as_the_assessment_counts_it(city, page_and_api_agree):
    given = DirectiveFactory(lead_unit=city.finance, state=State.ASSIGNED)
    DirectiveFactory(lead_unit=city.finance, state=State.DRAFT)
    DirectiveFactory(lead_unit=city.finance, state=State.CANCELLED)
    DirectiveFactory(lead_unit=city.housing, state=State.ASSIGNED, co_units=[city.finance])
    query = {"lead_unit": city.finance.pk, "given": "true"}
    assert page_and_api_agree(city.office, "/directives/", "/api/directives/", query) == [given.pk]
    assert (
        len(page_and_api_agree(city.office, "/directives/", "/api/directives/", {"unit": city.finance.pk}))
        == 4
    )
