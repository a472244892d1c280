"""The API of item 6: schemes, a period's ranking with each row's breakdown, appeals and manual entries,
with the same rules as the pages."""

from decimal import Decimal

import pytest

from duban.accounts.roles import Role
from duban.assessment.models import AppealState, Visibility
from duban.tests.factories import LeaderFactory, UserFactory

from .factories import appeal_of, draft_period, entry_of, published_period


@pytest.fixture
def public(city):
    return published_period(city)


@pytest.fixture
def internal(city):
    return published_period(city, visibility=Visibility.INTERNAL, name="季度暗赛")


def test_the_scheme_list_names_id_name_visibility_and_period_type(city, api_client_for, public):
    body = api_client_for(city.liaison).get("/api/assessment/schemes/").json()

    assert body["results"] == [
        {"id": public.scheme_id, "name": "月度考核", "visibility": "public", "period_type": "month"}
    ]


def test_the_ranking_answers_every_row_with_a_breakdown_adding_up_to_its_score(city, api_client_for, public):
    body = (
        api_client_for(city.liaison)
        .get(f"/api/assessment/schemes/{public.scheme_id}/ranking/?period=2026-03")
        .json()
    )

    assert (body["period"], body["state"], body["scheme"]["id"]) == ("2026-03", "published", public.scheme_id)
    assert {row["unit"]["id"] for row in body["rows"]} == {city.county.pk, city.finance.pk, city.housing.pk}
    for row in body["rows"]:
        assert set(row) >= {"unit", "group", "score", "rank", "rank_change", "grade", "breakdown"}
        assert abs(
            sum(Decimal(str(line["points"])) for line in row["breakdown"]) - Decimal(str(row["score"]))
        ) <= Decimal("0.01")
        assert all(
            set(line) >= {"indicator", "weight", "value", "points", "records_url"}
            for line in row["breakdown"]
        )
    finance = next(row for row in body["rows"] if row["unit"]["id"] == city.finance.pk)
    assert f"unit={city.finance.pk}" in finance["breakdown"][0]["records_url"]


def test_the_ranking_without_a_period_is_the_latest_published(city, api_client_for, public):
    body = api_client_for(city.office).get(f"/api/assessment/schemes/{public.scheme_id}/ranking/").json()

    assert body["period"] == "2026-03"


def test_a_period_with_no_ranking_is_a_404_and_a_bad_one_a_400(city, api_client_for, public):
    client = api_client_for(city.office)

    assert (
        client.get(f"/api/assessment/schemes/{public.scheme_id}/ranking/?period=2025-01").status_code == 404
    )
    assert client.get(f"/api/assessment/schemes/{public.scheme_id}/ranking/?period=March").status_code == 400


def test_an_internal_scheme_answers_404_to_a_liaison_and_its_ranking_to_a_leader(
    city, api_client_for, internal
):
    url = f"/api/assessment/schemes/{internal.scheme_id}/ranking/?period=2026-03"

    assert api_client_for(city.liaison).get(url).status_code == 404
    assert (
        api_client_for(city.liaison).get(f"/api/assessment/schemes/{internal.scheme_id}/").status_code == 404
    )
    assert api_client_for(city.leader_user).get(url).status_code == 200


def test_a_liaison_appeals_and_the_office_upholds_making_a_new_version(city, api_client_for, public):
    closure = public.scheme.indicators.get(key="closure")
    created = api_client_for(city.liaison).post(
        "/api/assessment/appeals/",
        {"period": public.pk, "indicator": closure.pk, "reason": "已办结", "claimed_value": "1"},
        format="json",
    )
    decided = api_client_for(city.office).post(
        f"/api/assessment/appeals/{created.json()['id']}/decide/",
        {"upheld": True, "decision": "属实"},
        format="json",
    )
    old = api_client_for(city.liaison).get(
        f"/api/assessment/schemes/{public.scheme_id}/ranking/?period=2026-03&version=1"
    )

    assert created.status_code == 201
    assert decided.json()["state"] == AppealState.UPHELD and decided.json()["revision_version"] == 2
    assert old.json()["version"] == 1


