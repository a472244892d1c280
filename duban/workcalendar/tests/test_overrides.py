from datetime import date

import pytest
from django.urls import reverse

from duban.workcalendar import selectors
from duban.workcalendar.models import CalendarOverride


@pytest.mark.django_db
def test_an_override_in_the_table_changes_the_calendar_at_once():
    assert not selectors.is_working_day(date(2099, 1, 3))
    CalendarOverride.objects.create(day=date(2099, 1, 3), is_working_day=True, name="调休上班")
    assert selectors.is_working_day(date(2099, 1, 3))


def test_office_adds_an_override_through_the_page(city, client_for):
    response = client_for(city.office).post(
        reverse("workcalendar:override_list"), {"day": "2099-02-01", "is_working_day": "", "name": "春节"}
    )
    assert response.status_code == 302
    assert not selectors.is_working_day(date(2099, 2, 1))


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_only_the_office_opens_the_calendar_page(city, client_for, who):
    response = client_for(getattr(city, who)).get(reverse("workcalendar:override_list"))
    assert response.status_code == 403


def test_working_days_api_adds_days(city, api_client_for):
    response = api_client_for(city.liaison).get(
        "/api/calendar/working-days/", {"start": "2024-09-30", "days": 1, "end": "2024-10-12"}
    )
    assert response.status_code == 200
    assert response.json()["date"] == "2024-10-08"
    assert response.json()["working_days_between"] == 5


def test_working_days_api_refuses_anonymous_callers(client):
    assert client.get("/api/calendar/working-days/", {"start": "2024-09-30"}).status_code in (401, 403)


@pytest.mark.parametrize("who", ["liaison", "leader_user"])
def test_only_the_office_deletes_calendar_overrides(city, client_for, who):
    override = CalendarOverride.objects.create(day="2099-01-01", is_working_day=False, name="元旦")
    url = reverse("workcalendar:override_delete", args=[override.pk])
    assert client_for(getattr(city, who)).post(url).status_code == 403
    assert CalendarOverride.objects.filter(pk=override.pk).exists()
    assert client_for(city.office).post(url).status_code == 302
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()


def test_a_second_override_of_the_same_day_is_refused_beside_the_day(city, client_for):
    CalendarOverride.objects.create(day="2099-02-01", is_working_day=False, name="春节")
    response = client_for(city.office).post(
        reverse("workcalendar:override_list"), {"day": "2099-02-01", "is_working_day": "on", "name": "调休"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["day"]
    assert CalendarOverride.objects.get(day="2099-02-01").name == "春节"


def test_the_services_refuse_a_user_outside_the_office(city):
    from duban.core.errors import NotPermitted
    from duban.workcalendar import services

    with pytest.raises(NotPermitted):
        services.calendar_override_create(by=city.liaison, day=date(2099, 3, 1), is_working_day=True)


def test_the_page_computes_working_days_and_pages_without_the_calculator(city, client_for):
    client = client_for(city.office)
    assert client.get(reverse("workcalendar:override_list"), {"start": "2024-09-30", "days": 1}).context[
        "answer"
    ] == date(2024, 10, 8)
    assert not client.get(reverse("workcalendar:override_list"), {"page": 2}).context["query"].is_bound


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"start": "2024-13-01"},
        {"start": "30/09/2024"},
        {"start": "2024-09-30", "days": "many"},
        {"start": "2024-09-30", "days": 99999},
        {"start": "2024-09-30", "end": "someday"},
    ],
)
def test_working_days_api_answers_bad_input_with_a_400_naming_the_field(city, api_client_for, query):
    response = api_client_for(city.liaison).get("/api/calendar/working-days/", query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["fields"]


def test_the_calendar_page_queries_do_not_grow_with_the_overrides(city, client_for):
    from datetime import timedelta

    from duban.tests.lists import assert_queries_do_not_grow

    CalendarOverride.objects.create(day=date(2098, 1, 1), is_working_day=False)

    def add_overrides():
        CalendarOverride.objects.bulk_create(
            CalendarOverride(day=date(2099, 1, 1) + timedelta(days=n), is_working_day=False)
            for n in range(40)
        )

    assert_queries_do_not_grow(
        client_for(city.office), reverse("workcalendar:override_list"), add_rows=add_overrides, most=10
    )
