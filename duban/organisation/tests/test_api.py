"""The unit API: one tree with one root, versions read strictly, refusals in the one error body."""

import pytest

from duban.organisation.models import Unit


def test_the_api_cannot_create_a_second_root(city, api_client_for):
    response = api_client_for(city.office).post(
        "/api/units/", {"code": "X", "name": "另一个市", "kind": "city"}, format="json"
    )
    assert response.status_code == 400
    assert "只有一个最高级单位" in response.json()["fields"]["parent"][0]
    assert Unit.objects.filter(parent__isnull=True).count() == 1


def test_the_api_cannot_cut_a_unit_loose_from_the_tree(city, api_client_for):
    response = api_client_for(city.office).patch(
        f"/api/units/{city.county.pk}/", {"parent": None}, format="json"
    )
    assert response.status_code == 400
    city.county.refresh_from_db()
    assert city.county.parent == city.root


def test_the_page_cannot_create_a_second_root_either(city, client_for):
    response = client_for(city.office).post(
        "/units/new/", {"code": "X", "name": "另一个市", "kind": "city", "sort_order": 0, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "只有一个最高级单位" in response.content.decode()
    assert not Unit.objects.filter(code="X").exists()


@pytest.mark.parametrize("version", ["abc", -1, 1.5, True, ""])
def test_a_bad_version_is_a_400(city, api_client_for, version):
    response = api_client_for(city.office).patch(
        f"/api/units/{city.housing.pk}/", {"short_name": "甲", "version": version}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "version" in response.json()["fields"]


def test_a_refused_edit_answers_the_one_error_body(city, api_client_for):
    response = api_client_for(city.liaison).patch(
        f"/api/units/{city.finance.pk}/", {"short_name": "改名"}, format="json"
    )
    assert response.status_code == 403
    assert set(response.json()) >= {"detail", "code", "fields"}
