"""Approving a project whose balance test fails (issue 11, item 5): the confirmation states which test
fails and by how much, the service refuses without a reason, and the reason is recorded on the timeline
and in the audit trail and shown on the project — through the pages and the API alike."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from duban.audit.models import AuditEntry
from duban.bonds import selectors, services
from duban.bonds.models import BondProject, ProjectEvent, ProjectState
from duban.core.errors import Invalid

from .test_services_transitions import advance

S = ProjectState
REASON = "市政府常务会议已研究，差额由区级财政资金兜底，同意上报。"


@pytest.fixture
def failing(project, city, batch):
    """A project in finance review whose coverage is 1.08 against 1.10 (the worked example's net income
    of 21,200 against a bond of 15,700 万元 for ten years at 2.5%: debt service 19,625)."""
    project = advance(project, city, batch, to=S.FINANCE_REVIEW)
    BondProject.objects.filter(pk=project.pk).update(bond_demand=Decimal(15700))
    project.refresh_from_db()
    return project


def test_a_passing_project_has_no_failure(project):
    assert selectors.balance_failure(project) is None


def test_the_failure_names_the_test_and_the_figures(failing):
    failure = selectors.balance_failure(failing)
    assert failure.lines[0] == "全部债务本息覆盖倍数 1.08，低于下限 1.10 倍"
    assert failure.lines[-1].startswith("累计结余最低 -")
    assert failure.figures["coverage_ratio"] == "1.0803"
    assert Decimal(failure.figures["min_cumulative_balance"]) < 0


def test_a_project_that_cannot_be_tested_fails_too(failing):
    failing.cash_flows.all().delete()
    failure = selectors.balance_failure(failing)
    assert failure is not None and failure.lines[0].startswith("资金平衡测算无法完成")


def test_finance_cannot_approve_a_failing_project_without_a_reason(failing, city):
    with pytest.raises(Invalid, match="覆盖倍数 1.08") as refused:
        services.project_finance_approve(project=failing, by=city.finance_user, override_reason="  ")
    assert "override_reason" in refused.value.fields
    failing.refresh_from_db()
    assert failing.state == S.FINANCE_REVIEW
    assert not failing.events.filter(transition="finance_approve").exists()


def test_the_reason_and_the_figures_are_kept_on_the_timeline_and_in_the_audit_trail(failing, city):
    project = services.project_finance_approve(
        project=failing, by=city.finance_user, note="同意", override_reason=REASON
    )
    assert project.state == S.PROVINCE_REVIEW
    event = project.events.get(transition="finance_approve")
    override = event.data[selectors.OVERRIDE_KEY]
    assert override["reason"] == REASON
    assert override["coverage_ratio"] == "1.0803" and override["min_coverage"] == "1.10"
    assert event.note == "同意"
    logged = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ProjectEvent), object_pk=str(event.pk)
    ).get()
    assert REASON in str(logged.changes)


def test_a_passing_project_is_approved_without_a_reason_and_records_no_override(project, city, batch):
    project = advance(project, city, batch, to=S.PROVINCE_REVIEW)
    event = project.events.get(transition="finance_approve")
    assert selectors.OVERRIDE_KEY not in event.data
    assert selectors.balance_override(project.events.all()) is None


def test_the_override_is_no_longer_shown_once_the_project_is_resubmitted(failing, city, batch):
    services.project_finance_approve(project=failing, by=city.finance_user, override_reason=REASON)
    assert selectors.balance_override(failing.events.all()).data[selectors.OVERRIDE_KEY]["reason"] == REASON
    failing.events.create(transition="submit", to_state=S.UNIT_REVIEW, by=city.liaison)
    assert selectors.balance_override(failing.events.order_by("pk")) is None


# ---------------------------------------------------------------------------------------------------
# The page


def _detail(client, project):
    return client.get(reverse("bonds:project_detail", args=[project.pk]))


def test_the_confirmation_states_the_failure_and_asks_for_a_reason(failing, city, client_for):
    page = _detail(client_for(city.finance_user), failing)
    step = next(s for s in page.context["transitions"] if s["transition"].name == "finance_approve")
    assert step["form"].fields["override_reason"].required
    assert "本项目未通过融资与收益自求平衡测算" in page.text
    assert "全部债务本息覆盖倍数 1.08，低于下限 1.10 倍" in page.text
    assert "确认：测算未通过，仍审核通过" in page.text


def test_a_passing_project_is_confirmed_without_a_reason_field(project, city, batch, client_for):
    project = advance(project, city, batch, to=S.FINANCE_REVIEW)
    page = _detail(client_for(city.finance_user), project)
    step = next(s for s in page.context["transitions"] if s["transition"].name == "finance_approve")
    assert "override_reason" not in step["form"].fields
    assert "本项目未通过融资与收益自求平衡测算" not in page.text


def test_the_page_refuses_an_approval_without_a_reason(failing, city, client_for):
    client = client_for(city.finance_user)
    action = reverse("bonds:project_transition", args=[failing.pk, "finance_approve"])
    response = client.post(action, {"finance_approve-note": "同意"}, follow=True)
    assert "未完成" in response.text
    failing.refresh_from_db()
    assert failing.state == S.FINANCE_REVIEW


def test_the_reason_given_on_the_page_is_shown_on_the_project(failing, city, client_for):
    client = client_for(city.finance_user)
    action = reverse("bonds:project_transition", args=[failing.pk, "finance_approve"])
    client.post(action, {"finance_approve-override_reason": REASON})
    failing.refresh_from_db()
    assert failing.state == S.PROVINCE_REVIEW
    for user in (city.finance_user, city.liaison, city.office):
        text = _detail(client_for(user), failing).text
        assert 'id="balance-override"' in text and REASON in text
        assert "全部债务本息覆盖倍数 1.08" in text


def test_a_liaison_cannot_approve_even_with_a_reason(failing, city, client_for):
    action = reverse("bonds:project_transition", args=[failing.pk, "finance_approve"])
    response = client_for(city.liaison).post(action, {"finance_approve-override_reason": REASON})
    assert response.status_code == 403
    failing.refresh_from_db()
    assert failing.state == S.FINANCE_REVIEW


# ---------------------------------------------------------------------------------------------------
# The API


def test_the_api_lists_the_failure_with_the_step(failing, city, api_client_for):
    steps = api_client_for(city.finance_user).get(f"/api/bonds/projects/{failing.pk}/transitions/").json()
    approve = next(s for s in steps if s["name"] == "finance_approve")
    assert "override" in approve["inputs"]
    assert approve["balance_failure"]["coverage_ratio"] == "1.0803"


def test_the_api_refuses_an_approval_without_a_reason_with_the_figures(failing, city, api_client_for):
    response = api_client_for(city.finance_user).post(
        f"/api/bonds/projects/{failing.pk}/transitions/finance_approve/", {"note": "同意"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "balance_failed" and "override_reason" in body["fields"]
    assert body["balance_failure"]["min_coverage"] == "1.10"


def test_the_api_approves_with_a_reason(failing, city, api_client_for):
    client = api_client_for(city.finance_user)
    response = client.post(
        f"/api/bonds/projects/{failing.pk}/transitions/finance_approve/",
        {"override_reason": REASON},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == S.PROVINCE_REVIEW
    timeline = client.get(f"/api/bonds/projects/{failing.pk}/timeline/").json()
    assert timeline[-1]["data"][selectors.OVERRIDE_KEY]["reason"] == REASON
