"""Who reads the PPP programme: its units, the finance reviewers, the office, and the leaders in charge
of the programme's theme (settings.DUBAN_PROGRAMME_THEMES), whatever their portfolio units."""

from django.apps import apps
from django.urls import reverse

from duban.accounts.scope import visible_to
from duban.ppp.models import PPPProject, ProjectStep
from duban.ppp.services import ppp_theme

from .factories import make_project


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_the_leader_in_charge_of_the_ppp_theme_reads_every_project_and_its_parts(city):
    project = make_project(implementing_agency=city.housing, by=city.office)
    assert not visible_to(city.leader_user, PPPProject.objects.all()).exists()
    city.leader.themes.add(ppp_theme())
    leader = fresh(city.leader_user)
    assert list(visible_to(leader, PPPProject.objects.all())) == [project]
    assert visible_to(leader, ProjectStep.objects.all()).count() == project.steps.count() > 0


def test_the_ppp_theme_is_the_one_the_settings_name(city, settings):
    settings.DUBAN_PROGRAMME_THEMES = {"bonds": "bond", "ppp": "concessions"}
    assert ppp_theme().code == "concessions"


def test_every_ppp_model_holding_project_data_belongs_to_the_ppp_programme():
    for model in apps.get_app_config("ppp").get_models():
        rule = model.data_scope
        if rule.public or rule.finance_changes and not rule.units:
            continue  # campaigns, dated parameters and budget figures are not a project's data
        assert rule.programme == "ppp", model


def test_the_leader_in_charge_finds_every_project_in_the_register(city, client_for):
    projects = [
        make_project(implementing_agency=unit, by=city.office) for unit in (city.housing, city.county)
    ]
    city.leader.themes.add(ppp_theme())
    page = client_for(city.leader_user).get(reverse("ppp:project_list"))
    assert sorted(p.pk for p in page.context["page_obj"]) == sorted(p.pk for p in projects)
