"""Who sees what: the office and every leader see all campaigns; a liaison sees his unit's; every page
and endpoint refuses the wrong user (a 404 out of reach, a 403 for an action not his)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.accounts.roles import Role
from duban.tests.factories import LeaderFactory, UserFactory

from .. import selectors, services
from .factories import MeasureFactory, docx_upload, open_campaign


@pytest.fixture
def campaigns(city):
    finance = open_campaign(city, unit=city.finance)
    housing = open_campaign(city, unit=city.housing)
    services.evidence_upload(campaign=housing, by=city.housing_liaison, title="报告", upload=docx_upload())
    return finance, housing


def test_a_liaison_sees_only_his_units_campaigns_on_the_page_and_through_the_api(
    city, campaigns, client_for, api_client_for
):
    finance, housing = campaigns
    page = client_for(city.liaison).get(reverse("incentives:campaign_list"))
    assert [c.pk for c in page.context["page_obj"]] == [finance.pk]
    body = api_client_for(city.liaison).get("/api/incentives/campaigns/").json()
    assert [item["id"] for item in body["results"]] == [finance.pk]


def test_the_office_and_every_leader_see_all_campaigns(city, campaigns):
    other_leader = UserFactory(username="leader2", role=Role.LEADER, unit=city.root)
    LeaderFactory(name="王建国", user=other_leader)  # in charge of no unit of these campaigns
    for user in (city.office, city.leader_user, other_leader):
        assert set(selectors.campaign_list(user=user).values_list("pk", flat=True)) == {
            c.pk for c in campaigns
        }


def test_a_county_campaigns_county_liaison_sees_it(city):
    campaign = open_campaign(city, unit=city.finance, county=city.county)
    assert list(selectors.campaign_list(user=city.county_liaison)) == [campaign]
    assert list(selectors.campaign_list(user=city.housing_liaison)) == []


@pytest.mark.parametrize(
    "name",
    ["campaign_detail", "campaign_dossier", "campaign_edit", "criterion_add"],
)
def test_another_units_liaison_gets_a_404_on_a_campaigns_pages(city, campaigns, client_for, name):
    _finance, housing = campaigns
    assert client_for(city.liaison).get(reverse(f"incentives:{name}", args=[housing.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["campaign_submit", "campaign_withdraw", "campaign_decide", "evidence_upload"]
)
def test_another_units_liaison_gets_a_404_on_a_campaigns_buttons(city, campaigns, client_for, name):
    _finance, housing = campaigns
    assert (
        client_for(city.liaison).post(reverse(f"incentives:{name}", args=[housing.pk]), {}).status_code == 404
    )


def test_another_units_liaison_cannot_reach_a_criterion_or_an_evidence_file(city, campaigns, client_for):
    _finance, housing = campaigns
    criterion = services.criterion_add(
        campaign=housing, by=city.office, text="x", source="y", live_source="bond_issuance"
    )
    version = housing.evidence.get().files.get()
    client = client_for(city.liaison)
    assert client.get(reverse("incentives:criterion_edit", args=[criterion.pk])).status_code == 404
    assert client.post(reverse("incentives:criterion_record", args=[criterion.pk])).status_code == 404
    assert client.get(reverse("incentives:evidence_download", args=[version.pk])).status_code == 404
    own = client_for(city.housing_liaison).get(reverse("incentives:evidence_download", args=[version.pk]))
    assert own.status_code == 200


def test_the_lead_units_liaison_may_not_edit_the_campaign_or_decide(city, campaigns, client_for):
    finance, _housing = campaigns
    client = client_for(city.liaison)
    assert client.get(reverse("incentives:campaign_edit", args=[finance.pk])).status_code == 403
    assert (
        client.post(
            reverse("incentives:campaign_decide", args=[finance.pk]),
            {"commended": "1", "announced_on": "2027-05-08"},
        ).status_code
        == 403
    )
    finance.refresh_from_db()
    assert finance.state == "preparing"


def test_a_leader_reads_a_campaign_but_may_not_work_on_it(city, campaigns, client_for):
    finance, _housing = campaigns
    client = client_for(city.leader_user)
    assert client.get(reverse("incentives:campaign_detail", args=[finance.pk])).status_code == 200
    assert client.get(reverse("incentives:criterion_add", args=[finance.pk])).status_code == 403


@pytest.mark.parametrize("name", ["campaign_open", "measure_create", "summary", "summary_export"])
def test_a_liaison_is_refused_the_offices_pages(city, client_for, name):
    assert client_for(city.liaison).get(reverse(f"incentives:{name}")).status_code == 403


def test_a_liaison_may_not_edit_a_measure(city, client_for):
    measure = MeasureFactory()
    assert (
        client_for(city.liaison).get(reverse("incentives:measure_edit", args=[measure.pk])).status_code == 403
    )
    assert client_for(city.liaison).post(reverse("incentives:catalogue_load")).status_code == 403


def test_the_pages_and_the_api_ask_a_signed_in_user(city, campaigns, client, api_client_for):
    finance, _housing = campaigns
    assert client.get(reverse("incentives:campaign_list")).status_code == 302
    assert client.get(reverse("incentives:campaign_detail", args=[finance.pk])).status_code == 302
    from rest_framework.test import APIClient

    assert APIClient().get("/api/incentives/campaigns/").status_code in (401, 403)
    assert APIClient().get("/api/incentives/measures/").status_code in (401, 403)


def test_another_units_campaign_is_a_404_through_the_api(city, campaigns, api_client_for):
    _finance, housing = campaigns
    assert api_client_for(city.liaison).get(f"/api/incentives/campaigns/{housing.pk}/").status_code == 404
    assert (
        api_client_for(city.housing_liaison).get(f"/api/incentives/campaigns/{housing.pk}/").status_code
        == 200
    )
