"""The classification rules (分类施策), tested directly on facts without the database."""

from datetime import date, timedelta
from decimal import Decimal

from duban.ppp.classification import Facts, ProjectClass, Rules, classify

TODAY = date(2026, 6, 30)
RULES = Rules(slow_days=30, stalled_days=180, withdraw_idle_days=730)


def facts(**overrides) -> Facts:
    values = {"before_execution": False, "pays_subsidy": True, "last_progress": TODAY - timedelta(days=10)}
    values.update(overrides)
    return Facts(**values)


def classed(**overrides):
    return classify(facts=facts(**overrides), rules=RULES, today=TODAY)


def test_a_project_on_schedule_proceeds_normally_with_no_reasons():
    result = classed()
    assert result.project_class is ProjectClass.NORMAL
    assert result.reasons == ()


def test_a_step_late_by_the_slow_threshold_makes_the_project_slow():
    assert classed(overdue_step_days=30).project_class is ProjectClass.SLOW


def test_a_step_late_by_less_than_the_slow_threshold_stays_normal():
    assert classed(overdue_step_days=29).project_class is ProjectClass.NORMAL


def test_an_obligation_late_by_the_stalled_threshold_makes_the_project_stalled():
    result = classed(overdue_obligation_days=180)
    assert result.project_class is ProjectClass.STALLED
    assert result.reasons[0].code == "late"
    assert result.reasons[0].params == {"days": 180}


def test_no_progress_before_execution_for_the_stalled_period_makes_the_project_stalled():
    result = classed(before_execution=True, last_progress=TODAY - timedelta(days=200))
    assert result.project_class is ProjectClass.STALLED
    assert [reason.code for reason in result.reasons] == ["idle"]


def test_no_progress_in_execution_is_not_idleness_because_operation_produces_no_steps():
    assert (
        classed(before_execution=False, last_progress=TODAY - timedelta(days=400)).project_class
        is ProjectClass.NORMAL
    )


def test_no_progress_before_execution_for_two_years_means_to_be_withdrawn():
    result = classed(before_execution=True, last_progress=TODAY - timedelta(days=730))
    assert result.project_class is ProjectClass.WITHDRAW
    assert result.reasons[0].code == "idle_before_execution"


def test_less_than_thirty_percent_linked_to_performance_means_to_be_withdrawn():
    result = classed(linked_share=Decimal("0.20"))
    assert result.project_class is ProjectClass.WITHDRAW
    assert result.reasons[0].code == "fixed_obligation"


def test_the_linked_share_does_not_matter_for_user_pay_projects():
    assert classed(pays_subsidy=False, linked_share=Decimal("0.10")).project_class is ProjectClass.NORMAL


def test_exactly_thirty_percent_linked_is_enough():
    assert classed(linked_share=Decimal("0.30")).project_class is ProjectClass.NORMAL


def test_an_overdue_rectification_task_means_the_project_needs_rectification():
    assert classed(overdue_tasks=1).project_class is ProjectClass.RECTIFY


def test_an_open_major_finding_means_the_project_needs_rectification():
    assert classed(open_major_findings=2).project_class is ProjectClass.RECTIFY


def test_arrears_mean_the_project_needs_rectification():
    result = classed(arrears=Decimal("120.50"))
    assert result.project_class is ProjectClass.RECTIFY
    assert result.reasons[0].params == {"amount": Decimal("120.50")}


def test_arrears_can_be_switched_off_as_a_rule():
    rules = Rules(rectify_on_arrears=False)
    assert (
        classify(facts=facts(arrears=Decimal(1)), rules=rules, today=TODAY).project_class
        is ProjectClass.NORMAL
    )


def test_a_failed_review_rating_means_the_project_needs_rectification():
    assert classed(rating_failed=True).project_class is ProjectClass.RECTIFY


def test_the_worst_class_wins_and_every_reason_is_kept_worst_first():
    result = classed(overdue_step_days=40, overdue_tasks=1, linked_share=Decimal("0.1"))
    assert result.project_class is ProjectClass.WITHDRAW
    assert [reason.code for reason in result.reasons] == ["fixed_obligation", "overdue_tasks", "late"]


def test_thresholds_are_parameters():
    strict = Rules(slow_days=5, stalled_days=10)
    assert (
        classify(facts=facts(overdue_step_days=6), rules=strict, today=TODAY).project_class
        is ProjectClass.SLOW
    )
    assert (
        classify(facts=facts(overdue_step_days=10), rules=strict, today=TODAY).project_class
        is ProjectClass.STALLED
    )
