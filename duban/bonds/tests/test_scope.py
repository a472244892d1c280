"""Who reads the bond programme: its units, the finance reviewers, the office, and the leaders in charge
of the programme's theme (settings.DUBAN_PROGRAMME_THEMES), whatever their portfolio units."""

import pytest
from django.apps import apps
from django.urls import reverse

from duban.accounts.scope import visible_to
from duban.bonds.models import BondProject, CashFlowRow
from duban.tests.factories import ThemeFactory

from .factories import BondProjectFactory, worked_example


@pytest.fixture
def housing_project(city):
    """A project of a unit outside the leader's portfolio (he is in charge of the finance bureau)."""
    project = BondProjectFactory(applying_unit=city.housing, created_by=city.housing_liaison)
    worked_example(project)
    return project


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_a_leader_outside_the_programme_theme_reads_only_his_units_projects(city, housing_project):
    assert not visible_to(city.leader_user, BondProject.objects.all()).exists()
    assert not visible_to(city.leader_user, CashFlowRow.objects.all()).exists()


def test_the_leader_in_charge_of_the_bond_theme_reads_every_project_and_its_parts(city, housing_project):
    city.leader.themes.add(ThemeFactory(code="bond", name="专项债券"))
    leader = fresh(city.leader_user)
    assert list(visible_to(leader, BondProject.objects.all())) == [housing_project]
    assert visible_to(leader, CashFlowRow.objects.all()).count() == housing_project.cash_flows.count() > 0


def test_the_programme_theme_is_the_one_the_settings_name(city, housing_project, settings):
    city.leader.themes.add(ThemeFactory(code="bond", name="专项债券"))
    settings.DUBAN_PROGRAMME_THEMES = {"bonds": "debt", "ppp": "ppp"}
    assert not visible_to(fresh(city.leader_user), BondProject.objects.all()).exists()
    city.leader.themes.add(ThemeFactory(code="debt", name="政府债务"))
    assert visible_to(fresh(city.leader_user), BondProject.objects.all()).exists()


def test_every_bond_model_holding_project_data_belongs_to_the_bond_programme():
    for model in apps.get_app_config("bonds").get_models():
        rule = model.data_scope
        if not rule.public:
            assert rule.programme == "bonds", model


def test_the_leader_in_charge_opens_the_library_and_the_project_but_may_not_edit_it(
    city, client_for, housing_project
):
    city.leader.themes.add(ThemeFactory(code="bond", name="专项债券"))
    client = client_for(city.leader_user)
    page = client.get(reverse("bonds:project_list"))
    assert [p.pk for p in page.context["page_obj"]] == [housing_project.pk]
    assert client.get(reverse("bonds:project_detail", args=[housing_project.pk])).status_code == 200
    assert client.get(reverse("bonds:project_edit", args=[housing_project.pk])).status_code in (403, 404)
