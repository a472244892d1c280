"""The PPP REST API applies the same access rules as the pages."""

import datetime
from decimal import Decimal

import pytest

from duban.ppp import services
from duban.ppp.models import BudgetYear, ContractReview, PPPProject, RectificationTask, ReviewCampaign
from duban.ppp.tests.conftest import create_task
from duban.ppp.tests.factories import make_candidate, make_project, sign

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


NEW_PROJECT = {
    "code": "X-1",
    "name": "新项目",
    "sector": "municipal",
    "implementing_agency": None,  # the finance bureau's id, filled in by the test
    "operation_mode": "BOT",
    "mechanism": "user_pay",
    "total_investment": "1000",
    "cooperation_years": 10,
}


def new_project(city) -> dict:
    return {**NEW_PROJECT, "implementing_agency": city.finance.pk}


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_a_liaison_lists_only_their_units_projects(city, api_client_for, project, housing_project):
    assert _ids(api_client_for(city.liaison).get("/api/ppp/projects/")) == {project.pk}
    assert _ids(api_client_for(city.finance_user).get("/api/ppp/projects/")) == {
        project.pk,
        housing_project.pk,
    }


def test_the_list_filters_by_phase_and_class(city, api_client_for, project, housing_project):
    PPPProject.objects.filter(pk=housing_project.pk).update(phase="execution", project_class="slow")
    client = api_client_for(city.office)
    assert _ids(client.get("/api/ppp/projects/", {"phase": "execution"})) == {housing_project.pk}
    assert _ids(client.get("/api/ppp/projects/", {"project_class": "slow"})) == {housing_project.pk}


def test_another_units_project_is_404(city, api_client_for, project):
    assert api_client_for(city.housing_liaison).get(f"/api/ppp/projects/{project.pk}/").status_code == 404


def test_a_liaison_cannot_create_or_edit_a_project(city, api_client_for, project):
    client = api_client_for(city.liaison)
    assert client.post("/api/ppp/projects/", new_project(city), format="json").status_code == 403
    assert (
        client.patch(f"/api/ppp/projects/{project.pk}/", {"name": "改名"}, format="json").status_code == 403
    )


