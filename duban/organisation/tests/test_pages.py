import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.organisation.models import Unit


def exported_codes(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_excel_export_holds_only_the_units_the_user_may_see(city, client_for):
    response = client_for(city.county_liaison).get(reverse("organisation:unit_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert exported_codes(response) == {"C-NP", "C-NP-SQ"}


def test_the_excel_export_follows_the_list_filters(city, client_for):
    response = client_for(city.office).get(reverse("organisation:unit_export"), {"kind": "county"})
    assert exported_codes(response) == {"C-NP"}


def test_the_office_deactivates_a_unit_and_a_liaison_cannot(city, client_for):
    url = reverse("organisation:unit_toggle_active", args=[city.finance.pk])
    assert client_for(city.liaison).post(url).status_code == 403
    assert Unit.objects.get(pk=city.finance.pk).is_active
    assert client_for(city.office).post(url).status_code == 302
    assert not Unit.objects.get(pk=city.finance.pk).is_active


def test_a_unit_of_another_unit_cannot_be_toggled_or_even_found(city, client_for):
    url = reverse("organisation:unit_toggle_active", args=[city.housing.pk])
    assert client_for(city.liaison).post(url).status_code == 404
    assert Unit.objects.get(pk=city.housing.pk).is_active


def test_the_office_creates_a_unit_with_aliases_through_the_page(city, client_for):
    response = client_for(city.office).post(
        reverse("organisation:unit_create"),
        {
            "code": "C-JY",
            "name": "测试市教育局",
            "short_name": "市教育局",
            "aliases": "教育局，市教育",
            "kind": "city_department",
            "parent": city.root.pk,
            "sort_order": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="C-JY")
    assert unit.aliases == ["教育局", "市教育"]
    assert unit.tree_path == f"{city.root.tree_path}{unit.pk}/"


def test_moving_a_unit_moves_its_whole_subtree(city):
    city.county.parent = city.finance
    city.county.save()
    city.township.refresh_from_db()
    assert city.township.tree_path == f"{city.finance.tree_path}{city.county.pk}/{city.township.pk}/"


def test_a_unit_cannot_be_placed_under_its_own_sub_unit(city):
    from django.core.exceptions import ValidationError

    city.county.parent = city.township
    with pytest.raises(ValidationError):
        city.county.full_clean()


def test_unit_names_resolve_by_full_name_short_name_and_alias(city):
    from duban.organisation.selectors import resolve_unit

    for name in ("测试市财政局", "市财政局", "财政局", "市财政"):
        assert resolve_unit(name) == city.finance
    assert resolve_unit("不存在") is None


def test_the_office_sets_a_leaders_portfolio_through_the_page(city, client_for):
    response = client_for(city.office).post(
        reverse("organisation:leader_edit", args=[city.leader.pk]),
        {
            "name": city.leader.name,
            "post": "vice_mayor",
            "title": "副市长",
            "user": city.leader_user.pk,
            "units": [city.housing.pk, city.county.pk],
            "sort_order": 0,
            "is_active": "on",
            "expected_version": city.leader.version,
        },
    )
    assert response.status_code == 302
    assert set(city.leader.units.values_list("code", flat=True)) == {"C-ZJ", "C-NP"}


def test_every_signed_in_user_reads_the_leaders_list(city, client_for):
    page = client_for(city.liaison).get(reverse("organisation:leader_list"))
    assert page.status_code == 200
    assert "孙立华" in page.content.decode()
