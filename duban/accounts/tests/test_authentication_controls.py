"""等保 2.0 identification and authentication: bounded password checks, throttling per address behind
the proxy, the password policy, forced changes, the idle limit, token revocation."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from duban.accounts import backends, services
from duban.accounts.middleware import LAST_SEEN
from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.core.errors import Invalid
from duban.core.net import client_address
from duban.tests.factories import TEST_PASSWORD, UserFactory

LOGIN = "/accounts/login/"
GOOD_NEW = "Xq7#mountain-river"


# -- the client's address ------------------------------------------------------------------------


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_a_forwarded_address_is_ignored_when_the_request_does_not_come_from_a_trusted_proxy(settings):
    settings.DUBAN_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_is_the_first_hop_that_is_not_a_proxy(settings):
    settings.DUBAN_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # A client may prepend anything; the proxy appends what it saw.
    assert client_address(_request("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    assert client_address(_request("10.0.0.1")) == "10.0.0.1"
    assert client_address(_request("10.0.0.1", "garbage")) == "10.0.0.1"


def test_behind_the_proxy_bad_passwords_from_one_address_do_not_lock_the_account_for_another(
    city, client, settings
):
    settings.DUBAN_TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "office", "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    locked = client.post(
        LOGIN, {"username": "office", "password": TEST_PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        LOGIN, {"username": "office", "password": TEST_PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert elsewhere.status_code == 302


# -- bounded, throttled password checks ----------------------------------------------------------


def test_one_address_trying_many_user_names_is_locked_out(city, client, settings):
    settings.DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        client.post(LOGIN, {"username": f"nobody{n}", "password": "wrong"})
    response = client.post(LOGIN, {"username": "liaison", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


def test_a_locked_out_token_request_gets_the_apis_error_body(city, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "office", "password": "wrong"})
    response = client.post("/api/auth/token/", {"username": "office", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "locked_out" and "锁定" in body["detail"] and "token" not in body
    assert int(response["Retry-After"]) > 0


def test_no_more_password_checks_run_at_once_than_the_setting_allows(city, settings, monkeypatch):
    settings.DUBAN_LOGIN_CONCURRENCY = 2
    settings.DUBAN_LOGIN_WAIT_SECONDS = 5
    running, peak, lock = [0], [0], threading.Lock()

    def slow_check(self, request, username=None, password=None, **kwargs):
        # A stand-in for the hash, without the database (threads do not share the test's transaction).
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return None

    monkeypatch.setattr(ModelBackend, "authenticate", slow_check)
    backend = backends.BoundedModelBackend()
    threads = [
        threading.Thread(
            target=backend.authenticate,
            args=(_request(f"192.0.2.{n}"),),
            kwargs={"username": "liaison", "password": "x"},
        )
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


def test_a_login_that_waits_too_long_for_its_turn_is_refused(city, settings):
    settings.DUBAN_LOGIN_CONCURRENCY = 1
    settings.DUBAN_LOGIN_WAIT_SECONDS = 0.05
    slots = backends.password_check_slots()
    slots.acquire()
    try:
        user = authenticate(_request("192.0.2.1"), username="liaison", password=TEST_PASSWORD)
    finally:
        slots.release()
    assert user is None
    assert authenticate(_request("192.0.2.1"), username="liaison", password=TEST_PASSWORD) == city.liaison


def test_an_unknown_user_name_costs_a_full_password_hash(city, settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["duban.accounts.hashers.OwaspArgon2PasswordHasher"]
    from django.contrib.auth import hashers

    hashed = []
    original = hashers.make_password
    monkeypatch.setattr(hashers, "make_password", lambda *a, **k: hashed.append(1) or original(*a, **k))
    from django.contrib.auth.base_user import AbstractBaseUser

    calls = []
    monkeypatch.setattr(AbstractBaseUser, "set_password", lambda self, raw: calls.append(raw))
    assert authenticate(_request("192.0.2.1"), username="no-such-user", password="guess") is None
    assert calls == ["guess"]  # Django's ModelBackend hashes the password for an unknown name too


# -- the password policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Ab1!x", "至少"),
        ("alllowercaseletters", "至少 3 类"),
        ("lowercase-and-symbols", "至少 3 类"),
        ("Zhangwei#2024", "姓名的拼音"),
        ("WeiZhang!88", "姓名的拼音"),
        ("Yunze@2024", "城市名称"),
        ("yz2023#Abc", "城市名称"),
        ("2024云泽Abc!", "城市名称"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason_in_chinese(city, password, why):
    user = UserFactory(username="zw", full_name="张伟")
    with pytest.raises(Invalid) as refused:
        services.user_set_password(user=user, by=city.office, password=password)
    assert why in refused.value.message


def test_a_long_password_with_three_kinds_of_character_is_accepted(city):
    services.user_set_password(user=city.liaison, by=city.office, password=GOOD_NEW)
    city.liaison.refresh_from_db()
    assert city.liaison.check_password(GOOD_NEW)


# -- changing one's own password -----------------------------------------------------------------


def test_a_user_changes_their_own_password_on_the_page(city, client_for):
    client = client_for(city.liaison)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": GOOD_NEW, "new_password2": GOOD_NEW},
    )
    assert response.status_code == 302
    city.liaison.refresh_from_db()
    assert city.liaison.check_password(GOOD_NEW)
    assert client.get(reverse("cockpit:home")).status_code == 200  # still signed in


def test_the_wrong_old_password_changes_nothing(city, client_for):
    response = client_for(city.liaison).post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": GOOD_NEW, "new_password2": GOOD_NEW},
    )
    assert response.status_code == 200
    assert "原密码不正确" in response.content.decode()
    city.liaison.refresh_from_db()
    assert city.liaison.check_password(TEST_PASSWORD)


def test_a_password_the_office_set_must_be_changed_at_the_first_login(city, client):
    services.user_set_password(user=city.liaison, by=city.office, password=GOOD_NEW)
    client.post(LOGIN, {"username": "liaison", "password": GOOD_NEW})
    response = client.get(reverse("directives:board"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_change"))
    api = client.get("/api/units/")
    assert api.status_code == 403 and api.json()["code"] == "account_action_required"


def test_a_password_older_than_the_limit_must_be_changed(city, client_for, settings):
    settings.DUBAN_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=city.leader_user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    response = client_for(city.leader_user).get(reverse("cockpit:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:password_change"))
    settings.DUBAN_PASSWORD_MAX_AGE_DAYS = 0
    assert client_for(city.leader_user).get(reverse("cockpit:home")).status_code == 200


def test_the_office_setting_a_password_does_not_count_as_the_users_own(city):
    services.user_set_password(user=city.liaison, by=city.liaison, password=GOOD_NEW)
    city.liaison.refresh_from_db()
    assert city.liaison.password_changed_at is not None
    services.user_set_password(user=city.liaison, by=city.office, password="Other#pass-2x")
    city.liaison.refresh_from_db()
    assert city.liaison.password_changed_at is None


# -- idle sessions -------------------------------------------------------------------------------


def test_a_session_idle_longer_than_the_limit_is_signed_out(city, client_for, settings):
    settings.DUBAN_SESSION_IDLE_MINUTES = 30
    client = client_for(city.liaison)
    assert client.get(reverse("cockpit:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("cockpit:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("cockpit:home")).status_code == 302  # the session is gone


def test_a_session_used_within_the_limit_stays(city, client_for):
    client = client_for(city.liaison)
    session = client.session
    session[LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("cockpit:home")).status_code == 200


# -- API tokens ----------------------------------------------------------------------------------


def _token(client, username="liaison", password=TEST_PASSWORD, **extra):
    return client.post("/api/auth/token/", {"username": username, "password": password, **extra})


def test_api_tokens_are_stored_hashed_and_expire(city, client, settings):
    answer = _token(client)
    assert answer.status_code == 200
    key = answer.json()["token"]
    stored = AuthToken.objects.get(user=city.liaison)
    assert key not in (stored.digest, stored.token_key) and stored.token_key == key[: len(stored.token_key)]
    assert stored.expiry > timezone.now()
    assert client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_logging_out_revokes_the_users_api_tokens(city, client):
    key = _token(client).json()["token"]
    client.post(LOGIN, {"username": "liaison", "password": TEST_PASSWORD})
    client.post(reverse("accounts:logout"))
    assert not AuthToken.objects.filter(user=city.liaison).exists()
    assert client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_a_password_change_or_reset_revokes_the_users_api_tokens(city, client):
    _token(client)
    services.password_change(user=city.liaison, old_password=TEST_PASSWORD, new_password=GOOD_NEW)
    assert not AuthToken.objects.filter(user=city.liaison).exists()
    _token(client, password=GOOD_NEW)
    services.user_set_password(user=city.liaison, by=city.office, password="Other#pass-2x")
    assert not AuthToken.objects.filter(user=city.liaison).exists()


def test_a_token_can_be_revoked_through_the_api(city, client):
    key = _token(client).json()["token"]
    assert client.post("/api/auth/logout/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 204
    assert client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_the_account_page_shows_a_new_token_once(city, client_for):
    client = client_for(city.liaison)
    page = client.post(reverse("accounts:api_token_create"))
    key = page.context["new_key"]
    assert key in page.content.decode()
    assert key not in client.get(reverse("accounts:account_security")).content.decode()
    assert client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_the_admin_does_not_list_token_keys(city, client_for):
    _instance, key = services.api_token_create(user=city.liaison)
    page = client_for(city.admin).get("/admin/knox/authtoken/")
    assert key not in page.content.decode()


def test_anonymous_api_calls_answer_401_with_www_authenticate(db, client):
    response = client.get("/api/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_api_schema_and_its_pages_are_for_signed_in_users_only(city, client, client_for):
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code in (401, 403)
    signed_in = client_for(city.liaison)
    assert signed_in.get("/api/schema/").status_code == 200
    assert signed_in.get("/api/docs/").status_code == 200


def test_the_token_endpoint_refuses_an_expired_password(city, client):
    User.objects.filter(pk=city.liaison.pk).update(password_changed_at=None)
    answer = _token(client)
    assert answer.status_code == 400 and answer.json()["code"] == "password_expired"


def test_a_role_list_offers_the_auditor(city):
    assert Role.AUDITOR in Role.values


def test_demo_users_sign_in_without_a_forced_change_also_in_a_demo_database_made_before(db, client):
    from duban.accounts.demo import DEMO_PASSWORD, load_demo
    from duban.organisation.demo import load_demo as load_demo_city

    load_demo_city()
    load_demo()
    User.objects.filter(username="office").update(password_changed_at=None)  # as an older demo left it
    load_demo()
    client.post(LOGIN, {"username": "office", "password": DEMO_PASSWORD})
    assert client.get(reverse("cockpit:home")).status_code == 200
