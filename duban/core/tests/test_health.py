"""/healthz tells a load balancer whether this process can serve: 200 when the database, the cache, the
job broker and the job backlog are fine, 503 naming the failed check otherwise, and nothing secret."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ, Schedule
from django_q.signing import SignedPackage

CHECKS = {"database", "cache", "broker", "jobs"}


pytestmark = pytest.mark.usefixtures("schedules_not_yet_due")


def test_a_healthy_platform_answers_200_with_each_checks_status(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert body["checks"]["jobs"]["queued"] == 0
    assert "no-store" in response["Cache-Control"]


def test_the_load_balancer_may_call_it_by_the_servers_address(db, client):
    # The host is not in ALLOWED_HOSTS: every other page would answer 400.
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/directives/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_an_unreachable_database_answers_503_without_saying_why_in_detail(db, client):
    refused = OperationalError('connection to server at "db.internal" (10.0.0.9), port 5432 failed: password')
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError", "ms": mock.ANY}
    assert body["checks"]["cache"]["status"] == "ok"
    text = response.content.decode()
    for secret in ("db.internal", "10.0.0.9", "5432", "password"):
        assert secret not in text


def _queue_a_job(*, queued_at):
    broker = get_broker()
    task = {
        "id": "t1",
        "name": "t1",
        "func": "math.floor",
        "args": (1.5,),
        "kwargs": {},
        "started": queued_at,
    }
    OrmQ.objects.create(key=broker.list_key, payload=SignedPackage.dumps(task), lock=queued_at)


def test_a_job_waiting_longer_than_the_limit_answers_503(db, client, settings):
    settings.DUBAN_HEALTH_MAX_JOB_AGE_SECONDS = 600
    _queue_a_job(queued_at=timezone.now() - timedelta(seconds=60))
    fresh = client.get("/healthz")
    assert fresh.status_code == 200
    assert fresh.json()["checks"]["jobs"]["queued"] == 1
    assert 59 <= fresh.json()["checks"]["jobs"]["oldest_seconds"] <= 62

    OrmQ.objects.all().delete()
    _queue_a_job(queued_at=timezone.now() - timedelta(hours=2))
    _queue_a_job(queued_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 503
    jobs = response.json()["checks"]["jobs"]
    assert jobs["status"] == "fail" and jobs["error"] == "backlog"
    assert jobs["queued"] == 2
    assert 7190 <= jobs["oldest_seconds"] <= 7210


def test_a_scheduled_job_long_overdue_answers_503_the_worker_is_not_running(db, client):
    Schedule.objects.create(
        name="overdue", func="math.floor", schedule_type=Schedule.HOURLY, repeats=-1,
        next_run=timezone.now() - timedelta(hours=3),
    )  # fmt: skip
    response = client.get("/healthz")
    assert response.status_code == 503
    jobs = response.json()["checks"]["jobs"]
    assert jobs["due_schedules"] == 1 and jobs["oldest_due_seconds"] >= 3 * 3600 - 5


def test_an_unreachable_broker_or_cache_answers_503(db, client):
    broker = mock.Mock(
        spec=["ping"], ping=mock.Mock(side_effect=ConnectionError("redis://:pw@10.0.0.7:6379"))
    )
    with mock.patch("duban.core.health._broker", return_value=broker):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {
        "status": "fail",
        "error": "ConnectionError",
        "ms": mock.ANY,
    }
    assert "10.0.0.7" not in response.content.decode()

    with mock.patch("duban.core.health.cache.get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "fail"


def test_the_answer_names_no_software_version_or_setting(db, client, settings):
    settings.SECRET_KEY = "a-very-secret-key-for-the-test"
    response = client.get("/healthz")
    text = response.content.decode()
    assert "Server" not in response
    for word in (
        "version",
        "redis",
        "postgres",
        "sqlite",
        "django",
        settings.SECRET_KEY,
        str(settings.DATA_DIR),
    ):
        assert word.lower() not in text.lower()
    allowed = {"status", "error", "ms", "queued", "oldest_seconds", "due_schedules", "oldest_due_seconds"}
    assert all(set(check) <= allowed for check in json.loads(text)["checks"].values())


def test_only_get_and_head_are_answered(db, client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
