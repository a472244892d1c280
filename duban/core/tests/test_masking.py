"""Sensitive personal data masked by role on lists and the API (等保 2.0 data confidentiality)."""

import pytest
from django.urls import reverse

from duban.core.masking import mask_id_number, mask_phone, masked
from duban.tests.factories import UserFactory


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("0571-87654321", "********4321"),
        ("", ""),
    ],
)
def test_phone_numbers_are_masked_keeping_what_identifies_the_line_not_the_person(raw, shown):
    assert mask_phone(raw) == shown


def test_id_numbers_hide_the_birth_date():
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_a_reader_allowed_to_see_the_value_sees_it_whole():
    assert masked("13812345678", "phone", reveal=True) == "13812345678"
    assert masked("13812345678", "phone", reveal=False) == "138****5678"


def test_a_liaison_sees_colleagues_phones_masked_and_the_office_sees_them_whole(
    city, client_for, api_client_for
):
    UserFactory(username="colleague", unit=city.finance, phone="13812345678")
    liaison_page = client_for(city.liaison).get(reverse("accounts:user_list")).content.decode()
    assert "138****5678" in liaison_page and "13812345678" not in liaison_page
    api = api_client_for(city.liaison).get("/api/users/", {"q": "colleague"}).json()["results"]
    assert [row["phone"] for row in api] == ["138****5678"]
    office_api = api_client_for(city.office).get("/api/users/").json()["results"]
    assert "13812345678" in [row["phone"] for row in office_api]


def test_a_user_sees_their_own_phone_whole(city, api_client_for):
    city.liaison.phone = "13900001111"
    city.liaison.save()
    rows = api_client_for(city.liaison).get("/api/users/").json()["results"]
    assert "13900001111" in [row["phone"] for row in rows]
