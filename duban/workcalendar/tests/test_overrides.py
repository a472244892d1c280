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
