"""The project library: a project enters the pool, and its library fields are edited from a version."""

from decimal import Decimal

import pytest

from duban.bonds import services
from duban.bonds.models import ProjectState
from duban.core.concurrency import EditConflict
from duban.core.errors import NotPermitted

from .factories import area


def fields(city, **changes):
    return {
        "name": "乡村污水处理项目",
        "code": "ZX-LIB-1",
        "applying_unit": city.finance,
        "theme": "rural_living",
        "investment_area": area("04"),
        "total_investment": Decimal(8000),
        "capital": Decimal(2000),
        "bond_demand": Decimal(6000),
        "income_sources": "污水处理费、污水处理费，管网租金",
        **changes,
    }


def test_a_new_project_enters_the_pool_with_a_create_event(city):
    project = services.project_create(by=city.liaison, **fields(city))
    assert project.state == ProjectState.POOL
    assert project.income_sources == ["污水处理费", "管网租金"]
    assert list(project.events.values_list("transition", "to_state")) == [("create", ProjectState.POOL)]


def test_a_liaison_enters_projects_for_its_own_unit_only(city):
    with pytest.raises(NotPermitted):
        services.project_create(by=city.liaison, **fields(city, applying_unit=city.housing))


def test_the_office_reads_the_library_but_does_not_write_it(city):
    with pytest.raises(NotPermitted):
        services.project_create(by=city.office, **fields(city))


def test_an_edit_changes_only_what_changed_and_bumps_the_version(city, project):
    version = project.version
    updated = services.project_update(
        project=project, by=city.liaison, expected_version=version, bond_demand=Decimal(14000)
    )
    assert (updated.bond_demand, updated.version) == (Decimal(14000), version + 1)


def test_an_edit_from_an_old_version_is_refused_and_says_what_changed(city, project):
    services.project_update(project=project, by=city.liaison, expected_version=project.version, name="新名称")
    with pytest.raises(EditConflict, match="专项债券需求"):
        services.project_update(
            project=project, by=city.finance_user, expected_version=project.version, bond_demand=Decimal(1)
        )


def test_a_liaison_cannot_move_a_project_to_a_unit_outside_its_own(city, project):
    with pytest.raises(NotPermitted):
        services.project_update(
            project=project, by=city.liaison, expected_version=project.version, applying_unit=city.housing
        )
    project.refresh_from_db()
    assert project.applying_unit == city.finance


def test_a_finance_reviewer_may_move_a_project_to_another_unit(city, project):
    updated = services.project_update(
        project=project, by=city.finance_user, expected_version=project.version, applying_unit=city.housing
    )
    assert updated.applying_unit == city.housing


def test_a_liaison_cannot_edit_a_submitted_project_but_finance_can(city, project):
    project.state = ProjectState.FINANCE_REVIEW
    project.save()
    with pytest.raises(NotPermitted):
        services.project_update(project=project, by=city.liaison, expected_version=project.version, name="x")
    services.project_update(project=project, by=city.finance_user, expected_version=project.version, name="x")
