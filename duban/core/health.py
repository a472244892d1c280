"""`/healthz`: is this process able to serve, for the load balancer and the monitoring system.

Four checks, each timed: the database answers, the cache stores and returns a value, the job broker
(django-q2) answers, and the job backlog is moving (no queued job, and no scheduled job that is due,
has waited longer than DUBAN_HEALTH_MAX_JOB_AGE_SECONDS: the worker is down or far behind). It answers
200 when all pass and 503 when one fails, with each check's status as JSON. It is open to anonymous
callers (load balancers sign in to nothing), so it says nothing that helps an attacker: no host names,
versions, settings or error messages, only the kind of error.

Load balancers and orchestrators call it by the server's address, which is not in ALLOWED_HOSTS:
`HealthzMiddleware` answers it before the host is checked (the answer builds no URL from the Host
header, so there is nothing to forge) and before sessions and sign-in, which it does not need.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK, FAIL = "ok", "fail"


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict:
    key, value = "duban:healthz", secrets.token_hex(8)
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")
    return {}


def _broker():
    from django_q.brokers import get_broker

    return get_broker()


def check_broker() -> dict:
    if not _broker().ping():
        raise RuntimeError("the broker did not answer")
    return {}


def _oldest_queued(broker):
    """When the oldest job waiting in the broker's queue was queued (None: none, or unknown)."""
    from django_q.brokers.orm import ORM
    from django_q.brokers.redis_broker import Redis
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    if isinstance(broker, ORM):
        payload = (
            OrmQ.objects.filter(key=broker.list_key, lock__lte=timezone.now())
            .order_by("id")
            .values_list("payload", flat=True)
            .first()
        )
    elif isinstance(broker, Redis):
        payload = broker.connection.lindex(broker.list_key, 0)
    else:
        return None
    return SignedPackage.loads(payload).get("started") if payload else None


def job_backlog() -> dict:
    """Queued jobs, the age of the oldest, and the scheduled jobs that are due but not yet run."""
    from django_q.models import Schedule

    broker = _broker()
    now = timezone.now()
    oldest = _oldest_queued(broker)
    due = Schedule.objects.filter(next_run__lte=now).exclude(repeats=0).order_by("next_run")
    overdue_since = due.values_list("next_run", flat=True).first()
    return {
        "queued": broker.queue_size(),
        "oldest_seconds": round((now - oldest).total_seconds()) if oldest else None,
        "due_schedules": due.count(),
        "oldest_due_seconds": round((now - overdue_since).total_seconds()) if overdue_since else None,
    }


def check_jobs() -> dict:
    backlog = job_backlog()
    limit = settings.DUBAN_HEALTH_MAX_JOB_AGE_SECONDS
    late = [
        name
        for name in ("oldest_seconds", "oldest_due_seconds")
        if backlog[name] is not None and backlog[name] > limit
    ]
    if late:
        return {**backlog, "status": FAIL, "error": "backlog"}
    return backlog


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "jobs": check_jobs,
}


def run_checks() -> dict[str, dict]:
    """Each check's outcome: status, milliseconds, what it measured, and the kind of error if any."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            outcome = {"status": OK, **check()}
        except Exception as error:  # a health check reports every failure; it must never raise
            outcome = {"status": FAIL, "error": type(error).__name__}
            if name in ("database", "jobs"):
                connection.close_if_unusable_or_obsolete()
        outcome["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = outcome
    return results


@require_safe
@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(check["status"] == OK for check in checks.values())
    return JsonResponse({"status": OK if healthy else FAIL, "checks": checks}, status=200 if healthy else 503)


class HealthzMiddleware:
    """Answer /healthz before host validation, sessions and sign-in (after SecurityMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
