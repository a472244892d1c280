"""The bond API keeps the pages' access rules and runs the same services."""

from decimal import Decimal

import pytest

from duban.bonds.models import ProjectState
from duban.bonds.workflow import WORKFLOW

from .factories import BatchFactory, BondProjectFactory, area

S = ProjectState
BASE = "/api/bonds"


def test_a_unit_lists_only_its_own_projects(api_client_for, city, project):
    BondProjectFactory(applying_unit=city.housing)
    data = api_client_for(city.liaison).get(f"{BASE}/projects/").json()
    assert [p["id"] for p in data["results"]] == [project.pk]


def test_finance_lists_every_project(api_client_for, city, project):
    BondProjectFactory(applying_unit=city.housing)
    assert api_client_for(city.finance_user).get(f"{BASE}/projects/").json()["count"] == 2


def test_another_unit_gets_404(api_client_for, city, project):
    assert api_client_for(city.housing_liaison).get(f"{BASE}/projects/{project.pk}/").status_code == 404


def test_a_liaison_creates_a_project_for_its_unit_only(api_client_for, city):
    payload = {
        "name": "乡村污水处理项目",
        "code": "ZX-API-1",
        "applying_unit": city.finance.pk,
        "theme": "rural_living",
        "investment_area": area("04").pk,
        "total_investment": "8000",
        "capital": "2000",
        "bond_demand": "6000",
        "income_sources": ["污水处理费"],
    }
    client = api_client_for(city.liaison)
    response = client.post(f"{BASE}/projects/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == S.POOL
    payload.update(code="ZX-API-2", applying_unit=city.housing.pk)
    assert client.post(f"{BASE}/projects/", payload, format="json").status_code == 403


def test_the_office_cannot_create(api_client_for, city):
    response = api_client_for(city.office).post(f"{BASE}/projects/", {"name": "x"}, format="json")
    assert response.status_code in (400, 403)


def test_balance_endpoint_reproduces_the_worked_example(api_client_for, city, project):
    data = api_client_for(city.liaison).get(f"{BASE}/projects/{project.pk}/balance/").json()
    assert data["bond_coverage_ratio"] == 1.1307
    assert data["min_cumulative_balance"] == -750
    assert data["passes"] is True
    assert "实施方案" in data["missing_documents"]
    assert len(data["sensitivity"]["revenue"]) == 9
    [schedule] = data["schedules"]
    assert schedule["lines"][0] == {"year": 2021, "outstanding": 15000, "interest": 375, "principal": 0}
    assert schedule["lines"][-1]["principal"] == 15000


def test_transitions_through_the_api(api_client_for, city, project, batch):
    liaison = api_client_for(city.liaison)
    finance = api_client_for(city.finance_user)
    assert liaison.post(f"{BASE}/projects/{project.pk}/transitions/start_draft/").status_code == 200
    response = liaison.post(
        f"{BASE}/projects/{project.pk}/transitions/submit/", {"batch": batch.pk}, format="json"
    )
    assert response.json()["state"] == S.UNIT_REVIEW
    assert liaison.post(f"{BASE}/projects/{project.pk}/transitions/unit_approve/").status_code == 200
    assert liaison.post(f"{BASE}/projects/{project.pk}/transitions/finance_approve/").status_code == 403
    response = finance.post(
        f"{BASE}/projects/{project.pk}/transitions/return/", {"reason": "收益来源不实"}, format="json"
    )
    assert response.json()["state"] == S.RETURNED
    timeline = finance.get(f"{BASE}/projects/{project.pk}/timeline/").json()
    assert timeline[-1]["note"] == "收益来源不实"


def test_a_transition_from_the_wrong_state_is_a_conflict(api_client_for, city, project):
    response = api_client_for(city.finance_user).post(
        f"{BASE}/projects/{project.pk}/transitions/finance_approve/"
    )
    assert response.status_code == 409


@pytest.mark.parametrize("name", sorted(WORKFLOW.table))
def test_the_office_is_refused_every_transition(api_client_for, city, project, name):
    project.state = sorted(WORKFLOW[name].sources)[0]
    project.save()
    response = api_client_for(city.office).post(
        f"{BASE}/projects/{project.pk}/transitions/{name}/", {"amount": "1", "reason": "x"}
    )
    assert response.status_code == 403


def test_available_transitions_depend_on_the_role(api_client_for, city, project):
    names = [
        t["name"]
        for t in api_client_for(city.liaison).get(f"{BASE}/projects/{project.pk}/transitions/").json()
    ]
    assert names == ["start_draft"]
    assert api_client_for(city.office).get(f"{BASE}/projects/{project.pk}/transitions/").json() == []


def test_cash_flows_replace_as_a_whole(api_client_for, city, project):
    client = api_client_for(city.liaison)
    rows = [
        {"year": 2021 + i, "income": {"租金": "3000"}, "operating_cost": "100", "tax": "0"} for i in range(10)
    ]
    response = client.put(f"{BASE}/projects/{project.pk}/cash-flows/", rows, format="json")
    assert response.status_code == 200 and len(response.json()) == 10
    assert project.cash_flows.get(year=2021).income == {"租金": "3000.00"}


def test_cash_flows_with_a_negative_amount_change_nothing(api_client_for, city, project):
    client = api_client_for(city.liaison)
    rows = [{"year": 2021, "income": {"租金": "-1"}, "operating_cost": "0", "tax": "0"}]
    assert client.put(f"{BASE}/projects/{project.pk}/cash-flows/", rows, format="json").status_code == 400
    assert project.cash_flows.count() == 10


def test_another_unit_cannot_write_cash_flows(api_client_for, city, project):
    response = api_client_for(city.housing_liaison).put(
        f"{BASE}/projects/{project.pk}/cash-flows/", [], format="json"
    )
    assert response.status_code == 404


def test_market_financing_enters_the_total_coverage(api_client_for, city, project):
    client = api_client_for(city.liaison)
    response = client.post(
        f"{BASE}/projects/{project.pk}/debts/",
        {
            "kind": "market",
            "lender": "银行",
            "principal": "1000",
            "rate": "0.04",
            "issue_year": 2021,
            "term_years": 10,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = client.get(f"{BASE}/projects/{project.pk}/balance/").json()
    assert data["bond_coverage_ratio"] == 1.1307
    assert data["coverage_ratio"] < data["bond_coverage_ratio"]


def test_figures_endpoint(api_client_for, city, project):
    data = api_client_for(city.finance_user).get(f"{BASE}/figures/").json()
    assert set(data["success_rates"]) == {"batch", "county", "supervising_department", "theme"}
    assert data["totals"]["count"] == 1


def test_version_conflict_answers_409(api_client_for, city, project):
    client = api_client_for(city.liaison)
    response = client.patch(
        f"{BASE}/projects/{project.pk}/", {"name": "新名称", "version": project.version + 5}, format="json"
    )
    assert response.status_code == 409
    response = client.patch(
        f"{BASE}/projects/{project.pk}/", {"bond_demand": "14000", "version": project.version}, format="json"
    )
    assert response.status_code == 200 and Decimal(response.json()["bond_demand"]) == Decimal(14000)


def test_documents_upload_and_checklist_through_the_api(api_client_for, city, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_client_for(city.liaison)
    upload = SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4 plan", "application/pdf")
    response = client.post(
        f"{BASE}/projects/{project.pk}/documents/", {"kind": "implementation_plan", "file": upload}
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["documents"][0]["name"] == "实施方案.pdf"
    assert "实施方案" not in data["missing"] and "法律意见书" in data["missing"]
    fake = SimpleUploadedFile("法律意见书.pdf", b"nope", "application/pdf")
    response = client.post(
        f"{BASE}/projects/{project.pk}/documents/", {"kind": "legal_opinion", "file": fake}
    )
    assert response.status_code == 400


def test_the_schema_documents_the_bond_api(client_for, city):
    schema = client_for(city.office).get("/api/schema/")
    assert b"/api/bonds/projects/{id}/transitions/{name}/" in schema.content
    assert b"/api/bonds/figures/" in schema.content


def test_a_liaison_cannot_patch_a_project_into_another_units_library(api_client_for, city, project):
    response = api_client_for(city.liaison).patch(
        f"{BASE}/projects/{project.pk}/", {"applying_unit": city.housing.pk}, format="json"
    )
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code", "fields"}
    project.refresh_from_db()
    assert project.applying_unit == city.finance


@pytest.mark.parametrize("version", ["abc", "-1", "1.5", True])
def test_a_bad_version_is_a_400(api_client_for, city, project, version):
    response = api_client_for(city.liaison).patch(
        f"{BASE}/projects/{project.pk}/", {"name": "x", "version": version}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["fields"]


@pytest.mark.parametrize("year", ["0", "10000", "99999999999999999999999", "二〇二六", "-2026"])
def test_figures_of_an_impossible_year_are_a_400(api_client_for, city, year):
    response = api_client_for(city.finance_user).get(f"{BASE}/figures/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()["fields"]


def test_figures_of_a_year(api_client_for, city):
    assert api_client_for(city.finance_user).get(f"{BASE}/figures/", {"year": "2025"}).json()["year"] == 2025


@pytest.mark.parametrize(
    "rows",
    [
        [{"year": 0, "income": {"租金": "1"}, "operating_cost": "0", "tax": "0"}],
        [{"year": 20255, "income": {"租金": "1"}, "operating_cost": "0", "tax": "0"}],
        [{"year": 2021, "income": {}, "operating_cost": "0", "tax": "0"}] * 2,
    ],
    ids=["year 0", "five digits", "a year twice"],
)
def test_cash_flows_with_an_impossible_year_change_nothing(api_client_for, city, project, rows):
    response = api_client_for(city.liaison).put(
        f"{BASE}/projects/{project.pk}/cash-flows/", rows, format="json"
    )
    assert response.status_code == 400
    assert project.cash_flows.count() == 10


def test_a_submitted_projects_cash_flows_are_the_finance_bureaus_to_change(api_client_for, city, project):
    project.state = S.FINANCE_REVIEW
    project.save()
    response = api_client_for(city.liaison).put(
        f"{BASE}/projects/{project.pk}/cash-flows/", [], format="json"
    )
    assert response.status_code == 403
    assert project.cash_flows.count() == 10


def test_an_unknown_step_is_a_404(api_client_for, city, project):
    response = api_client_for(city.finance_user).post(f"{BASE}/projects/{project.pk}/transitions/explode/")
    assert response.status_code == 404


def test_the_supervising_department_reviews_through_the_api(api_client_for, city, project, batch):
    project.supervising_department = city.housing
    project.state = S.DRAFT
    project.save()
    liaison = api_client_for(city.liaison)
    liaison.post(f"{BASE}/projects/{project.pk}/transitions/submit/", {"batch": batch.pk}, format="json")
    response = api_client_for(city.housing_liaison).post(
        f"{BASE}/projects/{project.pk}/transitions/unit_approve/"
    )
    assert response.status_code == 200 and response.json()["state"] == S.FINANCE_REVIEW
    # It reviews the project; the library's fields stay the applying unit's.
    response = api_client_for(city.housing_liaison).patch(f"{BASE}/projects/{project.pk}/", {"name": "x"})
    assert response.status_code == 403


def test_a_refused_step_says_why(api_client_for, city, project):
    project.not_on_negative_list = False
    project.state = S.DRAFT
    project.save()
    batch = BatchFactory()
    response = api_client_for(city.liaison).post(
        f"{BASE}/projects/{project.pk}/transitions/submit/", {"batch": batch.pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_refused" and "负面清单" in response.json()["detail"]


def test_an_invalid_filter_is_a_400(api_client_for, city, project):
    response = api_client_for(city.finance_user).get(f"{BASE}/projects/", {"theme": "moon_base"})
    assert response.status_code == 400