def test_the_office_may_not_appeal_and_a_liaison_may_not_decide(city, api_client_for, public):
    closure = public.scheme.indicators.get(key="closure")
    appeal = appeal_of(city, public)

    refused = api_client_for(city.office).post(
        "/api/assessment/appeals/",
        {"period": public.pk, "indicator": closure.pk, "reason": "x"},
        format="json",
    )
    not_his = api_client_for(city.liaison).post(
        f"/api/assessment/appeals/{appeal.pk}/decide/", {"upheld": True, "decision": "x"}, format="json"
    )

    assert refused.status_code == 403
    assert not_his.status_code == 403


def test_another_unit_gets_404_on_an_appeal(city, api_client_for, public):
    appeal = appeal_of(city, public)

    assert (
        api_client_for(city.housing_liaison).get(f"/api/assessment/appeals/{appeal.pk}/").status_code == 404
    )


def test_a_leader_enters_a_score_and_the_office_approves_it(city, api_client_for):
    period = draft_period(city)
    criticised = period.scheme.indicators.get(key="criticised")

    created = api_client_for(city.leader_user).post(
        "/api/assessment/entries/",
        {
            "period": period.pk,
            "indicator": criticised.pk,
            "unit": city.county.pk,
            "value": "1",
            "note": "通报批评",
        },
        format="json",
    )
    approved = api_client_for(city.office).post(
        f"/api/assessment/entries/{created.json()['id']}/approve/", {}, format="json"
    )

    assert created.status_code == 201 and created.json()["reviewer"] == city.leader_user.pk
    assert approved.json()["state"] == "approved"


def test_the_named_reviewer_reads_the_entry_he_scored_outside_his_portfolio_and_no_other_leader_does(
    city, api_client_for
):
    period = draft_period(city)
    criticised = period.scheme.indicators.get(key="criticised")
    leader = api_client_for(city.leader_user)
    created = leader.post(
        "/api/assessment/entries/",
        {"period": period.pk, "indicator": criticised.pk, "unit": city.county.pk, "value": "1", "note": "x"},
        format="json",
    ).json()
    other = LeaderFactory(
        name="王副市长", user=UserFactory(username="leader2", role=Role.LEADER, unit=city.root)
    )
    other.units.set([city.housing])

    assert leader.get(f"/api/assessment/entries/{created['id']}/").status_code == 200
    assert [e["id"] for e in leader.get("/api/assessment/entries/").json()["results"]] == [created["id"]]
    assert api_client_for(other.user).get(f"/api/assessment/entries/{created['id']}/").status_code == 404


def test_a_liaison_may_not_enter_nor_approve_a_score(city, api_client_for):
    period = draft_period(city)
    criticised = period.scheme.indicators.get(key="criticised")
    entry = entry_of(city, period)

    entered = api_client_for(city.county_liaison).post(
        "/api/assessment/entries/",
        {"period": period.pk, "indicator": criticised.pk, "unit": city.county.pk, "value": "-5", "note": "x"},
        format="json",
    )
    approved = api_client_for(city.county_liaison).post(
        f"/api/assessment/entries/{entry.pk}/approve/", {}, format="json"
    )

    assert entered.status_code == 403
    assert approved.status_code == 403


def test_a_scheme_shows_its_grading_groups_members_weights_and_indicator_tree(
    city, api_client_for, public, django_assert_max_num_queries
):
    client = api_client_for(city.liaison)
    with django_assert_max_num_queries(12):
        body = client.get(f"/api/assessment/schemes/{public.scheme_id}/").json()

    assert (body["grading"], body["grades"][0]) == ("bands", [90, "优秀"])
    groups = {group["name"]: group for group in body["groups"]}
    assert [m["unit"]["id"] for m in groups["市直部门"]["members"]] == [city.finance.pk, city.housing.pk]
    closure = next(i for i in body["indicators"] if i["key"] == "closure")
    assert groups["市直部门"]["weights"] == [{"indicator": closure["id"], "weight": "50.00"}]
    work = body["indicators"][0]
    assert (work["key"], work["level"], work["parent"]) == ("work", 1, None)
    assert closure["parent"] == work["id"] and closure["level"] == 2
    assert closure["params"] == {"target": 1, "cap": 1} and closure["source"] == "closure_rate"


def test_an_internal_scheme_s_tree_is_a_404_to_a_liaison(city, api_client_for, internal):
    assert (
        api_client_for(city.liaison).get(f"/api/assessment/schemes/{internal.scheme_id}/").status_code == 404
    )
