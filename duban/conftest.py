"""Fixtures every app's tests share: a small city, one user per role, and API clients."""

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.utils import translation
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from duban.accounts.roles import Role
from duban.tests.factories import LeaderFactory, UnitFactory, UserFactory
from duban.tests.lists import assert_page_and_api_agree
from duban.workcalendar.selectors import forget_calendar

# Property tests: the same examples on every run (a red CI must be reproducible), and no per-example
# deadline, which a loaded two-core CI machine would miss for reasons unrelated to the code.
hypothesis_settings.register_profile("duban", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.load_profile("duban")

_postgres_flush = PostgresOperations.execute_sql_flush


def _flush_past_the_audit_guards(self, sql_list):
    """Transactional tests empty the database after each test, with one TRUNCATE of every table. The
    audit logs refuse TRUNCATE (a statement trigger, audit migration 0006), in production as here:
    only the tests' flush runs with the session's triggers off (which takes a superuser)."""
    with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        _postgres_flush(self, sql_list)


PostgresOperations.execute_sql_flush = _flush_past_the_audit_guards


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests render pages without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded evidence, notices and bulletins go to the test's own folder, never the data directory.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache_in_memory(settings):
    # The platform's cache is a folder in the data directory that its processes share; the test
    # workers each keep their own in memory, so that one's login counters or calendar never reach another.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
    }


@pytest.fixture(autouse=True)
def _fresh_calendar(_cache_in_memory):
    # The working calendar is cached per process; a test that adds an override must not leak it.
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture(autouse=True)
def _chinese_first():
    # A request in English (the language switch) leaves English active in the test's thread; every
    # test starts, as every request does, in the platform's default language.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (see accounts' tests); tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city(db):
    """A city with two departments, a county with a township, and the users of each role."""
    root = UnitFactory(code="C", name="测试市人民政府", short_name="市政府", kind="city")
    finance = UnitFactory(
        code="C-CZ", name="测试市财政局", short_name="市财政局", aliases=["财政局", "市财政"], parent=root
    )
    housing = UnitFactory(code="C-ZJ", name="测试市住房和城乡建设局", short_name="市住建局", parent=root)
    county = UnitFactory(code="C-NP", name="南屏县人民政府", short_name="南屏县", kind="county", parent=root)
    township = UnitFactory(
        code="C-NP-SQ", name="南屏县石桥镇人民政府", short_name="石桥镇", kind="township", parent=county
    )
    leader_user = UserFactory(username="leader", role=Role.LEADER, unit=root)
    leader = LeaderFactory(name="孙立华", user=leader_user)
    leader.units.set([finance])

    class City:
        pass

    c = City()
    c.root, c.finance, c.housing, c.county, c.township = root, finance, housing, county, township
    c.leader = leader
    c.office = UserFactory(username="office", role=Role.OFFICE, unit=root)
    c.admin = UserFactory(username="admin", role=Role.ADMIN, unit=root, is_superuser=True, is_staff=True)
    c.leader_user = leader_user
    c.liaison = UserFactory(username="liaison", role=Role.LIAISON, unit=finance)
    c.housing_liaison = UserFactory(username="housing", role=Role.LIAISON, unit=housing)
    c.county_liaison = UserFactory(username="county", role=Role.LIAISON, unit=county)
    c.township_liaison = UserFactory(username="township", role=Role.LIAISON, unit=township)
    c.finance_user = UserFactory(username="finance", role=Role.FINANCE, unit=finance)
    return c


@pytest.fixture
def security_admin(city):
    """The security administrator (安全管理员): accounts' lockouts, authenticators and tokens; no unit."""
    return UserFactory(username="security", role=Role.SECURITY, unit=None)


@pytest.fixture
def api_client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_for(client):
    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def page_and_api_agree(client_for, api_client_for):
    """`page_and_api_agree(user, page_url, api_url, query)`: the rows the list page and the API answer
    the user for the query are the same (`tests/lists.py`); returns them."""

    def check(user, page_url: str, api_url: str, query: dict) -> list[int]:
        return assert_page_and_api_agree(client_for(user), page_url, api_client_for(user), api_url, query)

    return check


def _chromium_page(monkeypatch, viewport):
    from playwright.sync_api import sync_playwright

    from duban.tests.browser import CHROMIUM

    # Playwright runs an event loop in the test's thread; the ORM calls of the test happen around it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # Without the background-networking flags Chromium tries hosts the closed network refuses.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(locale="zh-CN", viewport=viewport)
        yield page
        browser.close()
        # While Playwright's loop runs, the ORM keeps its connections per asyncio context (asgiref's
        # Local), so the test's ORM calls had a connection of their own: close it, or it outlives
        # the run and the test database cannot be dropped at the end.
        connections.close_all()


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A signed-out page in Debian's Chromium at desktop width (1440 px)."""
    from duban.tests.browser import DESKTOP

    yield from _chromium_page(monkeypatch, DESKTOP)


@pytest.fixture
def phone_page(live_server, monkeypatch):
    """A signed-out page at a phone's width (390 px)."""
    from duban.tests.browser import PHONE

    yield from _chromium_page(monkeypatch, PHONE)
