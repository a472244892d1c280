"""The unit directory's one FilterSet: the page, the Excel export and the API show the same units."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.tests.factories import LeaderFactory, UnitFactory
from duban.tests.lists import assert_queries_do_not_grow

PAGE, API = reverse("organisation:unit_list"), "/api/units/"


def codes(pks):
    from duban.organisation.models import Unit

    return {unit.code for unit in Unit.objects.filter(pk__in=pks)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"C", "C-CZ", "C-ZJ", "C-NP", "C-NP-SQ"}),
        ({"q": "财政"}, {"C-CZ"}),
        ({"q": "c-np"}, {"C-NP", "C-NP-SQ"}),
        ({"kind": "county"}, {"C-NP"}),
        ({"is_active": "false"}, {"C-ZJ"}),
        ({"is_active": "true", "q": "南屏"}, {"C-NP", "C-NP-SQ"}),
    ],
)
def test_the_page_and_the_api_filter_the_directory_alike(city, query, expected, page_and_api_agree):
    city.housing.is_active = False
    city.housing.save()
    rows = page_and_api_agree(city.office, PAGE, API, query)
    assert codes(rows) == expected


def test_the_parent_filter_is_shared_too(city, page_and_api_agree):
    query = {"parent": city.root.pk}
    rows = page_and_api_agree(city.office, PAGE, API, query)
    assert codes(rows) == {"C-CZ", "C-ZJ", "C-NP"}


def test_a_liaisons_filtered_list_stays_within_their_scope(city, page_and_api_agree):
    user = city.county_liaison
    rows = page_and_api_agree(user, PAGE, API, {"q": "石桥"})
    assert codes(rows) == {"C-NP-SQ"}


def test_a_bad_filter_is_a_400_through_the_api_and_left_out_on_the_page(city, client_for, api_client_for):
    response = api_client_for(city.office).get(API, {"kind": "planet"})
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]
    page = client_for(city.office).get(PAGE, {"kind": "planet"})
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 5


def test_the_export_follows_the_same_filters(city, client_for):
    response = client_for(city.office).get(
        reverse("organisation:unit_export"), {"q": "南屏", "kind": "township"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["C-NP-SQ"]


def test_the_parent_choices_are_the_units_the_user_may_see(city, client_for):
    form = client_for(city.county_liaison).get(PAGE).context["filterset"].form
    assert {unit.code for unit in form.fields["parent"].queryset} == {"C-NP", "C-NP-SQ"}


def test_unit_list_page_queries_do_not_grow_with_the_number_of_units(city, client_for):
    assert_queries_do_not_grow(
        client_for(city.office),
        PAGE,
        add_rows=lambda: UnitFactory.create_batch(40, parent=city.county),
        most=12,
    )


def test_the_leaders_page_and_api_list_the_same_leaders(city, page_and_api_agree):
    LeaderFactory.create_batch(2)
    leaders = reverse("organisation:leader_list"), "/api/leaders/"
    rows = page_and_api_agree(city.liaison, leaders[0], leaders[1], {})
    assert len(rows) == 3


def test_leader_list_page_queries_do_not_grow_with_the_number_of_leaders(city, client_for):
    def add_leaders():
        for leader in LeaderFactory.create_batch(20):
            leader.units.set([city.finance, city.housing])

    assert_queries_do_not_grow(
        client_for(city.office), reverse("organisation:leader_list"), add_rows=add_leaders, most=12
    )
