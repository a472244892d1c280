"""The REST API: scoped reads, writes through the services, refusals for the wrong user."""

import pytest

from duban.tests.factories import ThemeFactory
from duban.weekly import services
from duban.weekly.models import AgendaKind, ReportState, WeeklyReport

from .conftest import fill


def test_a_liaison_lists_only_its_own_reports(city, finance_report, api_client_for):
    data = api_client_for(city.liaison).get("/api/weekly/reports/").json()
    assert [r["unit"] for r in data["results"]] == [city.finance.pk]
    other = WeeklyReport.objects.get(unit=city.county)
    assert api_client_for(city.liaison).get(f"/api/weekly/reports/{other.pk}/").status_code == 404


def test_a_unit_cannot_read_another_units_draft_through_the_api(city, finance_report, api_client_for):
    item = finance_report.items.first()
    services.item_save(item=item, by=city.liaison, done_this_week="草稿", percent=1)
    client = api_client_for(city.housing_liaison)
    assert client.get(f"/api/weekly/items/{item.pk}/").status_code == 404
    assert (
        client.patch(f"/api/weekly/items/{item.pk}/", {"done_this_week": "x"}, format="json").status_code
        == 404
    )
    assert client.get("/api/weekly/items/").json()["count"] == 0
    leader = api_client_for(city.leader_user)
    assert leader.get(f"/api/weekly/reports/{finance_report.pk}/").status_code == 404


def test_a_liaison_fills_and_submits_through_the_api(city, finance_report, api_client_for):
    client = api_client_for(city.liaison)
    for item in finance_report.items.all():
        response = client.patch(
            f"/api/weekly/items/{item.pk}/", {"done_this_week": "完成", "percent": 70}, format="json"
        )
        assert response.status_code == 200, response.content
    response = client.post(f"/api/weekly/reports/{finance_report.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["state"] == ReportState.SUBMITTED
    again = client.patch(f"/api/weekly/items/{item.pk}/", {"problems": "晚了"}, format="json")
    assert again.status_code == 409


def test_the_office_cannot_file_and_a_liaison_cannot_reopen(city, finance_report, api_client_for):
    item = finance_report.items.first()
    office = api_client_for(city.office)
    assert (
        office.patch(f"/api/weekly/items/{item.pk}/", {"done_this_week": "代填"}, format="json").status_code
        == 403
    )
    fill(finance_report, city.liaison)
    services.report_submit(report=finance_report, by=city.liaison)
    liaison = api_client_for(city.liaison)
    assert liaison.post(f"/api/weekly/reports/{finance_report.pk}/reopen/").status_code == 403
    assert office.post(f"/api/weekly/reports/{finance_report.pk}/reopen/").status_code == 200


def test_cycles_are_listed_for_everyone(city, cycle, api_client_for):
    for user in (city.office, city.liaison, city.leader_user):
        data = api_client_for(user).get("/api/weekly/cycles/").json()
        assert data["results"][0]["issue_number"] == 1


def test_decisions_through_the_api(city, weekly, api_client_for):
    item = weekly.agenda.get(kind=AgendaKind.RED)
    assert api_client_for(city.liaison).get("/api/weekly/decisions/").json()["count"] == 0
    assert (
        api_client_for(city.liaison).post(f"/api/weekly/decisions/{item.pk}/decide/", {}).status_code == 404
    )
    leader = api_client_for(city.leader_user)
    assert leader.get("/api/weekly/decisions/").json()["count"] == 2
    response = leader.post(f"/api/weekly/decisions/{item.pk}/decide/", {"decision": "x"}, format="json")
    assert response.status_code == 403
    theme = ThemeFactory(code="city", name="城市功能")
    response = api_client_for(city.office).post(
        f"/api/weekly/decisions/{item.pk}/decide/",
        {
            "decision": "新立事项",
            "action": "new_directive",
            "unit": city.housing.pk,
            "deadline": "2026-12-31",
            "theme": theme.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["resulting_directive_id"]


@pytest.fixture
def agenda_item(weekly):
    return weekly.agenda.get(kind=AgendaKind.RED)


@pytest.mark.parametrize("field", ["unit", "theme", "leader"])
def test_a_decision_naming_an_unknown_unit_theme_or_leader_is_a_400_naming_it(
    city, agenda_item, api_client_for, field
):
    response = api_client_for(city.office).post(
        f"/api/weekly/decisions/{agenda_item.pk}/decide/",
        {"decision": "新立", "action": "new_directive", "deadline": "2026-12-31", field: 999999},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "fields"} and field in response.json()["fields"]


def test_a_decision_carried_out_is_a_409_when_decided_again(city, agenda_item, api_client_for):
    client = api_client_for(city.office)
    url = f"/api/weekly/decisions/{agenda_item.pk}/decide/"
    body = {"decision": "延期", "action": "new_deadline", "deadline": "2027-01-31"}
    assert client.post(url, body, format="json").status_code == 200
    response = client.post(url, body, format="json")
    assert response.status_code == 409 and response.json()["code"] == "transition_refused"


@pytest.mark.parametrize("version", ["abc", "-1", "1.5"])
def test_a_bad_version_is_a_400_and_a_stale_one_a_409(city, finance_report, api_client_for, version):
    fill(finance_report, city.liaison)
    client = api_client_for(city.liaison)
    url = f"/api/weekly/reports/{finance_report.pk}/submit/"
    response = client.post(url, {"version": version}, format="json")
    assert response.status_code == 400 and "version" in response.json()["fields"]
    assert client.post(url, {"version": 1}, format="json").status_code == 409


def test_submitting_with_unfilled_items_is_a_409_listing_them(city, finance_report, api_client_for):
    response = api_client_for(city.liaison).post(f"/api/weekly/reports/{finance_report.pk}/submit/")
    assert response.status_code == 409 and "尚未填写" in response.json()["detail"]


def test_the_office_reopens_with_a_reason_through_the_api(city, finance_report, api_client_for):
    fill(finance_report, city.liaison)
    services.report_submit(report=finance_report, by=city.liaison)
    response = api_client_for(city.office).post(
        f"/api/weekly/reports/{finance_report.pk}/reopen/", {"reason": "请补充"}, format="json"
    )
    assert response.status_code == 200 and response.json()["reopen_reason"] == "请补充"
