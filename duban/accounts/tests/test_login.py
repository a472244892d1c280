from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.urls import reverse

from duban import settings as duban_settings
from duban.accounts.hashers import OwaspArgon2PasswordHasher
from duban.tests.factories import TEST_PASSWORD


def test_passwords_are_hashed_with_argon2id_at_owasps_minimum_cost_in_production_settings():
    assert duban_settings.PASSWORD_HASHERS[0] == "duban.accounts.hashers.OwaspArgon2PasswordHasher"
    hasher = OwaspArgon2PasswordHasher()
    encoded = hasher.encode("x", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    # Hashes made with Django's default parameters still verify, and are re-hashed at the next login.
    old = Argon2PasswordHasher().encode("x", Argon2PasswordHasher().salt())
    assert hasher.verify("x", old) and hasher.must_update(old)


def test_a_user_logs_in_with_the_right_password(city, client):
    response = client.post(reverse("accounts:login"), {"username": "liaison", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("cockpit:home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_chinese_message(city, client):
    response = client.post(reverse("accounts:login"), {"username": "liaison", "password": "wrong"})
    assert response.status_code == 200
    assert (
        "请输入一个正确的" in response.content.decode() or "正确的用户名和密码" in response.content.decode()
    )


def test_repeated_failed_logins_lock_the_user_name_out(city, client):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "liaison", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "liaison", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()


def test_token_endpoint_returns_a_token_that_authenticates_the_api(city, client):
    response = client.post("/api/auth/token/", {"username": "office", "password": TEST_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    listing = client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listing.status_code == 200
    assert listing.json()["count"] == 5


def test_token_endpoint_refuses_a_wrong_password(city, client):
    response = client.post("/api/auth/token/", {"username": "office", "password": "wrong"})
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()


def test_navigation_depends_on_the_role(city, client_for):
    office_page = client_for(city.office).get(reverse("cockpit:home")).content.decode()
    assert reverse("audit:entry_list") in office_page
    liaison_page = client_for(city.liaison).get(reverse("cockpit:home")).content.decode()
    assert reverse("audit:entry_list") not in liaison_page


def test_the_language_can_be_switched_to_english(city, client_for):
    client = client_for(city.office)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("cockpit:home"))
    assert page.wsgi_request.LANGUAGE_CODE == "en"


def test_chinese_is_the_default_whatever_the_browser_asks_for(city, client_for):
    page = client_for(city.office).get(reverse("cockpit:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.wsgi_request.LANGUAGE_CODE == "zh-hans"
