"""Every change the finance reviewers and the office make is refused to the other roles, on the pages and
through the API, and a refused request changes nothing."""

import datetime

import pytest
from django.urls import reverse

from duban.audit.models import AuditEntry
from duban.ppp import services
from duban.ppp.models import Obligation, RectificationTask, ReviewCampaign
from duban.ppp.tests.conftest import create_task

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
WRONG_ROLES = ["liaison", "county_liaison", "housing_liaison", "leader_user"]


@pytest.fixture
def world(city, review):
    """A signed project of the finance bureau in the county, a campaign under way, a finding and a task
    reported on, an obligation, and a campaign not started yet."""
    project = review.project
    obligation = services.obligation_create(
        project=project, by=city.office, side="social", kind="capital", title="资本金到位", due_on=TODAY
    )
    task = create_task(review, by=city.office, unit=city.finance, deadline=TODAY, severity="minor")
    services.task_submit(task=task, by=city.liaison, response="已公开", expected_version=task.version)
    draft = ReviewCampaign.objects.create(name="下一轮", year=2027, due_on=TODAY)
    return {
        "project": project,
        "obligation": obligation,
        "campaign": review.campaign,
        "draft": draft,
        "review": review,
        "task": RectificationTask.objects.get(),
    }


PAGE_POSTS = [
    ("ppp:project_edit", "project", {"name": "改名"}),
    ("ppp:contract_add", "project", {"kind": "supplement", "title": "补充协议", "signed_on": "2026-01-01"}),
    (
        "ppp:payment_rule_edit",
        "project",
        {"formula": "score", "full_payment_score": "80", "linked_share": "0.3"},
    ),
    ("ppp:payment_year_add", "project", {"year": 2025, "budgeted": "1", "paid": "1"}),
    (
        "ppp:obligation_add",
        "project",
        {"side": "government", "kind": "payment", "title": "x", "due_on": "2026-01-01"},
    ),
    ("ppp:shareholder_add", "project", {"name": "x", "side": "social", "share": "0.5", "capital": "1"}),
    ("ppp:expenditure_add", "project", {"year": 2025, "kind": "equity", "amount": "1"}),
    ("ppp:project_override", "project", {"project_class": "stalled", "reason": "x"}),
    ("ppp:project_withdraw", "project", {"reason": "x"}),
    ("ppp:campaign_start", "draft", {}),
    ("ppp:campaign_close", "campaign", {}),
    ("ppp:review_detail", "review", {}),
    ("ppp:finding_add", "review", {"severity": "major", "description": "x"}),
    ("ppp:review_rate", "review", {"rating": "good"}),
    ("ppp:task_create", "review", {"title": "x", "deadline": "2026-01-01"}),
    ("ppp:review_close", "review", {}),
    ("ppp:task_accept", "task", {}),
    ("ppp:task_return", "task", {"reason": "x"}),
    ("ppp:task_cancel", "task", {"reason": "x"}),
    ("ppp:task_reschedule", "task", {"expected_version": 1, "deadline": "2027-01-01"}),
    ("ppp:task_link", "task", {}),
]


@pytest.mark.parametrize("role", WRONG_ROLES)
@pytest.mark.parametrize(("name", "target", "data"), PAGE_POSTS, ids=[row[0] for row in PAGE_POSTS])
def test_a_wrong_role_is_refused_on_the_pages_and_nothing_changes(
    city, client_for, world, role, name, target, data
):
    before = AuditEntry.objects.count()
    response = client_for(getattr(city, role)).post(reverse(name, args=[world[target].pk]), data)
    assert response.status_code in (403, 404), response.status_code
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", WRONG_ROLES)
@pytest.mark.parametrize(
    "name",
    ["ppp:project_create", "ppp:project_import", "ppp:campaign_create", "ppp:reclassify", "ppp:parameters"],
)
def test_a_wrong_role_is_refused_the_managers_pages(city, client_for, world, role, name):
    before = AuditEntry.objects.count()
    response = client_for(getattr(city, role)).post(reverse(name), {"which": "budget", "budget-year": "2024"})
    assert response.status_code == 403
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ["county_liaison", "housing_liaison", "leader_user"])
def test_only_the_owner_unit_and_the_managers_report_on_a_task(city, client_for, world, role):
    task = world["task"]
    services.task_return(task=task, by=city.office, reason="不完整")
    task.refresh_from_db()
    response = client_for(getattr(city, role)).post(
        reverse("ppp:task_detail", args=[task.pk]), {"expected_version": task.version, "response": "x"}
    )
    assert response.status_code in (403, 404)
    task.refresh_from_db()
    assert task.state == "open"


