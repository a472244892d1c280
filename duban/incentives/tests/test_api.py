"""The API: the catalogue's items and the campaigns' items as the issue names them; page and API list
the same rows; the lists' queries do not grow with their rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.tests.lists import assert_queries_do_not_grow

from .. import services
from ..models import Campaign
from .factories import MeasureFactory, open_campaign


def test_a_measures_item_names_its_list_level_ministry_reward_and_source(city, api_client_for):
    services.catalogue_load(by=city.office)
    body = api_client_for(city.liaison).get("/api/incentives/measures/", {"page_size": 200}).json()
    first = next(i for i in body["results"] if i["list"] == "国办发〔2018〕117号" and i["number"] == 1)
    assert {"id", "list", "number", "title", "level", "ministry", "reward", "source"} <= set(first)
    assert first["level"] == ["city", "county"] and first["ministry"] == "市场监管总局"
    assert first["source"]["url"].startswith("http") and first["source"]["verified"] is True


def test_a_campaigns_item_carries_measure_unit_leader_state_outcome_and_criteria(city, api_client_for):
    campaign = open_campaign(city, leader=city.leader)
    services.criterion_add(
        campaign=campaign, by=city.office, text="发行进度", source="s", live_source="bond_issuance"
    )
    item = api_client_for(city.office).get(f"/api/incentives/campaigns/{campaign.pk}/").json()
    assert item["measure"]["id"] == campaign.measure_id and item["lead_unit"]["id"] == city.finance.pk
    assert "孙立华" in item["leader"]["name"] and item["state"] == "preparing"
    assert item["outcome"]["decision"] == "pending"
    assert (
        item["criteria"][0]["text"] == "发行进度"
        and item["criteria"][0]["live"]["figures_url"] == "/bonds/overview/"
    )


@pytest.mark.parametrize("who", ["office", "liaison", "leader_user"])
@pytest.mark.parametrize(
    "query",
    [{}, {"state": "preparing"}, {"order": "deadline"}, {"order": "-lead_unit"}, {"q": "政策"},
     {"due_before": "2026-12-31"}, {"year": 2025}, {"lead_unit": "housing"}],
)  # fmt: skip
def test_the_campaign_board_and_the_api_agree(city, who, query, page_and_api_agree, api_client_for):
    open_campaign(city, unit=city.finance)
    open_campaign(city, unit=city.housing, year=2025)
    if query.get("lead_unit") == "housing":
        query = {"lead_unit": city.housing.pk}
        if who == "liaison":
            # Another unit is no choice of his: the page leaves the filter out, the API says it is invalid.
            assert api_client_for(city.liaison).get("/api/incentives/campaigns/", query).status_code == 400
            return
    rows = page_and_api_agree(
        getattr(city, who), reverse("incentives:campaign_list"), "/api/incentives/campaigns/", query
    )
    if query.get("year") == 2025 or query.get("due_before"):
        assert all(c.year == 2025 for c in Campaign.objects.filter(pk__in=rows))


@pytest.mark.parametrize("query", [{}, {"level": "county"}, {"verified": "true"}, {"q": "财政"}])
def test_the_catalogue_page_and_the_api_agree(city, query, page_and_api_agree):
    services.catalogue_load(by=city.office)
    page_and_api_agree(city.liaison, reverse("incentives:measure_list"), "/api/incentives/measures/", query)


def test_the_campaign_boards_queries_do_not_grow_with_its_rows(city, client_for):
    open_campaign(city)
    assert_queries_do_not_grow(
        client_for(city.office), reverse("incentives:campaign_list"),
        add_rows=lambda: [open_campaign(city, unit=city.housing) for _ in range(3)], most=20,
    )  # fmt: skip


def test_the_catalogues_queries_do_not_grow_with_its_rows(city, client_for):
    MeasureFactory()
    assert_queries_do_not_grow(
        client_for(city.office), reverse("incentives:measure_list"),
        add_rows=lambda: [MeasureFactory() for _ in range(5)], most=15,
    )  # fmt: skip


def test_the_campaign_apis_queries_do_not_grow_with_its_rows(city, api_client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_for(city.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/incentives/campaigns/").status_code == 200
        return len(queries)

    campaign = open_campaign(city)
    services.criterion_add(
        campaign=campaign, by=city.office, text="x", source="s", live_source="directive_closure"
    )
    few = count()
    for _ in range(3):
        more = open_campaign(city, unit=city.housing)
        services.criterion_add(
            campaign=more, by=city.office, text="x", source="s", live_source="directive_closure"
        )
    assert count() <= few


def test_an_invalid_filter_is_a_400_through_the_api(city, api_client_for):
    assert api_client_for(city.office).get("/api/incentives/campaigns/", {"state": "nope"}).status_code == 400


def test_a_decided_campaigns_outcome_carries_its_amounts_as_decimals_in_text(city, api_client_for):
    from datetime import date
    from decimal import Decimal

    from .factories import docx_upload

    campaign = open_campaign(city)
    services.evidence_upload(campaign=campaign, by=city.office, title="报告", upload=docx_upload())
    services.campaign_submit(campaign=campaign, by=city.office)
    services.campaign_decide(
        campaign=campaign, by=city.office, commended=True, announced_on=date(2027, 5, 8),
        reward="资金", reward_amount=Decimal("500"), province_amount=Decimal("200"),
    )  # fmt: skip
    outcome = api_client_for(city.office).get(f"/api/incentives/campaigns/{campaign.pk}/").json()["outcome"]
    assert outcome == {
        "decision": "commended", "announced_on": "2027-05-08", "reward": "资金", "reward_amount": "500.00",
        "province_reward": "", "province_amount": "200.00",
    }  # fmt: skip
