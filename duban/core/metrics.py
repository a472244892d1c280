"""`/metrics`: the figures a monitoring system (Prometheus) scrapes, for the office or a scraper's token.

- Requests: django-prometheus's middleware (first and last in MIDDLEWARE) counts requests and
  responses by status, view and method, and times them (`django_http_*`).
- The platform: `duban_health_up{check=…}` (1 when the /healthz check passes), `duban_jobs_queued`,
  `duban_jobs_oldest_queued_seconds`, `duban_jobs_due_schedules`, `duban_jobs_oldest_due_seconds`,
  computed at each scrape from core/health.py.

Who may read it: a signed-in office user or administrator (`accounts.rules.is_office_user`; others are
refused with 403), or a caller sending `Authorization: Bearer <DUBAN_METRICS_TOKEN>` (401 otherwise).
Several worker processes: set PROMETHEUS_MULTIPROC_DIR to an empty folder shared by them before they
start (docs/operations.md); each process's counters are then summed.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from duban.accounts.rules import is_office_user

from .health import CHECKS, OK, job_backlog, run_checks
from .rules import require


class PlatformCollector:
    """The health checks and the job backlog, read at each scrape."""

    def collect(self):
        checks = run_checks()
        up = GaugeMetricFamily("duban_health_up", "1 when the /healthz check passes", labels=["check"])
        for name in CHECKS:
            up.add_metric([name], 1 if checks[name]["status"] == OK else 0)
        yield up
        try:
            backlog = job_backlog()
        except Exception:  # the database or broker is down: health_up says so, the rest is unknown
            return
        for name, key, text in (
            ("duban_jobs_queued", "queued", "jobs waiting in the broker"),
            ("duban_jobs_oldest_queued_seconds", "oldest_seconds", "age of the oldest waiting job"),
            ("duban_jobs_due_schedules", "due_schedules", "scheduled jobs due and not yet run"),
            (
                "duban_jobs_oldest_due_seconds",
                "oldest_due_seconds",
                "how long the most overdue schedule waits",
            ),
        ):
            yield GaugeMetricFamily(name, text, value=backlog[key] or 0)


def _bearer(request) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def _token_matches(offered: str) -> bool:
    expected = settings.DUBAN_METRICS_TOKEN
    return bool(expected) and hmac.compare_digest(offered.encode(), expected.encode())


def _unauthorized() -> HttpResponse:
    response = HttpResponse("401 Unauthorized\n", status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def exposition() -> bytes:
    """The text the scraper reads: the process's (or all worker processes') metrics and the platform's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    platform = CollectorRegistry()
    platform.register(PlatformCollector())
    return generate_latest(registry) + generate_latest(platform)


@require_safe
@never_cache
def metrics(request):
    offered = _bearer(request)
    if offered is not None:
        if not _token_matches(offered):
            return _unauthorized()
    elif request.user.is_authenticated:
        require(is_office_user, request.user)
    else:
        return _unauthorized()
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
