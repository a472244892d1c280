"""Projects: registering, editing (versioned), progress on the steps, leaving the library, shareholders
and the government's expenditure by the methods of 21号."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.core.concurrency import EditConflict
from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.ppp import selectors, services
from duban.ppp.models import ProjectStep
from duban.ppp.tests.factories import make_project

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


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
    with pytest.raises(NotPermitted):
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
    with pytest.raises(NotPermitted):
        services.step_update(step=project.steps.first(), by=city.liaison, planned_on=TODAY)


@pytest.mark.parametrize("who", ["housing_liaison", "county_liaison", "leader_user"])
def test_only_the_implementing_agency_and_the_managers_report_progress(city, project, who):
    with pytest.raises(NotPermitted):
        services.step_update(step=project.steps.first(), by=getattr(city, who), done_on=TODAY)


def test_the_county_liaison_sees_a_county_project(city, project):
    assert selectors.project_list(user=city.county_liaison).filter(pk=project.pk).exists()


def test_a_done_date_in_the_future_is_refused_beside_its_field(city, project):
    with pytest.raises(Invalid) as refused:
        services.step_update(
            step=project.steps.first(), by=city.liaison, done_on=TODAY + datetime.timedelta(days=3)
        )
    assert "done_on" in refused.value.fields


def test_a_step_document_of_a_forbidden_type_is_refused_beside_its_field(city, project):
    upload = SimpleUploadedFile("批复.exe", b"MZ\x90\x00")
    with pytest.raises(Invalid) as refused:
        services.step_update(step=project.steps.first(), by=city.liaison, done_on=TODAY, document=upload)
    assert "document" in refused.value.fields
    assert project.steps.first().done_on is None


def test_a_liaison_cannot_edit_project_data(city, project):
    with pytest.raises(NotPermitted):
        services.project_update(
            project=project, by=city.liaison, expected_version=project.version, name="改名"
        )


def test_an_edit_names_what_changed_on_the_timeline(city, project):
    edited = services.project_update(
        project=project, by=city.office, expected_version=project.version, name="改名", spv_name="新公司"
    )
    assert edited.version == project.version + 1
    assert edited.events.filter(kind="edited").get().text == "修改了：项目名称、项目公司"


def test_an_edit_that_changes_nothing_writes_nothing(city, project):
    edited = services.project_update(
        project=project, by=city.office, expected_version=project.version, name=project.name
    )
    assert edited.version == project.version
    assert not edited.events.filter(kind="edited").exists()


def test_an_edit_from_an_old_version_is_refused_and_says_what_changed(city, project):
    services.project_update(
        project=project, by=city.office, expected_version=project.version, spv_name="甲公司"
    )
    with pytest.raises(EditConflict) as conflict:
        services.project_update(
            project=project, by=city.office, expected_version=project.version, spv_name="乙公司"
        )
    assert "甲公司" in conflict.value.message


def test_a_model_error_in_an_edit_is_a_validation_error(city, project):
    with pytest.raises(ValidationError):
        services.project_update(
            project=project,
            by=city.office,
            expected_version=project.version,
            construction_cost=Decimal(10**6),
        )


def test_changing_the_path_rebuilds_the_steps(city, project):
    services.project_update(
        project=project, by=city.office, expected_version=project.version, path="concession_2023"
    )
    assert ProjectStep.objects.filter(project=project).count() == 12
    assert project.events.filter(kind="path").exists()


def test_withdrawing_a_project_needs_a_reason_and_takes_it_out_of_the_affordability_test(city, project):
    with pytest.raises(Invalid):
        services.project_withdraw(project=project, by=city.finance_user, reason=" ")
    services.project_withdraw(project=project, by=city.finance_user, reason="不再具备实施条件")
    project.refresh_from_db()
    assert (project.status, project.counted_in_affordability) == ("withdrawn", False)
    assert project.events.get(kind="withdrawn").text == "退库：不再具备实施条件"


def test_a_withdrawn_project_cannot_be_withdrawn_again_and_a_liaison_never_withdraws(city, project):
    with pytest.raises(NotPermitted):
        services.project_withdraw(project=project, by=city.liaison, reason="x")
    services.project_withdraw(project=project, by=city.office, reason="退库")
    with pytest.raises(TransitionRefused):
        services.project_withdraw(project=project, by=city.office, reason="再次退库")


def test_shareholders_cannot_hold_more_than_the_whole_company(city, project):
    services.shareholder_add(
        project=project, by=city.office, name="城投", side="government", share=Decimal("0.6")
    )
    with pytest.raises(Invalid) as refused:
        services.shareholder_add(
            project=project, by=city.office, name="社会资本", side="social", share=Decimal("0.5")
        )
    assert "share" in refused.value.fields


def test_zero_expenditure_removes_the_years_row(city, project):
    services.expenditure_set(project=project, by=city.office, year=2025, kind="risk", amount=Decimal(10))
    assert services.expenditure_set(project=project, by=city.office, year=2025, kind="risk", amount=0) is None
    assert not project.expenditure_plans.exists()


def test_an_unknown_method_of_expenditure_is_refused(city, project):
    with pytest.raises(Invalid) as refused:
        services.expenditure_by_method(project=project, by=city.office, method="guess", first_year=2025)
    assert "method" in refused.value.fields


def test_scenarios_whose_probabilities_do_not_add_up_are_refused_naming_the_field(city, project):
    scenarios = [("基本", Decimal(100), Decimal("0.5")), ("不利", Decimal(300), Decimal("0.2"))]
    with pytest.raises(Invalid) as refused:
        services.expenditure_by_method(
            project=project, by=city.office, method="risk_scenarios", first_year=2025, scenarios=scenarios
        )
    assert "scenarios" in refused.value.fields
    assert not project.expenditure_plans.exists()


def test_equity_needs_the_project_capital(city, project):
    with pytest.raises(Invalid):
        services.expenditure_by_method(project=project, by=city.office, method="equity", first_year=2025)