@pytest.mark.parametrize("role", ["county_liaison", "housing_liaison", "leader_user"])
def test_only_the_implementing_agency_marks_obligations(city, client_for, world, role):
    obligation = world["obligation"]
    response = client_for(getattr(city, role)).post(
        reverse("ppp:obligation_state", args=[obligation.pk]), {"state": "fulfilled"}
    )
    assert response.status_code in (403, 404)
    assert Obligation.objects.get(pk=obligation.pk).state == "open"


API_POSTS = [
    ("post", "/api/ppp/projects/", None, {"code": "N", "name": "n"}),
    ("patch", "/api/ppp/projects/{}/", "project", {"name": "改名"}),
    ("post", "/api/ppp/projects/{}/override/", "project", {"project_class": "slow", "reason": "x"}),
    ("post", "/api/ppp/obligations/", None, {"title": "x"}),
    ("post", "/api/ppp/contracts/", None, {"title": "x"}),
    ("post", "/api/ppp/campaigns/", None, {"name": "x", "year": 2026, "due_on": "2026-12-31"}),
    ("post", "/api/ppp/campaigns/{}/start/", "draft", {}),
    ("post", "/api/ppp/campaigns/{}/close/", "campaign", {}),
    ("post", "/api/ppp/reviews/{}/checklist/", "review", {"items": []}),
    ("post", "/api/ppp/reviews/{}/findings/", "review", {"severity": "major", "description": "x"}),
    ("post", "/api/ppp/reviews/{}/rate/", "review", {"rating": "good"}),
    ("post", "/api/ppp/reviews/{}/tasks/", "review", {"title": "x"}),
    ("post", "/api/ppp/reviews/{}/close/", "review", {}),
    ("post", "/api/ppp/rectification-tasks/{}/accept/", "task", {}),
    ("post", "/api/ppp/rectification-tasks/{}/return/", "task", {"reason": "x"}),
    ("post", "/api/ppp/rectification-tasks/{}/cancel/", "task", {"reason": "x"}),
    ("post", "/api/ppp/rectification-tasks/{}/reschedule/", "task", {"deadline": "2027-01-01"}),
    ("post", "/api/ppp/rectification-tasks/{}/link/", "task", {}),
]


@pytest.mark.parametrize("role", WRONG_ROLES)
@pytest.mark.parametrize(
    ("method", "url", "target", "data"), API_POSTS, ids=[f"{r[0]} {r[1]}" for r in API_POSTS]
)
def test_a_wrong_role_is_refused_by_the_api_and_nothing_changes(
    city, api_client_for, world, role, method, url, target, data
):
    before = AuditEntry.objects.count()
    path = url.format(world[target].pk) if target else url
    response = getattr(api_client_for(getattr(city, role)), method)(path, data, format="json")
    assert response.status_code in (403, 404), (response.status_code, response.content)
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ["county_liaison", "housing_liaison", "leader_user"])
def test_only_the_implementing_agency_reports_progress_through_the_api(city, api_client_for, world, role):
    project = world["project"]
    response = api_client_for(getattr(city, role)).post(
        f"/api/ppp/projects/{project.pk}/progress/",
        {"step": "113-01", "done_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code in (403, 404)
    assert project.steps.get(code="113-01").done_on is None
