"""Each list: the page and the API answer the same rows; the page's queries do not grow with its rows."""

import pytest
from django.urls import reverse

from duban.assessment import services
from duban.assessment.models import SnapshotRow, Visibility
from duban.tests.lists import assert_queries_do_not_grow, page_queries

from .factories import appeal_of, draft_period, entry_of, experience_of, make_scheme, published_period

SCHEMES, SCHEMES_API = reverse("assessment:scheme_list"), "/api/assessment/schemes/"
APPEALS, APPEALS_API = reverse("assessment:appeal_list"), "/api/assessment/appeals/"
ENTRIES, ENTRIES_API = reverse("assessment:entry_list"), "/api/assessment/entries/"


@pytest.mark.parametrize("who", ["office", "leader_user", "liaison"])
@pytest.mark.parametrize("query", [{}, {"visibility": "public"}, {"period_type": "month"}])
def test_the_scheme_list_and_the_api_agree(city, page_and_api_agree, who, query):
    make_scheme(city, name="公开月度")
    make_scheme(city, name="内部季度", visibility=Visibility.INTERNAL)

    rows = page_and_api_agree(getattr(city, who), SCHEMES, SCHEMES_API, query)

    assert len(rows) == (1 if who == "liaison" or query.get("visibility") else 2)


@pytest.mark.parametrize("who", ["office", "liaison", "housing_liaison"])
def test_the_appeal_list_and_the_api_agree(city, page_and_api_agree, who):
    period = published_period(city)
    appeal_of(city, period)
    appeal_of(city, period, by=city.county_liaison)

    rows = page_and_api_agree(getattr(city, who), APPEALS, APPEALS_API, {"state": "submitted"})

    assert len(rows) == {"office": 2, "liaison": 1, "housing_liaison": 0}[who]


@pytest.mark.parametrize("who", ["office", "county_liaison", "liaison"])
def test_the_entry_list_and_the_api_agree(city, page_and_api_agree, who):
    period = draft_period(city)
    entry_of(city, period)
    entry_of(city, period, unit=city.housing)

    rows = page_and_api_agree(getattr(city, who), ENTRIES, ENTRIES_API, {"period": period.pk})

    assert len(rows) == {"office": 2, "county_liaison": 1, "liaison": 0}[who]


def test_the_lists_queries_do_not_grow_with_their_rows(city, client_for):
    period = published_period(city)
    draft = services.period_open(scheme=period.scheme, label="2026-05", by=city.office)
    office = client_for(city.office)
    appeal_of(city, period)
    entry_of(city, draft)
    experience_of(city, title="首篇")

    def more_schemes():
        for n in range(4):
            make_scheme(city, name=f"方案{n}")

    def more_appeals():
        appeal_of(city, period, by=city.county_liaison)
        appeal_of(city, period, by=city.housing_liaison)

    def more_entries():
        for unit in (city.housing, city.finance):
            entry_of(city, draft, unit=unit)

    def more_experiences():
        for n in range(3):
            experience_of(city, title=f"经验{n}")

    assert_queries_do_not_grow(office, SCHEMES, add_rows=more_schemes, most=10)
    assert_queries_do_not_grow(office, APPEALS, add_rows=more_appeals, most=10)
    assert_queries_do_not_grow(office, ENTRIES, add_rows=more_entries, most=10)
    assert_queries_do_not_grow(
        office, reverse("assessment:experience_list"), add_rows=more_experiences, most=10
    )


def test_the_ranking_page_s_queries_do_not_grow_with_its_rows(city, client_for):
    from duban.assessment.models import Member, UnitGroup
    from duban.tests.factories import UnitFactory

    period = published_period(city)
    url = reverse("assessment:ranking", args=[period.pk])
    services.snapshot_revise(period=period, corrections={}, by=city.office, note="v2")
    office = client_for(city.office)

    def more():
        group = UnitGroup.objects.get(scheme=period.scheme, name="县区")
        Member.objects.bulk_create(Member(group=group, unit=UnitFactory()) for _ in range(5))
        # A revision scores the members of the version it revises: recompute a draft for the new ones.
        draft = services.period_open(scheme=period.scheme, label="2026-04", by=city.office)
        services.period_compute(period=draft, by=city.office)
        draft.refresh_from_db()
        return draft

    few = page_queries(office, url)
    draft = more()
    assert SnapshotRow.objects.filter(snapshot=draft.current).count() > 3
    assert page_queries(office, reverse("assessment:ranking", args=[draft.pk])) <= few
