"""The home page: each role sees the red directives of its own scope, and nothing else."""

from datetime import date

import pytest
from django.urls import reverse

from duban.directives.models import Light, State
from duban.directives.tests.factories import DirectiveFactory


def red_directive(title, lead_unit, deadline):
    return DirectiveFactory(
        title=title, lead_unit=lead_unit, state=State.IN_PROGRESS, light=Light.RED, deadline=deadline
    )


@pytest.fixture
def red_directives(city):
    return (
        red_directive("财政局红灯事项", city.finance, date(2026, 1, 5)),
        red_directive("住建局红灯事项", city.housing, date(2026, 1, 6)),
    )


def test_the_office_home_shows_every_red_directive(city, client_for, red_directives):
    page = client_for(city.office).get(reverse("cockpit:home"))
    assert page.status_code == 200
    assert page.context["counts"]["red"] == 2
    body = page.content.decode()
    assert "财政局红灯事项" in body and "住建局红灯事项" in body


def test_a_liaison_home_shows_only_their_units_red_directives(city, client_for, red_directives):
    page = client_for(city.liaison).get(reverse("cockpit:home"))
    assert page.context["counts"]["red"] == 1
    body = page.content.decode()
    assert "财政局红灯事项" in body
    assert "住建局红灯事项" not in body


def test_a_leader_home_shows_their_portfolio(city, client_for, red_directives):
    page = client_for(city.leader_user).get(reverse("cockpit:home"))
    assert [d.title for d in page.context["red_list"]] == ["财政局红灯事项"]


def test_the_home_page_needs_a_login(db, client):
    assert client.get(reverse("cockpit:home")).status_code == 302


def test_home_queries_do_not_grow_with_the_number_of_directives(
    city, client_for, django_assert_max_num_queries
):
    client = client_for(city.office)
    DirectiveFactory.create_batch(2, lead_unit=city.finance, state=State.IN_PROGRESS, light=Light.RED)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("cockpit:home"))
    DirectiveFactory.create_batch(30, lead_unit=city.housing, state=State.IN_PROGRESS, light=Light.RED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cockpit:home"))


# ---------------------------------------------------------------------------------------------------
# Each role's own work: the finance reviewer's home


@pytest.fixture
def finance_work(city):
    """A bond project in 财政审核, an open batch, a review campaign under way, and an overdue PPP task."""
    from duban.bonds.models import ProjectState
    from duban.bonds.tests.factories import BatchFactory, BondProjectFactory
    from duban.ppp import services as ppp
    from duban.ppp.models import ContractReview
    from duban.ppp.tests.factories import make_project, sign

    batch = BatchFactory(name="2026年第四批")
    waiting = BondProjectFactory(
        applying_unit=city.housing, name="城东停车场项目", state=ProjectState.FINANCE_REVIEW, batch=batch
    )
    BondProjectFactory(
        applying_unit=city.housing, name="尚在主管部门审核的项目", state=ProjectState.UNIT_REVIEW
    )
    project = make_project(implementing_agency=city.finance, county=city.county, by=city.office)
    sign(project, by=city.office)
    campaign = ppp.campaign_create(
        by=city.office, name="2026年度PPP合同履约审查", year=2026, due_on=date(2026, 12, 31)
    )
    ppp.campaign_start(campaign=campaign, by=city.office)
    review = ContractReview.objects.get(campaign=campaign)
    late = ppp.task_create(
        review=review,
        by=city.finance_user,
        owner_unit=city.finance,
        title="补足欠付的可用性付费",
        deadline=date(2026, 1, 15),
    )
    return {"batch": batch, "project": waiting, "campaign": campaign, "task": late}


def test_the_finance_reviewers_home_shows_the_finance_bureaus_work(city, client_for, finance_work):
    page = client_for(city.finance_user).get(reverse("cockpit:home"))
    assert page.status_code == 200
    assert page.context["finance_reviews"] == [finance_work["project"]]
    assert [b.name for b in page.context["open_batches"]] == ["2026年第四批"]
    assert [c.name for c, _progress in page.context["campaigns"]] == ["2026年度PPP合同履约审查"]
    assert page.context["overdue_tasks"] == [finance_work["task"]]
    body = page.content.decode()
    for panel in ("home-finance-review", "home-open-batches", "home-campaigns", "home-overdue-tasks"):
        assert f'id="{panel}"' in body
    assert "尚在主管部门审核的项目" not in body


def test_the_finance_reviewers_home_is_not_a_liaisons_directive_list(city, client_for, red_directives):
    page = client_for(city.finance_user).get(reverse("cockpit:home"))
    assert "red_list" not in page.context and "waiting" not in page.context
    assert "财政局红灯事项" not in page.content.decode()


def test_the_other_roles_keep_their_directive_panels(city, client_for, red_directives, finance_work):
    for user in (city.office, city.leader_user, city.liaison):
        page = client_for(user).get(reverse("cockpit:home"))
        assert "red_list" in page.context and "finance_reviews" not in page.context
        assert 'id="home-finance-review"' not in page.content.decode()


def test_the_finance_home_queries_do_not_grow_with_the_work(
    city, client_for, finance_work, django_assert_max_num_queries
):
    from duban.bonds.models import ProjectState
    from duban.bonds.tests.factories import BondProjectFactory

    client = client_for(city.finance_user)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("cockpit:home"))
    BondProjectFactory.create_batch(
        20, applying_unit=city.housing, state=ProjectState.FINANCE_REVIEW, batch=finance_work["batch"]
    )
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        page = client.get(reverse("cockpit:home"))
    assert page.context["finance_review_count"] == 21
