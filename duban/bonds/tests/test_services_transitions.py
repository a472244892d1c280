"""Every transition of the bond project's life, done by the right role and recorded on the timeline,
and refused for the wrong role, the wrong state or a failing guard."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from duban.bonds import selectors, services
from duban.bonds.models import ApplicationOutcome, BondRule, ProjectState
from duban.bonds.workflow import WORKFLOW
from duban.core.errors import Invalid, NotPermitted, TransitionRefused

from .factories import BatchFactory

S = ProjectState


ISSUE = {"bond_code": "2026-ZX-001", "issue_date": date(2026, 6, 1), "term_years": 10, "rate": "0.0231"}
# The main path: each step, the state it reaches, and its inputs (the unit starts and submits).
MAIN_PATH = [
    ("start_draft", S.DRAFT, {}),
    ("submit", S.UNIT_REVIEW, {"batch": None}),
    ("unit_approve", S.FINANCE_REVIEW, {}),
    ("finance_approve", S.PROVINCE_REVIEW, {}),
    ("province_approve", S.MINISTRY_REVIEW, {}),
    ("ministry_approve", S.APPROVED, {}),
    ("allocate_quota", S.QUOTA_ALLOCATED, {"amount": Decimal(12000)}),
    ("record_issuance", S.ISSUED, ISSUE),
    ("record_onlending", S.ONLENT, {}),
    ("record_disbursement", S.DISBURSING, {"amount": Decimal(5000)}),
]


def advance(project, city, batch, *, to: str):
    """Walk the project along the main path, each step through its own service, until it reaches `to`."""
    for name, state, inputs in MAIN_PATH:
        if project.state == to:
            return project
        by = city.liaison if name in ("start_draft", "submit") else city.finance_user
        service = getattr(services, f"project_{name}")
        project = service(
            project=project, by=by, **{k: batch if k == "batch" else v for k, v in inputs.items()}
        )
        assert project.state == state
    return project


def test_a_new_project_enters_the_pool_with_a_created_event(project):
    assert project.state == S.POOL


def test_the_main_path_records_one_event_per_transition(project, city, batch):
    project = advance(project, city, batch, to=S.DISBURSING)
    names = list(project.events.exclude(transition="create").values_list("transition", flat=True))
    assert names == [name for name, _state, _inputs in MAIN_PATH]
    event = project.events.get(transition="submit")
    assert event.by == city.liaison and event.batch == batch and event.from_state == S.DRAFT


def test_submission_opens_an_application_in_the_batch(project, city, batch):
    project = advance(project, city, batch, to=S.UNIT_REVIEW)
    application = project.applications.get()
    assert application.batch == batch
    assert application.applied_amount == Decimal(15000)
    assert application.outcome == ApplicationOutcome.PENDING


def test_final_approval_marks_the_application_approved(project, city, batch):
    project = advance(project, city, batch, to=S.APPROVED)
    assert project.applications.get().outcome == ApplicationOutcome.APPROVED


@pytest.mark.parametrize("self_review", [True, False], ids=["self review", "the ministries review"])
def test_the_province_approves_alone_only_under_self_review(project, city, batch, settings, self_review):
    settings.DUBAN_PROVINCE = "河南省"
    BondRule.objects.create(
        province="河南省",
        valid_from=date(2020, 1, 1),
        self_review=self_review,
        list_kind="negative",
        min_coverage=Decimal("1.1"),
    )
    project = advance(project, city, batch, to=S.PROVINCE_REVIEW)
    alone, onwards = "province_final_approve", "province_approve"
    refused, taken, state = (
        (onwards, alone, S.APPROVED) if self_review else (alone, onwards, S.MINISTRY_REVIEW)
    )
    with pytest.raises(TransitionRefused):
        services.project_transition(project=project, by=city.finance_user, name=refused)
    assert services.project_transition(project=project, by=city.finance_user, name=taken).state == state


def test_quota_may_be_less_than_applied_but_not_more(project, city, batch):
    project = advance(project, city, batch, to=S.APPROVED)
    with pytest.raises(TransitionRefused):
        services.project_allocate_quota(project=project, by=city.finance_user, amount=Decimal(15001))
    project = services.project_allocate_quota(
        project=project, by=city.finance_user, amount=Decimal(9000), allocated_on=date(2026, 5, 1)
    )
    assert project.quota_allocated == Decimal(9000)
    application = project.applications.get()
    assert application.allocated_amount == Decimal(9000) and application.allocated_on == date(2026, 5, 1)


def test_issuance_records_the_bond_and_replaces_the_planned_one(project, city, batch):
    project = advance(project, city, batch, to=S.ISSUED)
    debt = project.debts.get(is_issued=True)
    assert (debt.bond_code, debt.term_years, debt.rate, debt.principal) == (
        "2026-ZX-001",
        10,
        Decimal("0.0231"),
        Decimal(12000),
    )
    assert project.issued_amount == Decimal(12000)


def test_issuance_cannot_exceed_the_quota(project, city, batch):
    project = advance(project, city, batch, to=S.QUOTA_ALLOCATED)
    with pytest.raises(TransitionRefused):
        services.project_record_issuance(
            project=project,
            by=city.finance_user,
            bond_code="X",
            issue_date=date(2026, 6, 1),
            term_years=10,
            rate="0.02",
            amount=13000,
        )


def test_disbursement_in_tranches_up_to_the_money_lent_on(project, city, batch):
    project = advance(project, city, batch, to=S.DISBURSING)
    project = services.project_record_disbursement(
        project=project, by=city.finance_user, amount=Decimal(4000)
    )
    assert project.disbursed_amount == Decimal(9000)
    with pytest.raises(TransitionRefused):
        services.project_record_disbursement(project=project, by=city.finance_user, amount=Decimal(3001))
    assert project.disbursements.count() == 2
    assert selectors.project_totals_match(project)


def test_spending_ends_in_spent_when_every_issued_yuan_is_spent(project, city, batch):
    project = advance(project, city, batch, to=S.DISBURSING)
    project = services.project_record_spending(project=project, by=city.liaison, amount=Decimal(5000))
    assert project.state == S.SPENDING
    project = services.project_record_disbursement(
        project=project, by=city.finance_user, amount=Decimal(7000)
    )
    assert project.state == S.SPENDING
    project = services.project_record_spending(project=project, by=city.finance_user, amount=Decimal(7000))
    assert project.state == S.SPENT
    assert project.spending_progress == 1


def test_spending_cannot_exceed_the_money_disbursed(project, city, batch):
    project = advance(project, city, batch, to=S.DISBURSING)
    with pytest.raises(TransitionRefused):
        services.project_record_spending(project=project, by=city.liaison, amount=Decimal(5001))


@pytest.mark.parametrize("state", [S.UNIT_REVIEW, S.FINANCE_REVIEW, S.PROVINCE_REVIEW, S.MINISTRY_REVIEW])
def test_a_reviewer_returns_with_reasons_from_every_review(project, city, batch, state):
    project = advance(project, city, batch, to=state)
    project = services.project_return(project=project, by=city.finance_user, reason="收益测算依据不足")
    assert project.state == S.RETURNED
    application = project.applications.get()
    assert application.outcome == ApplicationOutcome.RETURNED
    assert application.return_reason == "收益测算依据不足"
    assert application.returned_at_state == state
    assert project.events.last().note == "收益测算依据不足"


def test_a_return_needs_a_reason(project, city, batch):
    project = advance(project, city, batch, to=S.FINANCE_REVIEW)
    with pytest.raises(Invalid):
        services.project_return(project=project, by=city.finance_user, reason=" ")


def test_a_returned_project_resubmits_only_in_a_later_batch(project, city, batch):
    project = advance(project, city, batch, to=S.PROVINCE_REVIEW)
    project = services.project_return(project=project, by=city.finance_user, reason="材料不全")
    with pytest.raises(TransitionRefused):
        services.project_submit(project=project, by=city.liaison, batch=batch)
    earlier = BatchFactory(
        opens_on=batch.opens_on - timedelta(days=90), closes_on=batch.opens_on - timedelta(days=1)
    )
    with pytest.raises(TransitionRefused):
        services.project_submit(project=project, by=city.liaison, batch=earlier)
    later = BatchFactory(
        opens_on=batch.opens_on + timedelta(days=1), closes_on=batch.closes_on + timedelta(days=90)
    )
    project = services.project_submit(project=project, by=city.liaison, batch=later)
    assert project.state == S.UNIT_REVIEW and project.batch == later
    assert list(project.applications.order_by("submitted_at").values_list("outcome", flat=True)) == [
        ApplicationOutcome.RETURNED,
        ApplicationOutcome.PENDING,
    ]


@pytest.fixture
def supervised(project, city):
    """The project under the housing bureau as its supervising department (主管部门)."""
    project.supervising_department = city.housing
    project.save()
    return project


def test_the_supervising_department_reviews_its_projects(supervised, city, batch):
    project = advance(supervised, city, batch, to=S.UNIT_REVIEW)
    with pytest.raises(NotPermitted):
        services.project_unit_approve(project=project, by=city.county_liaison)
    project = services.project_unit_approve(project=project, by=city.housing_liaison)
    assert project.state == S.FINANCE_REVIEW


def test_the_supervising_department_cannot_return_after_its_own_review(supervised, city, batch):
    project = advance(supervised, city, batch, to=S.FINANCE_REVIEW)
    assert WORKFLOW.available(city.housing_liaison, project) == []
    with pytest.raises(NotPermitted):
        services.project_return(project=project, by=city.housing_liaison, reason="x")


def arguments(name, batch):
    """Inputs that would be accepted, so that only the role decides."""
    return {
        "submit": {"batch": batch},
        "return": {"reason": "理由"},
        "allocate_quota": {"amount": Decimal(1)},
        "record_disbursement": {"amount": Decimal(1)},
        "record_spending": {"amount": Decimal(1)},
    }.get(name, {})


FINANCE_ONLY = [
    "finance_approve",
    "province_approve",
    "ministry_approve",
    "allocate_quota",
    "record_issuance",
    "record_onlending",
    "record_disbursement",
]


@pytest.mark.parametrize("name", FINANCE_ONLY)
def test_a_unit_liaison_cannot_take_finance_steps(project, city, batch, name):
    project.state = sorted(WORKFLOW[name].sources)[0]
    project.save()
    with pytest.raises(NotPermitted):
        services.project_transition(project=project, by=city.liaison, name=name, **arguments(name, batch))


@pytest.mark.parametrize("name", sorted(WORKFLOW.table))
@pytest.mark.parametrize("who", ["office", "leader_user", "housing_liaison"])
def test_the_office_leaders_and_other_units_take_no_step(project, city, batch, name, who):
    project.state = sorted(WORKFLOW[name].sources)[0]
    project.save()
    with pytest.raises(NotPermitted):
        services.project_transition(
            project=project, by=getattr(city, who), name=name, **arguments(name, batch)
        )


def test_a_step_from_the_wrong_state_is_refused(project, city):
    with pytest.raises(TransitionRefused):
        services.project_finance_approve(project=project, by=city.finance_user)


def test_submission_is_refused_when_bonds_used_as_capital_exceed_the_cap(project, city, batch):
    project.capital_from_bonds = Decimal(4600)  # 30% of 15,000 is 4,500 under the 2025 rule
    project.save()
    project = services.project_start_draft(project=project, by=city.liaison)
    with pytest.raises(TransitionRefused, match="上限"):
        services.project_submit(project=project, by=city.liaison, batch=batch)


def test_submission_after_2024_needs_the_negative_list_check(project, city, batch):
    project.not_on_negative_list = False
    project.save()
    project = services.project_start_draft(project=project, by=city.liaison)
    with pytest.raises(TransitionRefused, match="负面清单"):
        services.project_submit(project=project, by=city.liaison, batch=batch)


def test_every_step_of_the_table_has_its_service():
    assert [name for name in WORKFLOW.table if not hasattr(services, f"project_{name}")] == []


def test_the_buttons_leave_out_the_steps_a_guard_refuses(project, city, batch):
    project = advance(project, city, batch, to=S.PROVINCE_REVIEW)
    names = [t.name for t in WORKFLOW.available(city.finance_user, project)]
    assert "province_approve" in names and "province_final_approve" not in names


def test_a_step_and_its_timeline_event_are_written_together(project, city, batch, monkeypatch):
    from duban.bonds import workflow

    def broken(*args, **kwargs):
        raise RuntimeError("the timeline is down")

    monkeypatch.setattr(workflow.WORKFLOW, "record", broken)
    with pytest.raises(RuntimeError):
        services.project_start_draft(project=project, by=city.liaison)
    project.refresh_from_db()
    assert project.state == S.POOL