def test_the_finance_reviewer_creates_and_edits_a_project(city, api_client_for):
    client = api_client_for(city.finance_user)
    created = client.post("/api/ppp/projects/", new_project(city), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    edited = client.patch(f"/api/ppp/projects/{pk}/", {"name": "新名称", "version": 1}, format="json")
    assert edited.status_code == 200
    stale = client.patch(f"/api/ppp/projects/{pk}/", {"name": "再改", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "edit_conflict" and "新名称" in stale.json()["detail"]


@pytest.mark.parametrize("version", ["abc", "1.5", -1, True])
def test_a_bad_version_is_a_400_naming_the_field(city, api_client_for, project, version):
    response = api_client_for(city.office).patch(
        f"/api/ppp/projects/{project.pk}/", {"name": "改名", "version": version}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "fields"} and "version" in response.json()["fields"]


def test_the_liaison_is_refused_before_the_payload_is_read(city, api_client_for):
    response = api_client_for(city.liaison).post("/api/ppp/projects/", {"code": ""}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def progress(client, project, data=None):
    data = {"step": "113-01", "done_on": "2025-01-10"} if data is None else data
    return client.post(f"/api/ppp/projects/{project.pk}/progress/", data, format="json")


def test_the_liaison_reports_progress_through_the_api(city, api_client_for, project):
    response = progress(api_client_for(city.liaison), project)
    assert response.status_code == 200
    assert response.json()["current_step"] == "113-02"


def test_progress_on_another_units_project_is_refused(city, api_client_for, project):
    assert progress(api_client_for(city.county_liaison), project).status_code == 403
    assert progress(api_client_for(city.housing_liaison), project, {"step": "113-01"}).status_code == 404


def test_only_the_office_overrides_the_class_through_the_api(city, api_client_for, project):
    url = f"/api/ppp/projects/{project.pk}/override/"
    assert (
        api_client_for(city.finance_user).post(url, {"project_class": "slow", "reason": "x"}).status_code
        == 403
    )
    assert api_client_for(city.liaison).post(url, {"project_class": "slow", "reason": "x"}).status_code == 403
    response = api_client_for(city.office).post(url, {"project_class": "slow", "reason": "资金未到位"})
    assert response.json()["project_class"] == "slow"


def test_a_liaison_cannot_create_obligations_but_marks_them_fulfilled(city, api_client_for, project):
    payload = {
        "project": project.pk,
        "side": "social",
        "kind": "insurance",
        "title": "投保",
        "due_on": str(TODAY),
    }
    assert api_client_for(city.liaison).post("/api/ppp/obligations/", payload).status_code == 403
    created = api_client_for(city.finance_user).post("/api/ppp/obligations/", payload)
    assert created.status_code == 201
    url = f"/api/ppp/obligations/{created.json()['id']}/transition/"
    assert api_client_for(city.liaison).post(url, {"state": "breached"}).status_code == 403
    assert api_client_for(city.liaison).post(url, {"state": "fulfilled"}).json()["state"] == "fulfilled"


def test_campaigns_and_affordability_are_closed_to_liaisons(city, api_client_for):
    client = api_client_for(city.liaison)
    assert (
        client.post("/api/ppp/campaigns/", {"name": "x", "year": 2026, "due_on": "2026-12-31"}).status_code
        == 403
    )
    assert client.get("/api/ppp/campaigns/").json()["results"] == []
    assert client.get("/api/ppp/affordability/").status_code == 403


def test_the_programme_affordability_matches_the_command_shape(city, api_client_for, project):
    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    data = api_client_for(city.finance_user).get("/api/ppp/affordability/").json()
    assert data["thresholds"] == {"cap": 0.1, "warning": 0.07, "gov_pay_gate": 0.05}
    assert data["projects"][0]["subsidy"]["2021"] == 11591.0


def test_a_campaign_through_the_api_with_role_checks(city, api_client_for, project):
    sign(project, by=city.office)
    finance = api_client_for(city.finance_user)
    campaign = finance.post(
        "/api/ppp/campaigns/", {"name": "审查", "year": 2026, "due_on": "2026-12-31"}
    ).json()
    assert finance.post(f"/api/ppp/campaigns/{campaign['id']}/start/").json() == {"reviews": 1}
    review = ContractReview.objects.get()
    liaison = api_client_for(city.liaison)
    assert liaison.post(f"/api/ppp/reviews/{review.pk}/rate/", {"rating": "good"}).status_code == 403
    items = [{"id": item.pk, "result": "ok"} for item in review.items.all()]
    assert (
        finance.post(f"/api/ppp/reviews/{review.pk}/checklist/", {"items": items}, format="json").status_code
        == 200
    )
    assert finance.post(f"/api/ppp/reviews/{review.pk}/rate/", {"rating": "basic"}).status_code == 200
    task = finance.post(
        f"/api/ppp/reviews/{review.pk}/tasks/",
        {"owner_unit": city.finance.pk, "title": "补充信息公开", "deadline": "2026-10-31"},
    ).json()
    url = f"/api/ppp/rectification-tasks/{task['id']}/"
    assert api_client_for(city.housing_liaison).post(url + "submit/", {"response": "x"}).status_code == 404
    assert liaison.post(url + "accept/").status_code == 403
    assert liaison.post(url + "submit/", {"response": "已公开"}).json()["state"] == "submitted"
    assert finance.post(url + "accept/").json()["state"] == "done"
    assert RectificationTask.objects.get().state == "done"
    assert ReviewCampaign.objects.get().state == "under_way"


def test_the_what_if_check_through_the_api(city, api_client_for, project):
    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    candidate = make_candidate(
        implementing_agency=city.finance,
        by=city.office,
    )
    url = f"/api/ppp/projects/{candidate.pk}/what-if/"
    assert api_client_for(city.liaison).get(url).status_code == 403
    data = api_client_for(city.finance_user).get(url).json()
    assert data["allowed"] is False
    assert "above_gov_pay_gate" in [refusal["code"] for refusal in data["refusals"]]


def test_a_liaison_reads_the_spending_of_their_project(city, api_client_for, project):
    data = api_client_for(city.liaison).get(f"/api/ppp/projects/{project.pk}/affordability/").json()
    assert data["years"][0] == {
        "year": 2021,
        "equity": 0.0,
        "subsidy": 11591.0,
        "risk": 0.0,
        "supporting": 0.0,
        "total": 11591.0,
    }


def test_a_task_report_from_an_old_version_is_a_409_and_a_bad_one_a_400(city, api_client_for, task):
    url = f"/api/ppp/rectification-tasks/{task.pk}/submit/"
    client = api_client_for(city.liaison)
    assert client.post(url, {"response": "已整改", "version": "x"}).status_code == 400
    stale = client.post(url, {"response": "已整改", "version": task.version + 5})
    assert (stale.status_code, stale.json()["code"]) == (409, "edit_conflict")
    assert client.post(url, {"response": "已整改", "version": task.version}).status_code == 200


def test_a_step_the_state_does_not_allow_is_a_409(city, api_client_for, task):
    response = api_client_for(city.office).post(f"/api/ppp/rectification-tasks/{task.pk}/accept/")
    assert (response.status_code, response.json()["code"]) == (409, "transition_refused")


def test_a_checklist_item_that_is_not_a_number_is_a_400(city, api_client_for, review):
    url = f"/api/ppp/reviews/{review.pk}/checklist/"
    response = api_client_for(city.office).post(
        url, {"items": [{"id": "first", "result": "ok"}]}, format="json"
    )
    assert response.status_code == 400
    assert "items" in response.json()["fields"]


def test_a_task_naming_another_reviews_finding_is_a_400(city, api_client_for, review, housing_project):
    sign(housing_project, by=city.office)
    campaign = ReviewCampaign.objects.create(name="另一轮", year=2027, due_on=TODAY)
    services.campaign_start(campaign=campaign, by=city.office)
    foreign = services.finding_add(
        review=campaign.reviews.get(project=housing_project),
        by=city.office,
        severity="minor",
        description="别的",
    )
    response = api_client_for(city.office).post(
        f"/api/ppp/reviews/{review.pk}/tasks/",
        {"owner_unit": city.finance.pk, "title": "x", "deadline": "2026-10-31", "finding": foreign.pk},
    )
    assert response.status_code == 400 and "finding" in response.json()["fields"]


def test_the_affordability_without_a_budget_is_a_400_saying_so(city, api_client_for):
    response = api_client_for(city.finance_user).get("/api/ppp/affordability/")
    assert (response.status_code, response.json()["code"]) == (400, "no_budget")


def test_the_what_if_check_of_a_project_missing_its_terms_names_them(city, api_client_for):
    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    candidate = make_project(
        implementing_agency=city.finance, by=city.office, profit_rate=None, counted_in_affordability=False
    )
    response = api_client_for(city.office).get(f"/api/ppp/projects/{candidate.pk}/what-if/")
    assert response.status_code == 400
    assert "合理利润率" in response.json()["fields"]["project"][0]


def test_the_lists_filter_by_their_filterset(city, api_client_for, review):
    create_task(review, by=city.office, unit=city.finance)
    client = api_client_for(city.office)
    assert client.get("/api/ppp/rectification-tasks/", {"state": "done"}).json()["results"] == []
    assert client.get("/api/ppp/rectification-tasks/", {"state": "lost"}).status_code == 400
