"""The library's `behind_plan` filter (the cockpit's card): spent ÷ issued below the month's target."""

from decimal import Decimal

from django.utils import timezone

from duban.bonds.models import SpendingTarget
from duban.bonds.selectors import lagging_projects
from duban.bonds.tests.factories import BondProjectFactory


def projects(city):
    return [
        BondProjectFactory(
            applying_unit=city.finance,
            issued_amount=Decimal(issued),
            spent_amount=Decimal(spent),
            created_by=city.office,
        )
        for issued, spent in ((1000, 599), (1000, 600), (0, 0), (500, 100))
    ]


def test_behind_plan_lists_the_projects_below_the_months_target(city, page_and_api_agree):
    today = timezone.localdate()
    SpendingTarget.objects.create(year=today.year, month=today.month, target_ratio=Decimal("0.6"))
    behind_a, _on_target, _not_issued, behind_b = projects(city)
    rows = page_and_api_agree(city.office, "/bonds/", "/api/bonds/projects/", {"behind_plan": "true"})
    assert sorted(rows) == sorted([behind_a.pk, behind_b.pk])
    assert sorted(p.pk for p in lagging_projects(user=city.office)) == sorted(rows)


def test_without_a_target_for_the_month_no_project_is_behind(city, page_and_api_agree):
    projects(city)
    assert page_and_api_agree(city.office, "/bonds/", "/api/bonds/projects/", {"behind_plan": "true"}) == []
