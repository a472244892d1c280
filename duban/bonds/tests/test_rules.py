"""Who may do what: the predicates the buttons and the services share."""

import pytest

from duban.bonds import rules
from duban.bonds.models import ProjectState

S = ProjectState


@pytest.mark.parametrize(
    ("who", "may"),
    [("liaison", True), ("finance_user", True), ("admin", True), ("office", False), ("leader_user", False)],
)
def test_units_and_finance_write_the_library_the_office_and_leaders_read_it(city, project, who, may):
    user = getattr(city, who)
    assert rules.may_create_project(user, None) is may
    assert rules.may_edit_project(user, project) is may
    assert rules.may_attach_documents(user, project) is may


def test_a_liaison_creates_for_its_own_units_only(city):
    assert rules.may_create_project(city.liaison, city.finance)
    assert not rules.may_create_project(city.liaison, city.housing)
    assert rules.may_create_project(city.finance_user, city.housing)


def test_another_unit_may_not_edit(city, project):
    assert not rules.may_edit_project(city.housing_liaison, project)


@pytest.mark.parametrize("state", [S.UNIT_REVIEW, S.FINANCE_REVIEW, S.ISSUED])
def test_once_submitted_only_finance_edits_but_the_unit_still_attaches_papers(city, project, state):
    project.state = state
    assert not rules.may_edit_project(city.liaison, project)
    assert rules.may_attach_documents(city.liaison, project)
    assert rules.may_edit_project(city.finance_user, project)


def test_an_issued_bond_cannot_be_deleted(city, project):
    planned = project.debts.create(principal=1000, rate="0.03", issue_year=2021, term_years=10)
    issued = project.debts.create(principal=1000, rate="0.03", issue_year=2021, term_years=10, is_issued=True)
    assert rules.may_delete_debt(city.liaison, planned)
    assert not rules.may_delete_debt(city.liaison, issued)
    assert not rules.may_delete_debt(city.finance_user, issued)


def test_only_finance_opens_batches(city):
    assert rules.may_create_batch(city.finance_user)
    assert not rules.may_create_batch(city.liaison)
    assert not rules.may_create_batch(city.office)


def test_the_template_asks_the_same_predicate(city, project):
    from django.template import Context, Template

    template = Template(
        '{% load rules %}{% test_rule "bonds.may_edit_project" user project as may %}{{ may }}'
    )
    assert template.render(Context({"user": city.liaison, "project": project})) == "True"
    assert template.render(Context({"user": city.office, "project": project})) == "False"
