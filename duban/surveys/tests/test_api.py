"""The API of item 7: rounds, a round with its fields, responses (a liaison his unit's only), summary."""

from decimal import Decimal

import pytest

from .. import services
from ..models import SurveyResponse
from .factories import GOOD

pytestmark = pytest.mark.django_db


def test_the_list_holds_the_rounds_the_user_may_see(city, survey, api_client_for):
    body = api_client_for(city.liaison).get("/api/surveys/").json()
    assert [row["id"] for row in body["results"]] == [survey.pk]
    assert set(body["results"][0]) == {"id", "title", "form_code", "deadline", "state"}
    assert api_client_for(city.housing_liaison).get("/api/surveys/").json()["results"] == []


def test_a_round_names_its_fields_and_their_types(city, survey, api_client_for):
    body = api_client_for(city.liaison).get(f"/api/surveys/{survey.pk}/").json()
    fields = {f["key"]: f for f in body["fields"]}
    assert fields["output"]["type"] == "decimal" and fields["output"]["required"] is True
    assert fields["firms"]["type"] == "table" and fields["firms"]["columns"][0]["key"] == "name"
    assert body["table_number"] == "测统01表"


def test_a_round_of_another_unit_is_a_404(city, survey, api_client_for):
    assert api_client_for(city.housing_liaison).get(f"/api/surveys/{survey.pk}/").status_code == 404
    assert api_client_for(city.housing_liaison).get(f"/api/surveys/{survey.pk}/responses/").status_code == 404
    assert api_client_for(city.housing_liaison).get(f"/api/surveys/{survey.pk}/summary/").status_code == 404


def test_a_liaison_reads_his_units_response_only(city, survey, api_client_for):
    body = api_client_for(city.liaison).get(f"/api/surveys/{survey.pk}/responses/").json()
    assert [row["unit"] for row in body["results"]] == [city.finance.pk]
    assert set(body["results"][0]) >= {"id", "unit", "state", "answers"}


def test_a_liaison_submits_his_units_answers(city, survey, api_client_for):
    response = api_client_for(city.liaison).post(
        f"/api/surveys/{survey.pk}/responses/", {"answers": GOOD, "submit": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert SurveyResponse.objects.get(round=survey, unit=city.finance).answers["output"] == "100"


def test_a_bad_value_answers_400_naming_the_field_and_saves_nothing(city, survey, api_client_for):
    response = api_client_for(city.liaison).post(
        f"/api/surveys/{survey.pk}/responses/",
        {"answers": {**GOOD, "output": "很多"}, "submit": True},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["answers"] == {"output": ["“总产值”须填写数字。"]}
    assert SurveyResponse.objects.get(round=survey, unit=city.finance).state == "draft"
    assert "output" not in SurveyResponse.objects.get(round=survey, unit=city.finance).answers


def test_a_user_with_no_response_in_the_round_cannot_post(city, survey, api_client_for):
    client = api_client_for(city.office)
    assert (
        client.post(f"/api/surveys/{survey.pk}/responses/", {"answers": GOOD}, format="json").status_code
        == 404
    )


def test_the_summary_totals_equal_the_sum_of_the_filed_responses(city, survey, api_client_for):
    finance = SurveyResponse.objects.get(round=survey, unit=city.finance)
    services.response_save(response=finance, by=city.liaison, answers=GOOD, submit=True)
    township = SurveyResponse.objects.get(round=survey, unit=city.township)
    services.response_save(
        response=township,
        by=city.township_liaison,
        answers={**GOOD, "output": "7.5", "part_a": "7.5", "part_b": "0"},
        submit=True,
    )
    county = SurveyResponse.objects.get(round=survey, unit=city.county)
    services.response_save(
        response=county, by=city.county_liaison, answers={"contact": "x"}
    )  # a draft: not counted
    body = api_client_for(city.office).get(f"/api/surveys/{survey.pk}/summary/").json()
    filed = SurveyResponse.objects.filter(round=survey, state__in=["submitted", "returned", "approved"])
    assert body["responses"] == filed.count() == 2
    assert Decimal(str(body["totals"]["output"])) == sum(Decimal(r.answers["output"]) for r in filed)
    assert Decimal(str(body["totals"]["firms.revenue"])) == 60
    mine = api_client_for(city.township_liaison).get(f"/api/surveys/{survey.pk}/summary/").json()
    assert mine["responses"] == 1 and Decimal(str(mine["totals"]["output"])) == Decimal("7.5")
