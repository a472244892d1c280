"""Two-factor authentication (TOTP): required of the office and administrators, optional for others.
The codes are computed in the test from the enrolled secret, as a phone's authenticator would."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts import services
from duban.audit.models import SecurityEvent, SecurityEventKind
from duban.core.errors import NotPermitted
from duban.tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


def code_for(key: bytes, *, offset: int = 0) -> str:
    return f"{totp(key, step=30, t0=0, digits=6, drift=offset):06d}"


@pytest.fixture
def required(settings):
    settings.DUBAN_REQUIRE_2FA = True
    # django-otp slows retries after a wrong code (1 s, 2 s, 4 s…); the tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _sign_in(client, username):
    return client.post(LOGIN, {"username": username, "password": TEST_PASSWORD})


def test_the_office_enrols_an_authenticator_at_its_first_login_and_then_works(city, client, required):
    _sign_in(client, "office")
    board = client.get(reverse("directives:board"))
    assert board.status_code == 302 and board.url.startswith(reverse("accounts:second_factor"))
    setup = client.get(board.url, follow=True)
    page = setup.content.decode()
    assert "<svg" in page  # the QR code, drawn as SVG
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    wrong = str((int(code_for(key)) + 1) % 1_000_000).zfill(6)
    refused = client.post(reverse("accounts:second_factor_setup"), {"code": wrong})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    confirmed = client.post(reverse("accounts:second_factor_setup"), {"code": code_for(key)})
    assert confirmed.status_code == 302
    assert client.get(reverse("directives:board")).status_code == 200
    assert TOTPDevice.objects.get(user=city.office).confirmed


def test_an_enrolled_user_must_give_a_code_at_each_login(city, client, required):
    device = TOTPDevice.objects.create(user=city.office, name="phone", confirmed=True)
    _sign_in(client, "office")
    assert client.get(reverse("cockpit:home")).url.startswith(reverse("accounts:second_factor"))
    wrong = client.post(reverse("accounts:second_factor"), {"code": "12345"})
    assert "验证码不正确" in wrong.content.decode()
    right = client.post(reverse("accounts:second_factor"), {"code": code_for(device.bin_key)})
    assert right.status_code == 302
    assert client.get(reverse("cockpit:home")).status_code == 200


def test_a_user_who_has_not_given_the_code_cannot_enrol_a_new_authenticator(city, client, required):
    TOTPDevice.objects.create(user=city.office, name="phone", confirmed=True)
    _sign_in(client, "office")
    response = client.get(reverse("accounts:second_factor_setup"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:second_factor"))


def test_the_session_api_is_refused_until_the_code_is_given(city, client, required):
    _sign_in(client, "office")
    response = client.get("/api/units/")
    assert response.status_code == 403 and response.json()["code"] == "account_action_required"


def test_a_liaison_may_work_without_a_second_factor(city, client, required):
    _sign_in(client, "liaison")
    assert client.get(reverse("cockpit:home")).status_code == 200


def test_a_liaison_who_enrolled_is_asked_for_the_code_too(city, client, required):
    device = TOTPDevice.objects.create(user=city.liaison, name="phone", confirmed=True)
    _sign_in(client, "liaison")
    assert client.get(reverse("cockpit:home")).status_code == 302
    client.post(reverse("accounts:second_factor"), {"code": code_for(device.bin_key)})
    assert client.get(reverse("cockpit:home")).status_code == 200


def test_without_the_setting_the_office_signs_in_with_its_password(city, client, settings):
    settings.DUBAN_REQUIRE_2FA = False
    _sign_in(client, "office")
    assert client.get(reverse("cockpit:home")).status_code == 200


def test_an_api_token_for_an_enrolled_user_needs_the_code(city, client, required):
    device = TOTPDevice.objects.create(user=city.office, name="phone", confirmed=True)
    refused = client.post("/api/auth/token/", {"username": "office", "password": TEST_PASSWORD})
    assert refused.status_code == 400 and "token" not in refused.json()
    given = client.post(
        "/api/auth/token/", {"username": "office", "password": TEST_PASSWORD, "otp": code_for(device.bin_key)}
    )
    assert given.status_code == 200 and given.json()["token"]


def test_the_security_administrator_resets_a_lost_authenticator(city, security_admin):
    TOTPDevice.objects.create(user=city.liaison, name="phone", confirmed=True)
    services.second_factor_reset(user=city.liaison, by=security_admin)
    assert not TOTPDevice.objects.filter(user=city.liaison).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_RESET)
    assert (event.username, event.detail) == ("liaison", "by security")


@pytest.mark.parametrize("who", ["office", "admin"])
def test_whoever_sets_passwords_does_not_also_remove_authenticators(city, who):
    TOTPDevice.objects.create(user=city.liaison, name="phone", confirmed=True)
    with pytest.raises(NotPermitted):
        services.second_factor_reset(user=city.liaison, by=getattr(city, who))
    assert TOTPDevice.objects.filter(user=city.liaison).exists()


def test_a_liaison_cannot_reset_someone_elses_authenticator(city):
    TOTPDevice.objects.create(user=city.housing_liaison, name="phone", confirmed=True)
    with pytest.raises(NotPermitted):
        services.second_factor_reset(user=city.housing_liaison, by=city.liaison)
    assert TOTPDevice.objects.filter(user=city.housing_liaison).exists()


def test_the_security_administrator_removes_a_lost_authenticator_on_the_accounts_page(
    city, security_admin, client_for
):
    TOTPDevice.objects.create(user=city.liaison, name="phone", confirmed=True)
    client = client_for(security_admin)
    page = client.get(reverse("accounts:security_account", args=[city.liaison.pk]))
    reset_url = reverse("accounts:user_second_factor_reset", args=[city.liaison.pk])
    assert reset_url in page.content.decode()
    assert client.post(reset_url).status_code == 302
    assert not TOTPDevice.objects.filter(user=city.liaison).exists()


def test_a_liaison_cannot_remove_anyones_authenticator_from_the_page(city, client_for):
    TOTPDevice.objects.create(user=city.liaison, name="phone", confirmed=True)
    response = client_for(city.liaison).post(
        reverse("accounts:user_second_factor_reset", args=[city.liaison.pk])
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=city.liaison).exists()
