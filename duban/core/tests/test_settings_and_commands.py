"""Settings from the environment, the `duban` command, the demo and the concurrent-edit guard."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from duban.accounts.models import User
from duban.organisation.models import Leader, Unit


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DUBAN_ENV", "DUBAN_DEBUG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_python("import duban.settings", DUBAN_ENV="production", DUBAN_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_embedded_default_generates_and_keeps_a_secret_key(tmp_path):
    code = "import duban.settings as s; print(s.SECRET_KEY)"
    first = run_python(code, DUBAN_DATA_DIR=str(tmp_path))
    second = run_python(code, DUBAN_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) > 40
    assert (tmp_path / "secret_key").exists()


def test_defaults_are_sqlite_in_the_data_folder_shanghai_time_chinese_and_no_debug(tmp_path):
    code = (
        "import duban.settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.TIME_ZONE, s.LANGUAGE_CODE, s.DEBUG)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DUBAN_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    engine, name, tz, language, debug = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "duban.sqlite3")
    assert (tz, language, debug) == ("Asia/Shanghai", "zh-hans", "False")


def test_database_url_selects_postgresql(tmp_path):
    code = "import duban.settings as s; print(s.DATABASES['default']['ENGINE'])"
    result = run_python(
        code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", DUBAN_DATA_DIR=str(tmp_path)
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_duban_help_lists_our_commands_and_djangos(tmp_path):
    result = run_python("from duban.cli import main; main(['duban', '--help'])", DUBAN_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    for command in ("demo", "serve", "units", "minutes", "bonds", "ppp", "migrate"):
        assert command in result.stdout


@pytest.mark.django_db
def test_the_demo_runs_twice_without_creating_anything_twice():
    call_command("demo")
    counts = (Unit.objects.count(), Leader.objects.count(), User.objects.count())
    call_command("demo")
    assert (Unit.objects.count(), Leader.objects.count(), User.objects.count()) == counts
    assert counts[0] >= 35
    assert set(User.objects.values_list("username", flat=True)) >= {"office", "leader", "liaison", "finance"}
    assert User.objects.get(username="liaison").unit.short_name == "市财政局"
    assert Leader.objects.get(user__username="leader").units.exists()


def test_a_second_save_over_a_newer_version_is_refused_and_shows_what_changed(city, client_for):
    from duban.organisation import services

    stale_version = city.housing.version
    services.unit_update(
        unit=city.housing, by=city.office, expected_version=stale_version, short_name="住建局"
    )
    data = {
        "code": "C-ZJ",
        "name": city.housing.name,
        "short_name": "我的改名",
        "aliases": "",
        "kind": "city_department",
        "parent": city.root.pk,
        "sort_order": 0,
        "is_active": "on",
        "expected_version": stale_version,
    }
    response = client_for(city.office).post(reverse("organisation:unit_edit", args=[city.housing.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "其他人已修改" in body
    assert "住建局" in body
    city.housing.refresh_from_db()
    assert city.housing.short_name == "住建局"


def test_the_api_answers_409_to_an_edit_of_a_stale_version(city, api_client_for):
    client = api_client_for(city.office)
    version = client.get(f"/api/units/{city.housing.pk}/").json()["version"]
    assert (
        client.patch(
            f"/api/units/{city.housing.pk}/", {"short_name": "甲", "version": version}, format="json"
        ).status_code
        == 200
    )
    stale = client.patch(
        f"/api/units/{city.housing.pk}/", {"short_name": "乙", "version": version}, format="json"
    )
    assert stale.status_code == 409
    assert "甲" in stale.json()["detail"]


def test_the_openapi_schema_and_docs_are_served(city, client_for):
    client = client_for(city.office)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/units/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_serve_says_what_it_prepares_before_it_says_where_it_listens(monkeypatch, settings, tmp_path):
    import io

    from django.core.management import call_command

    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.DUBAN_WORKERS = 3
    said = io.StringIO()
    heard = []

    def run(application, *, when_ready, **where):
        heard.append(where)
        said.write("<bound>")
        when_ready()

    monkeypatch.setattr("duban.core.server.run", run)
    call_command("serve", "--port", "8123", stdout=said)
    lines = said.getvalue()
    assert lines.index("静态文件") < lines.index("加载应用") < lines.index("<bound>")
    assert lines.index("<bound>") < lines.index("3 个工作进程") < lines.index("http://127.0.0.1:8123/")
    assert heard == [{"host": "127.0.0.1", "port": 8123, "workers": 3, "threads": settings.DUBAN_THREADS}]
    # The second start finds the static files gathered and says so, without gathering them again.
    again = io.StringIO()
    call_command("serve", "--port", "8123", "--workers", "1", stdout=again)
    assert "静态文件无变化" in again.getvalue() and heard[-1]["workers"] == 1


def test_the_web_server_runs_the_settings_workers_with_a_graceful_stop_and_no_banner(settings):
    from duban.core import server

    settings.DUBAN_GRACEFUL_TIMEOUT = 25
    settings.DUBAN_TRUSTED_PROXIES = ["10.0.0.5", "10.1.0.0/16"]
    options = server.server_options(host="::1", port=8000, workers=4, threads=8)
    assert options["bind"] == ["[::1]:8000"] and options["workers"] == 4 and options["threads"] == 8
    assert options["graceful_timeout"] == 25 and options["worker_class"] == "gthread"
    assert options["forwarded_allow_ips"] == "10.0.0.5,10.1.0.0/16"
    application = server.DubanServer(lambda environ, start: [], options, when_ready=lambda: None)
    assert application.cfg.workers == 4 and application.cfg.graceful_timeout == 25
    assert application.cfg.control_socket_disable is True


def test_the_workers_default_to_the_cores_this_process_may_use(monkeypatch):
    import importlib
    import os

    from duban import settings as duban_settings

    monkeypatch.delenv("DUBAN_WORKERS", raising=False)
    assert len(os.sched_getaffinity(0)) == importlib.reload(duban_settings).DUBAN_WORKERS
    monkeypatch.setenv("DUBAN_WORKERS", "5")
    assert importlib.reload(duban_settings).DUBAN_WORKERS == 5
    monkeypatch.delenv("DUBAN_WORKERS")
    importlib.reload(duban_settings)


def test_without_redis_the_cache_is_a_folder_that_the_processes_of_the_host_share(monkeypatch):
    import importlib

    from duban import settings as duban_settings

    monkeypatch.delenv("DUBAN_REDIS_URL", raising=False)
    monkeypatch.delenv("DUBAN_CACHE_DIR", raising=False)
    cache = importlib.reload(duban_settings).CACHES["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert cache["LOCATION"] == str(duban_settings.DATA_DIR / "cache")
    monkeypatch.setenv("DUBAN_REDIS_URL", "redis://127.0.0.1:6379/3")
    shared = importlib.reload(duban_settings)
    assert shared.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared.Q_CLUSTER["redis"] == "redis://127.0.0.1:6379/3"
    monkeypatch.delenv("DUBAN_REDIS_URL")
    importlib.reload(duban_settings)


def test_a_head_request_is_answered_without_a_body():
    from duban.core import server

    closed = []

    class Body(list):
        def close(self):
            closed.append(True)

    app = server.without_head_bodies(lambda environ, start_response: Body([b"page"]))
    assert app({"REQUEST_METHOD": "HEAD"}, None) == [] and closed == [True]
    assert app({"REQUEST_METHOD": "GET"}, None) == [b"page"]


def test_a_paste_over_the_request_limit_is_answered_in_chinese_with_the_limit(city, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = client_for(city.office)
    client.raise_request_exception = False
    response = client.post("/minutes/", {"text": "会" * (1024 * 1024)})
    assert response.status_code == 413
    html = response.content.decode()
    assert "Bad Request" not in html
    assert "不能超过 1 MB" in html and "仍在上一页" in html
