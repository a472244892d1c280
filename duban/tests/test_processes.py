"""Several processes against one PostgreSQL and one Redis, as docs/deploy.md runs the platform: two
`duban serve` (as on two app hosts, each with its own data folder, uploads on shared storage), two
`duban qcluster`, and a third `duban serve` that is stopped with a request in flight.

- a session started on one process is valid on the other (and ended on both by a logout on one);
- the cache is shared: the login limit per address counts the failures made on either process;
- an upload through one process is served by the other;
- DUBAN_WORKERS is the number of worker processes; no Server header names the software;
- a scheduled job runs once although two background workers watch the schedule;
- SIGTERM drains: a slow request in flight completes with 200, and a background worker finishes its
  task before it exits.

Only on PostgreSQL (the embedded SQLite is one host's); CI runs it in its PostgreSQL pass, where
Redis runs too (.ci/run starts it if it stopped).
"""

from __future__ import annotations

import os
import random
import re
import secrets
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule, Success

from duban.accounts.hashers import OwaspArgon2PasswordHasher
from duban.accounts.roles import Role
from duban.directives.tests.factories import DirectiveFactory
from duban.tests.factories import UnitFactory, UserFactory
from duban.tests.processes import Running, children, free_port, wait_until

PASSWORD = "Process-test-2026!"
REDIS = os.environ.get("DUBAN_TEST_REDIS_URL", "redis://127.0.0.1:6379")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.processes,
    # One worker runs the module (its processes are started once for all its tests).
    pytest.mark.xdist_group("processes"),
    pytest.mark.skipif(not ON_POSTGRES, reason="several processes are tested on PostgreSQL (DATABASE_URL)"),
]
if ON_POSTGRES:
    # The tests read the database in a transaction of their own. The module's data is committed by
    # the `stack` fixture, where the processes see it; at the end the database is emptied and given
    # back what the migrations put there (serialized when the test database was made), as a
    # transactional test with serialized_rollback does, so the tests after this module find it.
    pytestmark.append(pytest.mark.django_db(serialized_rollback=True))


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis at {REDIS} is not reachable ({error}); start it to test several processes"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI starts Redis: a CI run that skips this test proves nothing
        pytest.skip(message)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Stack:
    """What the module's processes share, and the objects the tests use."""

    def __init__(self, root: Path):
        self.root = root
        self.probes = root / "probes"
        self.media = root / "media"
        self.logs = root / "logs"
        for folder in (self.probes, self.media, self.logs):
            folder.mkdir()
        self.run_id = secrets.token_hex(4)
        self.processes: list[Running] = []
        self.ports: dict[str, int] = {}
        self.schedule_runs = self.probes / "schedule-runs"
        self.secret_key = secrets.token_urlsafe(50)
        # One Redis database for every process of the run (a URL without one gets one picked).
        self.redis = REDIS if re.search(r"/\d+$", REDIS) else f"{REDIS}/{random.randint(1, 15)}"

    def env(self, host: str, **more: str) -> dict[str, str]:
        data = self.root / host
        data.mkdir(exist_ok=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(settings.PROJECT_DIR),
            "DJANGO_SETTINGS_MODULE": "duban.tests.processes.settings",
            "DATABASE_URL": _database_url(),
            "DUBAN_REDIS_URL": self.redis,
            "SECRET_KEY": self.secret_key,
            "DUBAN_DATA_DIR": str(data),
            "DUBAN_MEDIA_ROOT": str(self.media),
            "DUBAN_PROBE_DIR": str(self.probes),
            "DUBAN_PROBE_RUN": self.run_id,
            "DUBAN_TRUSTED_PROXIES": "127.0.0.1",
            "DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT": "3",
            "DUBAN_Q_WORKERS": "1",
            "DUBAN_GRACEFUL_TIMEOUT": "20",
            "DUBAN_LOG_LEVEL": "INFO",
        }
        env.update(more)
        return env

    def start(self, name: str, arguments: list[str], env: dict[str, str]) -> Running:
        process = Running(name, arguments, env=env, log_dir=self.logs)
        self.processes.append(process)
        return process

    def serve(self, name: str, *, workers: int) -> Running:
        port = self.ports[name] = free_port()
        return self.start(name, ["serve", "--port", str(port)], self.env(name, DUBAN_WORKERS=str(workers)))

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def ready(self, name: str) -> None:
        process = next(p for p in self.processes if p.name == name)
        wait_until(
            lambda: process.says(f"127.0.0.1:{self.ports[name]}/"), timeout=60, what=f"{name} to listen"
        )

        def answers():
            try:
                return requests.get(self.url(name, "/accounts/login/"), timeout=5).status_code == 200
            except requests.ConnectionError:
                return False

        wait_until(answers, timeout=30, what=f"{name} to answer")


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    _redis_or_skip()
    stack = Stack(tmp_path_factory.mktemp("processes"))
    try:
        with django_db_blocker.unblock():
            _make_data(stack)
        for name in ("qcluster-a", "qcluster-b"):
            stack.start(name, ["qcluster"], stack.env(name))
        stack.serve("app-1", workers=2)
        stack.serve("app-2", workers=1)
        stack.serve("app-drain", workers=1)
        for name in ("app-1", "app-2", "app-drain"):
            stack.ready(name)
        yield stack
    finally:
        for process in stack.processes:
            process.kill_all()
        with django_db_blocker.unblock():
            # As TransactionTestCase does: sequences go on from the restored rows' ids.
            call_command(
                "flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False
            )
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def _make_data(stack: Stack) -> None:
    finance = UnitFactory(code="P-CZ", name="进程测试市财政局", short_name="财政局")
    hasher = OwaspArgon2PasswordHasher()
    stack.liaison = UserFactory(username="process-liaison", role=Role.LIAISON, unit=finance)
    stack.liaison.password = hasher.encode(PASSWORD, hasher.salt())
    stack.liaison.save()
    stack.directive = DirectiveFactory(lead_unit=finance, title="多进程测试事项")
    # Due now: both background workers' schedulers find it on their first round (processes/settings.py).
    stack.schedule = Schedule.objects.create(
        name="process-test",
        func="duban.tests.processes.tasks.record_run",
        args=repr((str(stack.schedule_runs),)),
        schedule_type=Schedule.MINUTES,
        minutes=1,
        repeats=-1,
        next_run=timezone.now(),
    )


