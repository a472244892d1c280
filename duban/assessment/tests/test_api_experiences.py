"""The experiences API: the list page's rows, the showcase, an experience read as its page reads it, a
liaison submitting for his unit, and the office's select/publish/reject with the pages' rules."""

import pytest
from django.urls import reverse

from duban.assessment.models import ExperienceState, TypicalExperience
from duban.tests.lists import assert_queries_do_not_grow

from .factories import experience_of

API = "/api/assessment/experiences/"


def test_the_experience_list_and_the_api_agree(city, page_and_api_agree):
    experience_of(city)
    experience_of(city, by=city.county_liaison, title="县里的经验")

    for who, expected in (("office", 2), ("liaison", 1), ("housing_liaison", 0)):
        rows = page_and_api_agree(
            getattr(city, who), reverse("assessment:experience_list"), API, {"state": "submitted"}
        )
        assert len(rows) == expected


def test_the_api_list_s_queries_do_not_grow_with_its_rows(
    city, api_client_for, django_assert_max_num_queries
):
    experience_of(city)
    client = api_client_for(city.office)
    client.get(API)
    for n in range(5):
        experience_of(city, title=f"经验{n}")

    with django_assert_max_num_queries(8):
        assert len(client.get(API).json()["results"]) == 6


def test_a_liaison_submits_for_his_unit_and_reads_it_back(city, api_client_for):
    client = api_client_for(city.liaison)

    response = client.post(API, {"title": "清单化闭环管理", "summary": "做法……", "unit": city.county.pk})

    assert response.status_code == 201, response.json()
    experience = TypicalExperience.objects.get()
    assert (experience.unit, experience.submitted_by, experience.state) == (
        city.finance,
        city.liaison,
        "submitted",
    )
    body = client.get(f"{API}{experience.pk}/").json()
    assert (body["unit"], body["title"], body["evidence"]) == (city.finance.pk, "清单化闭环管理", [])


@pytest.mark.parametrize("who", ["office", "leader_user", "finance_user"])
def test_only_a_unit_s_liaison_submits(city, api_client_for, who):
    response = api_client_for(getattr(city, who)).post(API, {"title": "经验", "summary": "做法"})

    assert response.status_code == 403
    assert not TypicalExperience.objects.exists()


def test_a_submission_without_a_title_is_a_400_and_writes_nothing(city, api_client_for):
    response = api_client_for(city.liaison).post(API, {"summary": "做法"})

    assert response.status_code == 400 and "title" in response.json()["fields"]
    assert not TypicalExperience.objects.exists()


def test_another_unit_reads_an_experience_once_published_and_on_the_showcase(city, api_client_for):
    experience = experience_of(city)
    housing = api_client_for(city.housing_liaison)
    assert housing.get(f"{API}{experience.pk}/").status_code == 404
    assert housing.get(f"{API}showcase/").json()["results"] == []

    response = api_client_for(city.office).post(f"{API}{experience.pk}/publish/", {"note": "值得推广"})

    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["decision"]) == ("published", "值得推广")
    assert housing.get(f"{API}{experience.pk}/").json()["state"] == "published"
    assert [row["id"] for row in housing.get(f"{API}showcase/").json()["results"]] == [experience.pk]
    assert housing.get(API).json()["results"] == []  # the list page's rows: his unit's own


@pytest.mark.parametrize(("step", "state"), [("select", "selected"), ("reject", "rejected")])
def test_the_office_selects_or_rejects(city, api_client_for, step, state):
    experience = experience_of(city)

    response = api_client_for(city.office).post(f"{API}{experience.pk}/{step}/", {})

    assert response.status_code == 200 and response.json()["state"] == state
    experience.refresh_from_db()
    assert experience.state == state and experience.decided_by == city.office


@pytest.mark.parametrize("step", ["select", "publish", "reject"])
def test_a_liaison_may_not_decide_his_own_experience(city, api_client_for, step):
    experience = experience_of(city)

    response = api_client_for(city.liaison).post(f"{API}{experience.pk}/{step}/", {})

    assert response.status_code == 403
    experience.refresh_from_db()
    assert experience.state == ExperienceState.SUBMITTED and experience.decided_by is None


def test_a_published_experience_is_not_decided_again(city, api_client_for):
    experience = experience_of(city)
    office = api_client_for(city.office)
    office.post(f"{API}{experience.pk}/publish/", {})

    response = office.post(f"{API}{experience.pk}/reject/", {})

    assert response.status_code == 403
    experience.refresh_from_db()
    assert experience.state == ExperienceState.PUBLISHED


def test_another_unit_s_experience_is_a_404_to_its_steps(city, api_client_for):
    experience = experience_of(city)

    response = api_client_for(city.housing_liaison).post(f"{API}{experience.pk}/publish/", {})

    assert response.status_code == 404
    experience.refresh_from_db()
    assert experience.state == ExperienceState.SUBMITTED


def test_the_showcase_s_queries_do_not_grow_with_its_rows(city, client_for, api_client_for):
    office = api_client_for(city.office)

    def publish_more():
        for n in range(3):
            experience = experience_of(city, title=f"经验{n}")
            office.post(f"{API}{experience.pk}/publish/", {})

    publish_more()
    assert_queries_do_not_grow(
        client_for(city.housing_liaison), f"{API}showcase/", add_rows=publish_more, most=8
    )
