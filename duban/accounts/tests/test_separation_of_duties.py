"""三员分立 (等保 2.0 access control): the system administrator runs the platform, the security
administrator keeps accounts safe and reads no business data, the auditor reads both audit logs and
changes nothing; each is refused outside its lane, on the pages and through the API (docs/security.md)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from duban.accounts import services
from duban.accounts.roles import Role
from duban.audit.models import SecurityEvent, SecurityEventKind
from duban.audit.security import record
from duban.core.errors import NotPermitted
from duban.directives.tests.factories import DirectiveFactory
from duban.tests.factories import UserFactory
from duban.tests.lists import assert_queries_do_not_grow

LANES = ["admin", "office", "security", "auditor", "liaison"]


@pytest.fixture
def people(city, security_admin):
    auditor = UserFactory(username="auditor", role=Role.AUDITOR, unit=None)
    return {
        "admin": city.admin,
        "office": city.office,
        "security": security_admin,
        "auditor": auditor,
        "liaison": city.liaison,
    }


def _locked_out(user):
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="198.51.100.9",
        user_agent="test",
        failures_since_start=10,
        attempt_time=timezone.now(),
    )


PAGES = {
    # page: the lanes that open it
    "audit:security_log": {"security", "auditor"},
    "audit:entry_list": {"admin", "office", "auditor"},
    "accounts:security_account_list": {"security"},
    "accounts:user_create": {"admin", "office"},
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", LANES)
def test_each_role_opens_the_pages_of_its_lane_and_is_refused_the_others(people, client_for, page, who):
    status = client_for(people[who]).get(reverse(page)).status_code
    assert status == (200 if who in PAGES[page] else 403), (page, who, status)


@pytest.mark.parametrize("who", LANES)
def test_only_the_security_administrator_unlocks_resets_and_revokes(city, people, client_for, who):
    target = city.housing_liaison
    _locked_out(target)
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    AuthToken.objects.create(user=target)
    client = client_for(people[who])
    answers = {
        name: client.post(reverse(f"accounts:{name}", args=[target.pk])).status_code
        for name in ("account_unlock", "user_second_factor_reset", "account_tokens_revoke")
    }
    done = (
        not AccessAttempt.objects.filter(username=target.username).exists(),
        not TOTPDevice.objects.filter(user=target).exists(),
        not AuthToken.objects.filter(user=target).exists(),
    )
    if who == "security":
        assert set(answers.values()) == {302} and all(done)
        kinds = set(SecurityEvent.objects.filter(username=target.username).values_list("kind", flat=True))
        assert {
            SecurityEventKind.UNLOCKED,
            SecurityEventKind.SECOND_FACTOR_RESET,
            SecurityEventKind.TOKEN_REVOKED,
        } <= kinds
    else:
        assert set(answers.values()) == {403} and not any(done), answers


def test_the_security_administrator_finds_who_is_locked_out_and_manages_others_only(
    city, security_admin, client_for
):
    _locked_out(city.liaison)
    client = client_for(security_admin)
    listed = client.get(reverse("accounts:security_account_list"), {"locked": "true"})
    assert [a.username for a in listed.context["page_obj"]] == ["liaison"]
    with pytest.raises(NotPermitted):
        services.account_unlock(user=security_admin, by=security_admin)


def test_the_security_administrator_reads_no_business_data_whatever_the_unit(
    city, security_admin, client_for, api_client_for
):
    security_admin.unit = city.root  # even placed in the city's government
    security_admin.save()
    directive = DirectiveFactory(lead_unit=city.finance)
    api = api_client_for(security_admin)
    for url in ("/api/directives/", "/api/units/", "/api/users/", "/api/audit/"):
        answer = api.get(url)
        assert answer.status_code in (200, 403), url
        assert answer.status_code == 403 or answer.json()["count"] == 0, url
    assert api.get(f"/api/directives/{directive.pk}/").status_code == 404
    new_unit = {
        "code": "C-X",
        "name": "测试市新局",
        "short_name": "新局",
        "kind": "city_department",
        "parent": city.root.pk,
    }
    assert api.post("/api/units/", new_unit, format="json").status_code == 403
    client = client_for(security_admin)
    assert client.get(reverse("directives:detail", args=[directive.pk])).status_code == 404
    assert client.get(reverse("organisation:unit_detail", args=[city.finance.pk])).status_code == 404
    home = client.get(reverse("cockpit:home"))
    assert home.status_code == 302 and home["Location"] == reverse("accounts:security_account_list")


def test_the_auditor_reads_both_logs_through_pages_and_api_and_changes_nothing(
    city, people, client_for, api_client_for
):
    auditor = people["auditor"]
    record(SecurityEventKind.LOGIN, user=city.admin)
    client = client_for(auditor)
    assert "admin" in client.get(reverse("audit:security_log")).content.decode()
    assert api_client_for(auditor).get("/api/audit/").status_code == 200
    assert client.post(reverse("accounts:user_create"), {"username": "x"}).status_code == 403
    with pytest.raises(NotPermitted):
        services.user_update(user=city.liaison, by=auditor, full_name="改")


def test_the_system_administrator_cannot_reach_the_security_records_through_the_admin_site(city, client_for):
    client = client_for(city.admin)
    for path in (
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/knox/authtoken/",
        "/admin/otp_totp/totpdevice/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [Role.SECURITY, Role.AUDITOR, Role.ADMIN])
def test_the_administrators_roles_are_given_by_system_administrators_only(city, role):
    with pytest.raises(NotPermitted):
        services.user_create(by=city.office, username=f"new-{role}", password="Duban-Str0ng!", role=role)
    made = services.user_create(by=city.admin, username=f"new-{role}", password="Duban-Str0ng!", role=role)
    assert made.role == role
    with pytest.raises(NotPermitted):
        services.user_update(user=made, by=city.office, full_name="改")


def test_the_security_administrators_account_list_takes_a_fixed_number_of_queries(
    city, security_admin, client_for
):
    def more_accounts():
        for n in range(20):
            account = UserFactory(username=f"more{n}", role=Role.LIAISON, unit=city.finance)
            TOTPDevice.objects.create(user=account, name="phone", confirmed=True)
            AuthToken.objects.create(user=account)
            _locked_out(account)

    assert_queries_do_not_grow(
        client_for(security_admin), reverse("accounts:security_account_list"), add_rows=more_accounts, most=12
    )
