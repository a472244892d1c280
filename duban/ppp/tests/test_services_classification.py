"""The classification of projects through the services: the rules in force, the office's override and
the daily reclassification."""

import datetime

import pytest

from duban.core.errors import Invalid, NotPermitted
from duban.ppp import services
from duban.ppp.models import ClassificationRules, PPPProject

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _plan_first_step(project, by, days_ago):
    services.step_update(
        step=project.steps.first(), by=by, planned_on=TODAY - datetime.timedelta(days=days_ago)
    )
    project.refresh_from_db()


def test_a_step_late_beyond_the_slow_threshold_makes_the_project_slow_with_the_reason(city, project):
    _plan_first_step(project, city.office, 45)
    assert project.project_class == "slow"
    assert services.describe_reason(project.computed_reasons[0]) == "计划节点或合同义务最长逾期 45 天"


def test_dated_classification_rules_apply_from_their_date(city, project):
    ClassificationRules.objects.create(
        valid_from=TODAY - datetime.timedelta(days=1), slow_days=5, stalled_days=10
    )
    _plan_first_step(project, city.office, 7)
    assert project.project_class == "slow"


def test_an_unknown_reason_is_shown_by_its_code():
    assert services.describe_reason({"code": "new_rule", "params": {}}) == "new_rule"


def test_only_the_office_overrides_the_class_and_a_reason_is_required(city, project):
    with pytest.raises(NotPermitted):
        services.project_override_class(
            project=project, by=city.finance_user, project_class="stalled", reason="x"
        )
    with pytest.raises(Invalid):
        services.project_override_class(project=project, by=city.office, project_class="stalled", reason=" ")
    services.project_override_class(
        project=project, by=city.office, project_class="stalled", reason="征地受阻"
    )
    project.refresh_from_db()
    assert (project.project_class, project.computed_class) == ("stalled", "normal")
    services.project_reclassify(project=project)
    assert PPPProject.objects.get(pk=project.pk).project_class == "stalled"


def test_an_unknown_class_is_refused_naming_the_field(city, project):
    with pytest.raises(Invalid) as refused:
        services.project_override_class(project=project, by=city.office, project_class="great", reason="x")
    assert "project_class" in refused.value.fields


def test_clearing_the_override_returns_to_the_rules(city, project):
    services.project_override_class(
        project=project, by=city.office, project_class="withdraw", reason="拟退库"
    )
    services.project_override_class(project=project, by=city.office, project_class="", reason="情况已变化")
    project.refresh_from_db()
    assert (project.project_class, project.override_class) == ("normal", "")
    assert project.events.filter(kind="class").first().text == "督查室取消人工分类：情况已变化"


def test_only_the_managers_reclassify_the_programme_by_hand(city, project):
    with pytest.raises(NotPermitted):
        services.programme_reclassify(by=city.liaison)
    assert services.programme_reclassify(by=city.finance_user) == 1


def test_the_reclassification_schedule_exists_once(db):
    from django_q.models import Schedule

    # The migration created it; ensuring it again (or migrating again) adds nothing.
    assert Schedule.objects.filter(name=services.RECLASSIFY_SCHEDULE).count() == 1
    assert services.ensure_reclassify_schedule() is False
    schedule = Schedule.objects.get(name=services.RECLASSIFY_SCHEDULE)
    assert schedule.func == "duban.ppp.services.programme_reclassify_job"
    assert schedule.schedule_type == Schedule.DAILY


def test_the_scheduled_job_is_found_where_the_schedule_names_it(project):
    from django.utils.module_loading import import_string

    job = import_string(services.RECLASSIFY_FUNC)
    assert job is services.programme_reclassify_job
    assert job() == 1
