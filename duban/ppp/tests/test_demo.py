"""The demo programme: every phase and class, one campaign under way, and loading it twice changes nothing."""

import pytest

from duban.accounts.demo import load_demo as load_users
from duban.organisation.demo import load_demo as load_units
from duban.ppp.demo import load_demo
from duban.ppp.models import ClassChoice, PPPProject, RectificationTask, ReviewCampaign
from duban.ppp.steps import Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_units()
    load_users()
    load_demo()


def test_the_demo_has_projects_in_every_phase_and_class(demo):
    assert set(PPPProject.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert set(PPPProject.objects.values_list("project_class", flat=True)) == set(ClassChoice.values)


def test_the_demo_has_one_campaign_under_way_with_rectification(demo):
    campaign = ReviewCampaign.objects.get()
    assert campaign.state == "under_way"
    assert RectificationTask.objects.filter(review__campaign=campaign).count() == 2


def test_the_demos_rectification_tasks_are_directives_of_their_owner_units(demo):
    tasks = list(RectificationTask.objects.select_related("directive"))
    assert tasks and all(task.directive is not None for task in tasks)
    assert all(task.directive.lead_unit_id == task.owner_unit_id for task in tasks)


def test_loading_the_demo_twice_changes_nothing(demo):
    from duban.directives.models import Directive

    before = (PPPProject.objects.count(), RectificationTask.objects.count(), Directive.objects.count())
    load_demo()
    assert (
        PPPProject.objects.count(),
        RectificationTask.objects.count(),
        Directive.objects.count(),
    ) == before
