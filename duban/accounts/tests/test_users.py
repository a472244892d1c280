"""The office manages accounts; administrators' accounts only administrators; one FilterSet for the list."""

import pytest
from django.urls import reverse

from duban.accounts import services
from duban.accounts.models import User
from duban.core.errors import Invalid, NotPermitted
from duban.tests.factories import UserFactory
from duban.tests.lists import assert_queries_do_not_grow

PAGE, API = reverse("accounts:user_list"), "/api/users/"


def new_user(**changes):
    data = {
        "username": "newbie",
        "full_name": "新人",
        "role": "liaison",
        "unit": "",
        "email": "",
        "phone": "",
        "is_active": "on",
        "password": "a-Strong-pass-2026",
    }
    return {**data, **changes}


def usernames(pks):
    return set(User.objects.filter(pk__in=pks).values_list("username", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "hous"}, {"housing"}),
        ({"role": "liaison"}, {"liaison", "housing", "county", "township"}),
        ({"is_active": "false"}, {"township"}),
        ({"role": "liaison", "is_active": "true", "q": "ou"}, {"county", "housing"}),
    ],
)
def test_the_page_and_the_api_filter_users_alike(city, query, expected, page_and_api_agree):
    city.township_liaison.is_active = False
    city.township_liaison.save()
    rows = page_and_api_agree(city.office, PAGE, API, query)
    assert usernames(rows) == expected


def test_the_unit_filter_is_shared_too(city, page_and_api_agree):
    query = {"unit": city.finance.pk}
    rows = page_and_api_agree(city.office, PAGE, API, query)
    assert usernames(rows) == {"liaison", "finance"}


def test_a_bad_role_is_a_400_through_the_api_and_left_out_on_the_page(city, client_for, api_client_for):
    assert api_client_for(city.office).get(API, {"role": "emperor"}).status_code == 400
    page = client_for(city.office).get(PAGE, {"role": "emperor"})
    assert page.context["page_obj"].paginator.count == User.objects.count()


def test_user_list_queries_do_not_grow_with_the_number_of_users(city, client_for):
    assert_queries_do_not_grow(
        client_for(city.office),
        PAGE,
        add_rows=lambda: UserFactory.create_batch(30, unit=city.housing),
        most=12,
    )


def test_the_office_creates_a_liaison_who_must_belong_to_a_unit(city, client_for):
    client = client_for(city.office)
    response = client.post(reverse("accounts:user_create"), new_user())
    assert response.status_code == 200
    assert "必须属于一个单位" in response.content.decode()
    assert client.post(reverse("accounts:user_create"), new_user(unit=city.housing.pk)).status_code == 302


def test_a_weak_password_is_refused_beside_the_password_field(city, client_for):
    response = client_for(city.office).post(
        reverse("accounts:user_create"), new_user(unit=city.housing.pk, password="123")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="newbie").exists()


def test_the_office_is_not_offered_the_administrator_role(city, client_for):
    form = client_for(city.office).get(reverse("accounts:user_create")).context["form"]
    assert "admin" not in dict(form.fields["role"].choices)
    response = client_for(city.office).post(reverse("accounts:user_create"), new_user(role="admin"))
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_an_administrator_creates_an_administrator(city, client_for):
    response = client_for(city.admin).post(reverse("accounts:user_create"), new_user(role="admin"))
    assert response.status_code == 302
    assert User.objects.get(username="newbie").role == "admin"


def test_the_office_cannot_open_or_change_an_administrators_account(city, client_for):
    client = client_for(city.office)
    assert client.get(reverse("accounts:user_edit", args=[city.admin.pk])).status_code == 403
    page = client.get(PAGE).content.decode()
    assert reverse("accounts:user_edit", args=[city.admin.pk]) not in page
    assert reverse("accounts:user_edit", args=[city.liaison.pk]) in page


def test_the_services_refuse_what_the_pages_do_not_offer(city):
    with pytest.raises(NotPermitted):
        services.user_create(by=city.office, username="x", password="a-Strong-pass-2026", role="admin")
    with pytest.raises(NotPermitted):
        services.user_update(user=city.admin, by=city.office, full_name="改")
    with pytest.raises(NotPermitted):
        services.user_update(user=city.liaison, by=city.office, role="admin")
    with pytest.raises(NotPermitted):
        services.user_update(user=city.liaison, by=city.housing_liaison, full_name="改")
    with pytest.raises(Invalid) as refused:
        services.user_update(user=city.liaison, by=city.office, unit=None)
    assert "unit" in refused.value.fields


def test_a_user_sets_their_own_password_but_not_anothers(city):
    services.user_set_password(user=city.liaison, by=city.liaison, password="another-Strong-pass-9")
    with pytest.raises(NotPermitted):
        services.user_set_password(
            user=city.housing_liaison, by=city.liaison, password="another-Strong-pass-9"
        )


def test_an_edit_with_a_new_password_changes_both(city, client_for):
    data = new_user(
        username="liaison", unit=city.finance.pk, full_name="张三", password="another-Strong-pass-9"
    )
    response = client_for(city.office).post(reverse("accounts:user_edit", args=[city.liaison.pk]), data)
    assert response.status_code == 302
    city.liaison.refresh_from_db()
    assert city.liaison.full_name == "张三" and city.liaison.check_password("another-Strong-pass-9")


def test_a_password_reset_on_the_edit_page_revokes_the_users_api_tokens(city, client_for):
    from knox.models import AuthToken

    from duban.audit.models import SecurityEvent, SecurityEventKind

    AuthToken.objects.create(user=city.liaison)
    data = new_user(username="liaison", unit=city.finance.pk, password="another-Strong-pass-9")
    response = client_for(city.office).post(reverse("accounts:user_edit", args=[city.liaison.pk]), data)
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=city.liaison).exists()
    kinds = set(SecurityEvent.objects.filter(username="liaison").values_list("kind", flat=True))
    assert {SecurityEventKind.PASSWORD_SET, SecurityEventKind.TOKEN_REVOKED} <= kinds
