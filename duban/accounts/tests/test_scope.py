"""What each role can list, read and change, through the pages and through the API."""

import pytest
from django.urls import reverse

from duban.accounts.scope import can_change, visible_to
from duban.organisation.models import Unit


def codes(units):
    return {u.code for u in units}


def api_codes(response):
    return {row["code"] for row in response.json()["results"]}


def test_office_sees_every_unit(city):
    assert codes(visible_to(city.office, Unit.objects.all())) == {"C", "C-CZ", "C-ZJ", "C-NP", "C-NP-SQ"}


def test_liaison_sees_only_their_own_unit(city):
    assert codes(visible_to(city.liaison, Unit.objects.all())) == {"C-CZ"}


def test_county_liaison_sees_the_county_and_its_townships(city):
    assert codes(visible_to(city.county_liaison, Unit.objects.all())) == {"C-NP", "C-NP-SQ"}


def test_township_liaison_does_not_see_the_county_above(city):
    assert codes(visible_to(city.township_liaison, Unit.objects.all())) == {"C-NP-SQ"}


def test_leader_sees_the_units_of_their_portfolio(city):
    assert codes(visible_to(city.leader_user, Unit.objects.all())) == {"C-CZ"}


def test_finance_reviewer_sees_the_whole_unit_directory(city):
    assert len(visible_to(city.finance_user, Unit.objects.all())) == 5


def test_inactive_and_anonymous_users_see_nothing(city):
    from django.contrib.auth.models import AnonymousUser

    city.liaison.is_active = False
    assert not visible_to(city.liaison, Unit.objects.all()).exists()
    assert not visible_to(AnonymousUser(), Unit.objects.all()).exists()


def test_only_the_office_changes_units(city):
    assert can_change(city.office, city.finance)
    for user in (city.liaison, city.leader_user, city.finance_user, city.county_liaison):
        assert not can_change(user, city.finance)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", {"C", "C-CZ", "C-ZJ", "C-NP", "C-NP-SQ"}),
        ("liaison", {"C-CZ"}),
        ("county_liaison", {"C-NP", "C-NP-SQ"}),
        ("leader_user", {"C-CZ"}),
    ],
)
def test_unit_list_page_and_api_show_the_same_scope(city, client_for, api_client_for, who, expected):
    user = getattr(city, who)
    assert api_codes(api_client_for(user).get("/api/units/")) == expected
    page = client_for(user).get(reverse("organisation:unit_list"))
    assert page.status_code == 200
    assert codes(page.context["page_obj"]) == expected


def test_liaison_cannot_read_another_units_page_or_api_record(city, client_for, api_client_for):
    assert (
        client_for(city.liaison).get(reverse("organisation:unit_detail", args=[city.housing.pk])).status_code
        == 404
    )
    response = api_client_for(city.liaison).get(f"/api/units/{city.housing.pk}/")
    assert response.status_code == 404
    assert "测试市住房" not in response.content.decode()


def test_liaison_cannot_change_their_own_unit_through_the_api(city, api_client_for):
    response = api_client_for(city.liaison).patch(
        f"/api/units/{city.finance.pk}/", {"short_name": "改名"}, format="json"
    )
    assert response.status_code == 403
    city.finance.refresh_from_db()
    assert city.finance.short_name == "市财政局"


def test_leader_cannot_create_units_through_the_api(city, api_client_for):
    response = api_client_for(city.leader_user).post(
        "/api/units/", {"code": "X", "name": "新单位", "kind": "city_department"}, format="json"
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(code="X").exists()


def test_office_creates_and_changes_units_through_the_api(city, api_client_for):
    client = api_client_for(city.office)
    created = client.post(
        "/api/units/",
        {"code": "X", "name": "新单位", "kind": "city_department", "parent": city.root.pk},
        format="json",
    )
    assert created.status_code == 201
    changed = client.patch(f"/api/units/{created.json()['id']}/", {"short_name": "新"}, format="json")
    assert changed.status_code == 200
    assert Unit.objects.get(code="X").short_name == "新"


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_only_the_office_opens_the_unit_edit_and_import_pages(city, client_for, who):
    client = client_for(getattr(city, who))
    assert client.get(reverse("organisation:unit_edit", args=[city.finance.pk])).status_code in (403, 404)
    assert client.get(reverse("organisation:unit_import")).status_code == 403
    assert client.get(reverse("organisation:unit_create")).status_code == 403
    assert client.get(reverse("organisation:leader_edit", args=[city.leader.pk])).status_code == 403


def test_liaison_lists_only_the_users_of_their_unit(city, client_for, api_client_for):
    names = {row["username"] for row in api_client_for(city.liaison).get("/api/users/").json()["results"]}
    assert names == {"liaison", "finance"}
    page = client_for(city.liaison).get(reverse("accounts:user_list"))
    assert {u.username for u in page.context["page_obj"]} == {"liaison", "finance"}


def test_liaison_cannot_read_a_user_of_another_unit(city, api_client_for):
    assert api_client_for(city.liaison).get(f"/api/users/{city.housing_liaison.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_only_the_office_manages_users(city, client_for, who):
    client = client_for(getattr(city, who))
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("accounts:user_edit", args=[city.liaison.pk])).status_code == 403


def test_the_api_refuses_anonymous_callers(db, client):
    for path in ("/api/units/", "/api/users/", "/api/audit/", "/api/leaders/"):
        assert client.get(path).status_code in (401, 403)


def test_pages_send_anonymous_visitors_to_the_login_page(db, client):
    response = client.get(reverse("organisation:unit_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
