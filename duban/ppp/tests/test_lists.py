"""One FilterSet per list: the page, its Excel export and the API answer the same query with the same
rows; a bad filter is a 400 through the API and left out on the page; list pages' queries do not grow."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.ppp import services
from duban.ppp.models import ContractReview, PPPProject, ReviewCampaign
from duban.ppp.tests.conftest import create_task
from duban.ppp.tests.factories import make_project, sign
from duban.tests.lists import api_rows, assert_queries_do_not_grow

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
REGISTER, REGISTER_API = reverse("ppp:project_list"), "/api/ppp/projects/"
TASKS, TASKS_API = reverse("ppp:task_list"), "/api/ppp/rectification-tasks/"
CAMPAIGNS, CAMPAIGNS_API = reverse("ppp:campaign_list"), "/api/ppp/campaigns/"


@pytest.fixture
def agree(city, page_and_api_agree):
    """agree(who, page, api, query): the rows both answer, for `who` (a role of the city)."""
    return lambda who, page, api, query: page_and_api_agree(getattr(city, who), page, api, query)


@pytest.fixture
def register(city, project, housing_project):
    """Three projects: the finance bureau's (county), the housing bureau's (stalled, government pay, in
    execution) and a concession project of the finance bureau, withdrawn."""
    PPPProject.objects.filter(pk=housing_project.pk).update(
        phase="execution", project_class="stalled", mechanism="government_pay"
    )
    concession = make_project(
        implementing_agency=city.finance,
        by=city.office,
        code="C-9",
        name="南屏停车特许经营项目",
        spv_name="南屏停车公司",
        path="concession_2023",
        mechanism="user_pay",
        annual_user_fees=0,
        sector="transport",
    )
    services.project_withdraw(project=concession, by=city.office, reason="退库")
    return project, housing_project, concession


REGISTER_QUERIES = [
    {},
    {"q": "南屏停车"},
    {"q": "停车公司"},
    {"phase": "execution"},
    {"project_class": "stalled"},
    {"mechanism": "government_pay"},
    {"sector": "transport"},
    {"path": "concession_2023"},
    {"status": "withdrawn"},
    {"status": "active", "mechanism": "viability_gap"},
]


@pytest.mark.parametrize("who", ["office", "finance_user", "liaison", "county_liaison"])
def test_the_register_and_the_api_answer_every_filter_with_the_same_rows(city, agree, register, who):
    for query in REGISTER_QUERIES:
        agree(who, REGISTER, REGISTER_API, query)


def test_the_register_filters_find_the_projects_they_name(city, agree, register):
    project, housing, concession = register
    expected = {
        "phase": ({"phase": "execution"}, [housing]),
        "search": ({"q": "停车公司"}, [concession]),
        "county": ({"county": city.county.pk}, [project]),
        "withdrawn": ({"status": "withdrawn"}, [concession]),
    }
    for name, (query, projects) in expected.items():
        assert agree("office", REGISTER, REGISTER_API, query) == [p.pk for p in projects], name


def test_a_bad_register_filter_is_a_400_through_the_api_and_left_out_on_the_page(
    city, client_for, api_client_for, register
):
    response = api_client_for(city.office).get(REGISTER_API, {"phase": "moon"})
    assert response.status_code == 400
    assert "phase" in response.json()["fields"]
    page = client_for(city.office).get(REGISTER, {"phase": "moon"})
    assert page.context["page_obj"].paginator.count == 3


def test_a_liaison_cannot_filter_by_a_county_out_of_reach(city, api_client_for, register):
    assert (
        api_client_for(city.housing_liaison).get(REGISTER_API, {"county": city.county.pk}).status_code == 400
    )


def test_the_export_follows_the_registers_filters(city, client_for, register):
    response = client_for(city.office).get(reverse("ppp:project_export"), {"status": "withdrawn"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["C-9"]


def test_the_register_page_queries_do_not_grow(city, client_for):
    make_project(implementing_agency=city.finance, county=city.county, by=city.office)

    def more():
        for index in range(8):
            make_project(
                implementing_agency=city.housing,
                line_department=city.finance,
                county=city.county,
                by=city.office,
                name=f"项目{index}",
            )

    assert_queries_do_not_grow(client_for(city.office), REGISTER, add_rows=more, most=14)


# --- rectification tasks ----------------------------------------------------------------------------


@pytest.fixture
def tasks(city, review, housing_project):
    """Tasks of the finance bureau (one submitted) and of the housing bureau, on the finance project."""
    open_task = create_task(review, by=city.finance_user, unit=city.finance)
    submitted = create_task(review, by=city.finance_user, unit=city.finance, title="公开信息")
    services.task_submit(
        task=submitted, by=city.liaison, response="已公开", expected_version=submitted.version
    )
    housing = create_task(review, by=city.finance_user, unit=city.housing, title="住建整改")
    return open_task, submitted, housing


@pytest.mark.parametrize("who", ["office", "liaison", "housing_liaison", "county_liaison"])
def test_the_task_list_and_the_api_answer_every_filter_with_the_same_rows(city, agree, tasks, who):
    queries = [{}, {"state": "submitted"}, {"owner_unit": city.housing.pk}]
    if who != "housing_liaison":  # the project is out of the housing bureau's reach (a 400, see above)
        queries.append({"project": tasks[0].project_id})
    for query in queries:
        agree(who, TASKS, TASKS_API, query)


def test_the_task_filters_find_the_tasks_they_name(city, agree, tasks):
    open_task, submitted, housing = tasks
    assert agree("office", TASKS, TASKS_API, {"state": "submitted"}) == [submitted.pk]
    assert agree("office", TASKS, TASKS_API, {"owner_unit": city.housing.pk}) == [housing.pk]
    assert agree("housing_liaison", TASKS, TASKS_API, {}) == [housing.pk]


def test_the_task_list_page_queries_do_not_grow(city, client_for, review):
    create_task(review, by=city.finance_user, unit=city.finance)

    def more():
        for index in range(6):
            create_task(review, by=city.finance_user, unit=city.housing, title=f"整改{index}")

    assert_queries_do_not_grow(client_for(city.office), TASKS, add_rows=more, most=12)


# --- campaigns and the reviews of a campaign -----------------------------------------------------------


@pytest.fixture
def campaigns(city, review):
    older = ReviewCampaign.objects.create(name="2025年度审查", year=2025, due_on=TODAY)
    return review.campaign, older


@pytest.mark.parametrize("who", ["office", "finance_user", "leader_user"])
def test_the_campaign_list_and_the_api_agree(agree, campaigns, who):
    for query in ({}, {"year": 2025}, {"state": "under_way"}):
        agree(who, CAMPAIGNS, CAMPAIGNS_API, query)
    assert agree(who, CAMPAIGNS, CAMPAIGNS_API, {"state": "draft"}) == [campaigns[1].pk]


def test_a_liaison_lists_no_campaign_through_the_api(city, api_client_for, campaigns):
    assert api_rows(api_client_for(city.liaison), CAMPAIGNS_API, {}) == []


def test_a_campaigns_page_and_the_api_list_its_reviews_alike(city, agree, review, housing_project):
    sign(housing_project, by=city.office)
    campaign = services.campaign_create(by=city.office, name="第二轮", year=2027, due_on=TODAY)
    services.campaign_start(campaign=campaign, by=city.office)
    page = reverse("ppp:campaign_detail", args=[campaign.pk])
    for query in ({"campaign": campaign.pk}, {"campaign": campaign.pk, "state": "pending"}):
        assert len(agree("office", page, "/api/ppp/reviews/", query)) == 2
    query = {"campaign": campaign.pk, "project": housing_project.pk}
    assert len(agree("finance_user", page, "/api/ppp/reviews/", query)) == 1


def test_list_pages_of_campaigns_do_not_grow(city, client_for, review):
    def more():
        for index in range(5):
            ReviewCampaign.objects.create(name=f"审查{index}", year=2020 + index, due_on=TODAY)

    assert_queries_do_not_grow(client_for(city.office), CAMPAIGNS, add_rows=more, most=10)


def test_a_campaigns_page_does_not_grow_with_its_reviews(city, client_for, review):
    campaign = review.campaign

    def more():
        for index in range(4):
            project = make_project(implementing_agency=city.housing, by=city.office, name=f"项目{index}")
            campaign.reviews.create(project=project)

    url = reverse("ppp:campaign_detail", args=[campaign.pk])
    assert_queries_do_not_grow(client_for(city.office), url, add_rows=more, most=16)


# --- the review list across campaigns (the assessment's PPP rating records) ---------------------------

REVIEWS, REVIEWS_API = reverse("ppp:review_list"), "/api/ppp/reviews/"


@pytest.fixture
def rated(city, review, housing_project):
    """The finance project's review rated 履约良好 on 2026-03-10; the housing project's pending."""
    ContractReview.objects.filter(pk=review.pk).update(
        rating=ContractReview.Rating.GOOD,
        rated_on=datetime.date(2026, 3, 10),
        state=ContractReview.State.RATED,
    )
    return review, review.campaign.reviews.create(project=housing_project)


@pytest.mark.parametrize("who", ["office", "finance_user", "liaison", "housing_liaison"])
def test_the_review_list_and_the_api_answer_every_filter_with_the_same_rows(city, agree, rated, who):
    queries = [
        {},
        {"rated": "true"},
        {"rated": "false"},
        {"implementing_agency": city.finance.pk},
        {"rated_after": "2026-03-01", "rated_before": "2026-03-31"},
        {"rated_after": "2026-04-01"},
    ]
    for query in queries:
        agree(who, REVIEWS, REVIEWS_API, query)


def test_the_review_filters_find_a_units_reviews_rated_in_a_period(city, agree, rated):
    finance, housing = rated
    query = {
        "implementing_agency": city.finance.pk,
        "rated_after": "2026-03-01",
        "rated_before": "2026-03-31",
    }
    assert agree("office", REVIEWS, REVIEWS_API, {**query, "rated": "true"}) == [finance.pk]
    assert agree("office", REVIEWS, REVIEWS_API, {"rated": "false"}) == [housing.pk]


def test_a_unit_sees_only_its_projects_reviews_in_the_review_list(city, client_for, rated):
    finance, housing = rated
    client = client_for(city.housing_liaison)
    assert [row.pk for row in client.get(REVIEWS).context["page_obj"]] == [housing.pk]
    assert client.get(reverse("ppp:review_detail", args=[finance.pk])).status_code == 404


def test_the_review_list_queries_do_not_grow(city, client_for, review):
    campaign = review.campaign

    def more():
        for index in range(4):
            project = make_project(implementing_agency=city.housing, by=city.office, name=f"项目{index}")
            campaign.reviews.create(project=project)

    assert_queries_do_not_grow(client_for(city.office), REVIEWS, add_rows=more, most=12)


# --- obligations and contracts: a project's page lists its own, the API lists them all --------------


def test_the_project_page_and_the_api_list_a_projects_obligations_alike(
    city, client_for, api_client_for, project
):
    for title, kind in (("资本金到位", "capital"), ("年度付费", "payment")):
        services.obligation_create(
            project=project, by=city.office, side="social", kind=kind, title=title, due_on=TODAY
        )
    page = client_for(city.liaison).get(reverse("ppp:project_detail", args=[project.pk]))
    on_page = [obligation.pk for obligation, _steps in page.context["obligations"]]
    assert on_page == api_rows(api_client_for(city.liaison), "/api/ppp/obligations/", {"project": project.pk})
    assert len(api_rows(api_client_for(city.office), "/api/ppp/obligations/", {"kind": "capital"})) == 1
    assert api_rows(api_client_for(city.housing_liaison), "/api/ppp/obligations/", {}) == []


def test_the_project_page_and_the_api_list_a_projects_contracts_alike(
    city, client_for, api_client_for, project
):
    sign(project, by=city.office)
    page = client_for(city.liaison).get(reverse("ppp:project_detail", args=[project.pk]))
    on_page = [contract.pk for contract in page.context["contracts"]]
    assert on_page == api_rows(api_client_for(city.liaison), "/api/ppp/contracts/", {"project": project.pk})
    assert api_rows(api_client_for(city.office), "/api/ppp/contracts/", {"kind": "supplement"}) == []
