"""The dated parameters: the managers add or correct a row by its date, and the programme is reclassified."""

import datetime
from decimal import Decimal

import pytest

from duban.core.errors import NotPermitted
from duban.ppp import services
from duban.ppp.models import BudgetYear, ThresholdSet

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_saving_the_row_of_a_date_again_corrects_it(city):
    services.threshold_set_save(
        by=city.finance_user, valid_from=datetime.date(2025, 1, 1), cap=Decimal("0.09")
    )
    services.threshold_set_save(
        by=city.finance_user, valid_from=datetime.date(2025, 1, 1), cap=Decimal("0.08")
    )
    assert ThresholdSet.objects.get().cap == Decimal("0.08")


def test_a_leader_reads_but_does_not_set_the_parameters(city):
    with pytest.raises(NotPermitted):
        services.budget_year_save(by=city.leader_user, year=2024, expenditure=Decimal(1))
    assert not BudgetYear.objects.exists()


def test_new_classification_rules_reclassify_the_programme_at_once(city, project):
    services.step_update(
        step=project.steps.first(), by=city.office, planned_on=TODAY - datetime.timedelta(days=7)
    )
    project.refresh_from_db()
    assert project.project_class == "normal"
    services.classification_rules_save(
        by=city.office, valid_from=TODAY - datetime.timedelta(days=1), slow_days=5, stalled_days=10
    )
    project.refresh_from_db()
    assert project.project_class == "slow"
