"""The scope rule reads co-operating units from their link tables (issue 12: the leader's board was slow
with the old subquery on the rows' own table); on a mixed dataset it must return exactly the rows the old
rule returned, once each, for every model with a scope and every kind of user."""

import pytest
from django.apps import apps
from django.db.models import Q

from duban.accounts import scope
from duban.accounts.roles import Role
from duban.bonds.tests.factories import BondProjectFactory
from duban.directives.tests.factories import DirectiveFactory, MeetingFactory, MilestoneFactory
from duban.tests.factories import LeaderFactory, ThemeFactory, UnitFactory, UserFactory


def _old_shared_condition(model, path, units):
    """The rule as it was: the rows' ids from a subquery on the model joined to the path."""
    return Q(pk__in=model._base_manager.filter(**{f"{path}__in": units}).values("pk"))


SCOPED = [m for m in apps.get_models() if hasattr(m, "data_scope") and m.__module__.startswith("duban.")]


@pytest.fixture
def mixed(city):
    """Units two levels deep, leaders with portfolios and themes, directives led and shared across
    units (some shared with two units of one reader), their milestones, meetings with several units,
    bond projects supervised by and located in other units."""
    districts = [UnitFactory(parent=city.root, kind="county") for _ in range(3)]
    towns = [UnitFactory(parent=d, kind="township") for d in districts for _ in range(2)]
    units = [city.finance, city.housing, city.county, city.township, *districts, *towns]
    themes = [ThemeFactory(code=f"mix{i}") for i in range(3)]
    leaders = [
        city.leader,
        LeaderFactory(user=UserFactory(username="leader2", role=Role.LEADER, unit=city.root)),
    ]
    leaders[0].themes.set([themes[1]])
    leaders[1].units.set([districts[0], towns[3]])
    for i in range(40):
        lead = units[i % len(units)]
        shared = [units[(i * 7 + 3) % len(units)], units[(i * 5 + 1) % len(units)]] if i % 3 else []
        directive = DirectiveFactory(
            lead_unit=lead,
            theme=themes[i % 3],
            responsible_leader=leaders[i % 2] if i % 4 == 0 else None,
            co_units=[u for u in shared if u != lead],
        )
        MilestoneFactory(directive=directive)
    for i in range(6):
        MeetingFactory(chair=leaders[i % 2] if i % 2 else None).units.set(units[i : i + 3])
    for i in range(6):
        BondProjectFactory(
            applying_unit=units[i],
            supervising_department=units[(i + 2) % len(units)] if i % 2 else None,
            county=districts[i % 3],
        )
    liaisons = [
        UserFactory(username=f"mix{i}", role=Role.LIAISON, unit=u) for i, u in enumerate(districts + towns)
    ]
    return [
        city.office,
        city.liaison,
        city.county_liaison,
        city.township_liaison,
        city.leader_user,
        leaders[1].user,
        city.finance_user,
        *liaisons,
    ]


def test_every_scoped_model_reads_the_same_rows_as_the_old_rule_once_each(mixed, monkeypatch):
    assert any(m.data_scope.shared_units for m in SCOPED)  # the rewrite is exercised
    for model in SCOPED:
        for user in mixed:
            new = list(scope.visible_to(user, model._default_manager.all()).values_list("pk", flat=True))
            with monkeypatch.context() as old_rule:
                old_rule.setattr(scope, "_shared_condition", _old_shared_condition)
                old = set(scope.visible_to(user, model._default_manager.all()).values_list("pk", flat=True))
            assert len(new) == len(set(new)), (model.__name__, user.username)
            assert set(new) == old, (model.__name__, user.username)


def test_the_mixed_dataset_reaches_rows_through_shared_units_only(mixed):
    """The comparison above means something: some rows are reached only through a co-operating unit."""
    from duban.directives.models import Directive

    liaison = next(u for u in mixed if u.username == "mix3")
    units = scope.user_unit_ids(liaison)
    through_shared = scope.visible_to(liaison, Directive.objects.all()).exclude(lead_unit_id__in=units)
    assert through_shared.exists()


def test_a_path_through_single_valued_links_is_a_plain_condition_and_a_many_to_many_reads_its_link_table():
    from duban.bonds.models import BondProject
    from duban.directives.models import Directive, Milestone

    assert scope._shared_condition(BondProject, "county", [1]) == Q(county__in=[1])
    co_units = str(scope._shared_condition(Directive, "co_units", [1]).children[0][1].query)
    assert "directives_directive_co_units" in co_units and '"directives_directive"' not in co_units
    milestone = scope._shared_condition(Milestone, "directive__co_units", [1])
    assert milestone.children[0][0] == "directive__pk__any_of"
