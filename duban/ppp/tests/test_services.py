"""Services of the PPP programme: who may change what, progress, obligations, payments and the class."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.ppp import services
from duban.ppp.models import Obligation, PaymentRule, PPPProject, ProjectStep
from duban.ppp.tests.factories import make_project

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def project(city):
    return make_project(implementing_agency=city.finance, county=city.county, by=city.office)


def test_registering_a_project_creates_the_nineteen_steps_of_guide_113(project):
    assert project.steps.count() == 19
    assert project.phase == "identification"
    assert project.current_step == "113-01"


def test_a_concession_project_gets_the_concession_steps(city):
    project = make_project(
        implementing_agency=city.finance,
        path="concession_2023",
        mechanism="user_pay",
        annual_user_fees=Decimal(0),
    )
    assert [step.code for step in project.steps.all()][:2] == ["C-01", "C-02"]


def test_a_liaison_cannot_register_a_project(city):
    with pytest.raises(PermissionDenied):
        make_project(implementing_agency=city.finance, by=city.liaison)


def test_the_finance_reviewer_can_register_a_project(city):
    assert make_project(implementing_agency=city.finance, by=city.finance_user).pk


def test_the_implementing_agencys_liaison_reports_a_step_done_and_the_project_moves_on(city, project):
    for step in project.steps.filter(phase="identification"):
        services.step_update(step=step, by=city.liaison, done_on=TODAY - datetime.timedelta(days=1))
    project.refresh_from_db()
    assert project.phase == "preparation"
    assert project.current_step == "113-05"
    assert project.events.filter(kind="step").count() == 4


def test_a_liaison_cannot_change_the_planned_dates(city, project):
    step = project.steps.first()
    with pytest.raises(PermissionDenied):
        services.step_update(step=step, by=city.liaison, planned_on=TODAY)


def test_a_liaison_of_another_unit_cannot_report_progress(city, project):
    with pytest.raises(PermissionDenied):
        services.step_update(step=project.steps.first(), by=city.housing_liaison, done_on=TODAY)


def test_the_county_liaison_sees_but_cannot_update_a_county_project(city, project):
    from duban.ppp import selectors

    assert selectors.project_list(user=city.county_liaison).filter(pk=project.pk).exists()
    with pytest.raises(PermissionDenied):
        services.step_update(step=project.steps.first(), by=city.county_liaison, done_on=TODAY)


def test_a_liaison_cannot_edit_project_data(city, project):
    with pytest.raises(PermissionDenied):
        services.project_update(
            project=project, by=city.liaison, expected_version=project.version, name="改名"
        )


def test_a_done_date_in_the_future_is_refused(city, project):
    with pytest.raises(ValidationError):
        services.step_update(
            step=project.steps.first(), by=city.liaison, done_on=TODAY + datetime.timedelta(days=3)
        )


def test_a_step_late_beyond_the_slow_threshold_makes_the_project_slow_with_the_reason(city, project):
    step = project.steps.first()
    services.step_update(step=step, by=city.office, planned_on=TODAY - datetime.timedelta(days=45))
    project.refresh_from_db()
    assert project.project_class == "slow"
    assert services.describe_reason(project.computed_reasons[0]) == "计划节点或合同义务最长逾期 45 天"


def test_the_liaison_marks_an_obligation_fulfilled_but_only_the_managers_record_a_breach(city, project):
    obligation = services.obligation_create(
        project=project, by=city.finance_user, side="social", kind="capital", title="资本金到位", due_on=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.obligation_transition(
            obligation=obligation, by=city.liaison, state=Obligation.State.BREACHED
        )
    services.obligation_transition(obligation=obligation, by=city.liaison, state=Obligation.State.FULFILLED)
    obligation.refresh_from_db()
    assert obligation.state == "fulfilled"
    assert obligation.done_on == TODAY


def test_an_obligation_cannot_jump_to_a_state_outside_the_table(city, project):
    obligation = services.obligation_create(
        project=project, by=city.office, side="government", kind="payment", title="付费", due_on=TODAY
    )
    services.obligation_transition(obligation=obligation, by=city.office, state="waived")
    with pytest.raises(ValidationError):
        services.obligation_transition(obligation=obligation, by=city.office, state="fulfilled")


def test_a_long_overdue_obligation_stalls_the_project(city, project):
    services.obligation_create(
        project=project,
        by=city.office,
        side="social",
        kind="milestone",
        title="主体完工",
        due_on=TODAY - datetime.timedelta(days=200),
    )
    project.refresh_from_db()
    assert project.project_class == "stalled"


def test_a_score_of_eighty_pays_in_full_and_below_it_the_contract_coefficient(city, project):
    services.payment_rule_set(
        project=project,
        by=city.finance_user,
        full_payment_score=Decimal(80),
        bands=[{"min_score": 60, "coefficient": "0.9"}],
        annual_construction_payment=Decimal(1000),
        annual_operating_payment=Decimal(200),
    )
    full = services.payment_year_record(
        project=project,
        by=city.finance_user,
        year=2023,
        score=Decimal(85),
        budgeted=Decimal(1200),
        paid=Decimal(1200),
    )
    reduced = services.payment_year_record(
        project=project,
        by=city.finance_user,
        year=2024,
        score=Decimal(70),
        budgeted=Decimal(1200),
        paid=Decimal(500),
    )
    assert (full.coefficient, full.due) == (Decimal(1), Decimal("1200.00"))
    assert (reduced.coefficient, reduced.due) == (Decimal("0.9"), Decimal("1080.00"))
    assert reduced.arrears == Decimal("580.00")
    project.refresh_from_db()
    assert project.project_class == "rectify"


def test_the_seventy_thirty_formula_follows_the_contract(city, project):
    rule = services.payment_rule_set(
        project=project,
        by=city.office,
        formula=PaymentRule.Formula.LINKED_70_30,
        full_payment_score=Decimal(80),
        bands=[{"min_score": 0, "coefficient": "0.5"}],
        linked_share=Decimal("0.3"),
        annual_construction_payment=Decimal(1000),
        annual_operating_payment=Decimal(100),
    )
    # 0.5 × 1000 × 0.7 + 0.5 × (100 + 1000 × 0.3) = 350 + 200
    assert services.amount_due(rule=rule, score=Decimal(50)) == (Decimal("0.5"), Decimal("550.00"))


def test_less_than_thirty_percent_linked_puts_the_project_up_for_withdrawal(city, project):
    services.payment_rule_set(
        project=project, by=city.office, formula=PaymentRule.Formula.LINKED_70_30, linked_share=Decimal("0.2")
    )
    project.refresh_from_db()
    assert project.project_class == "withdraw"


def test_only_the_office_overrides_the_class_and_a_reason_is_required(city, project):
    with pytest.raises(PermissionDenied):
        services.project_override_class(
            project=project, by=city.finance_user, project_class="stalled", reason="x"
        )
    with pytest.raises(ValidationError):
        services.project_override_class(project=project, by=city.office, project_class="stalled", reason=" ")
    services.project_override_class(
        project=project, by=city.office, project_class="stalled", reason="征地受阻"
    )
    project.refresh_from_db()
    assert (project.project_class, project.computed_class) == ("stalled", "normal")
    services.project_reclassify(project=project)
    assert PPPProject.objects.get(pk=project.pk).project_class == "stalled"


def test_clearing_the_override_returns_to_the_rules(city, project):
    services.project_override_class(
        project=project, by=city.office, project_class="withdraw", reason="拟退库"
    )
    services.project_override_class(project=project, by=city.office, project_class="", reason="情况已变化")
    project.refresh_from_db()
    assert (project.project_class, project.override_class) == ("normal", "")


def test_dated_classification_rules_apply_from_their_date(city, project):
    from duban.ppp.models import ClassificationRules

    ClassificationRules.objects.create(
        valid_from=TODAY - datetime.timedelta(days=1), slow_days=5, stalled_days=10
    )
    services.step_update(
        step=project.steps.first(), by=city.office, planned_on=TODAY - datetime.timedelta(days=7)
    )
    project.refresh_from_db()
    assert project.project_class == "slow"


def test_changing_the_path_rebuilds_the_steps(city, project):
    services.project_update(
        project=project, by=city.office, expected_version=project.version, path="concession_2023"
    )
    assert ProjectStep.objects.filter(project=project).count() == 12


def test_a_review_with_an_unrectified_major_finding_cannot_be_closed(city, project):
    from duban.ppp.models import ContractReview, ReviewCampaign
    from duban.ppp.tests.factories import sign

    sign(project, by=city.office)
    campaign = ReviewCampaign.objects.create(name="审查", year=2026, due_on=TODAY)
    services.campaign_start(campaign=campaign, by=city.finance_user)
    review = ContractReview.objects.get()
    services.review_check(
        review=review, by=city.finance_user, results={item.pk: ("ok", "") for item in review.items.all()}
    )
    services.finding_add(review=review, by=city.finance_user, severity="serious", description="明股实债")
    services.review_rate(review=review, by=city.finance_user, rating="failed", conclusion="严重违约")
    with pytest.raises(ValidationError):
        services.review_close(review=review, by=city.finance_user)
    project.refresh_from_db()
    assert project.project_class == "rectify"


def test_a_campaign_cannot_start_twice(city, project):
    from duban.ppp.models import ReviewCampaign

    campaign = ReviewCampaign.objects.create(name="审查", year=2026, due_on=TODAY)
    services.campaign_start(campaign=campaign, by=city.office)
    with pytest.raises(ValidationError):
        services.campaign_start(campaign=campaign, by=city.office)