def _sign_in(stack: Stack, name: str, *, address: str = "10.20.0.1", username: str | None = None):
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    session.get(stack.url(name, "/accounts/login/"), timeout=10)
    return session, session.post(
        stack.url(name, "/accounts/login/"),
        {
            "username": username or stack.liaison.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=30,
    )


def test_a_session_started_on_one_process_is_valid_on_the_other(stack):
    session, signed_in = _sign_in(stack, "app-1")
    assert signed_in.status_code == 302, signed_in.text[:500]
    home = session.get(stack.url("app-2", "/"), allow_redirects=False, timeout=30)
    assert home.status_code == 200 and stack.liaison.full_name in home.text
    # Ending it on the second ends it on the first.
    session.post(
        stack.url("app-2", "/accounts/logout/"),
        {"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    again = session.get(stack.url("app-1", "/"), allow_redirects=False, timeout=30)
    assert again.status_code == 302 and "/accounts/login/" in again.headers["Location"]


def test_the_cache_is_shared_the_login_limit_per_address_counts_failures_on_either_process(stack):
    address = f"10.{random.randint(30, 250)}.{random.randint(0, 250)}.{random.randint(1, 250)}"
    for attempt in range(3):  # DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT, each under a new name on app-1
        session = requests.Session()
        session.headers["X-Forwarded-For"] = address
        session.get(stack.url("app-1", "/accounts/login/"), timeout=10)
        refused = session.post(
            stack.url("app-1", "/accounts/login/"),
            {
                "username": f"nobody-{attempt}",
                "password": "x",
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert refused.status_code == 200
    _, locked = _sign_in(stack, "app-2", address=address)
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.text
    _, elsewhere = _sign_in(stack, "app-2", address="10.20.0.2")
    assert elsewhere.status_code == 302


def test_an_upload_through_one_process_is_served_by_the_other(stack):
    session, _ = _sign_in(stack, "app-1", address="10.20.0.3")
    picture = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(64)
    report = session.post(
        stack.url("app-1", f"/api/directives/{stack.directive.pk}/progress/"),
        data={"text": "多进程上传", "percent": "20"},
        files={"files": ("现场照片.png", picture, "image/png")},
        headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": stack.url("app-1", "/")},
        timeout=30,
    )
    assert report.status_code == 201, report.text[:500]
    evidence = report.json()["evidence"][0]["id"]
    download = session.get(stack.url("app-2", f"/directives/evidence/{evidence}/"), timeout=30)
    assert download.status_code == 200 and download.content == picture


def test_duban_workers_is_the_number_of_worker_processes_and_static_files_are_served(stack):
    first, second = (next(p for p in stack.processes if p.name == n) for n in ("app-1", "app-2"))
    assert len(children(first.pid)) == 2 and len(children(second.pid)) == 1
    assert "2 个工作进程" in first.output()
    for name in ("app-1", "app-2"):
        script = requests.get(stack.url(name, "/static/core/duban.js"), timeout=10)
        assert script.status_code == 200 and b"data-confirm" in script.content
        assert (
            "Server" not in script.headers
            and "Server" not in requests.head(stack.url(name, "/"), timeout=10).headers
        )


def test_a_scheduled_job_runs_once_with_two_background_workers(stack, scheduled_runs):
    assert len(scheduled_runs) == 1


@pytest.fixture(scope="module")
def scheduled_runs(stack, django_db_blocker):
    """The lines the scheduled job wrote: waited for, then a few seconds more for a second run."""
    wait_until(stack.schedule_runs.exists, timeout=60, what="the scheduled job to run", interval=0.2)
    # Both workers are running (the queue's name is in their "guarding" and "running" lines), so both
    # have had their first scheduler round, or are in it: a second run would show within seconds.
    queue = f"[django_q:duban-{stack.run_id}:q]"
    clusters = [p for p in stack.processes if p.name.startswith("qcluster")]
    wait_until(lambda: all(p.output().count(queue) >= 2 for p in clusters), timeout=30, what="both workers")
    time.sleep(2)
    with django_db_blocker.unblock():
        stack.schedule.refresh_from_db()
        assert stack.schedule.next_run > timezone.now()
    return stack.schedule_runs.read_text().split()


def test_sigterm_lets_a_request_in_flight_finish(stack):
    drain = next(p for p in stack.processes if p.name == "app-drain")
    answer = {}

    def slow_request():
        answer["response"] = requests.get(stack.url("app-drain", "/_probe/slow/?seconds=3"), timeout=60)

    client = threading.Thread(target=slow_request)
    client.start()
    wait_until(
        lambda: list(stack.probes.glob("slow-started-*")), timeout=30, what="the slow request to start"
    )
    drain.terminate()
    client.join(timeout=60)
    assert answer["response"].status_code == 200 and answer["response"].json()["slept"] == 3
    assert drain.wait(timeout=30) == 0
    assert "Handling signal: term" in drain.output()
    with pytest.raises(requests.ConnectionError):
        requests.get(stack.url("app-drain", "/accounts/login/"), timeout=5)


def test_sigterm_lets_the_background_worker_finish_its_task(stack, scheduled_runs):
    task = stack.probes / "task"
    queued = requests.get(stack.url("app-1", "/_probe/enqueue/?seconds=3"), timeout=30)
    assert queued.status_code == 200
    wait_until(Path(f"{task}.started").exists, timeout=30, what="the background task to start")
    clusters = [p for p in stack.processes if p.name.startswith("qcluster")]
    for cluster in clusters:
        cluster.terminate()
    for cluster in clusters:
        assert cluster.wait(timeout=60) == 0, cluster.output()[-2000:]
    assert Path(f"{task}.finished").exists()
    assert Success.objects.filter(id=queued.json()["task"], result="finished").exists()


def test_the_process_logs_name_no_error(stack, scheduled_runs):
    for process in stack.processes:
        assert not re.search(r"Traceback|\[ERROR\]|CRITICAL", process.output()), process.output()[-3000:]
