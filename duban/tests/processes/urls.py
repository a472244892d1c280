"""The platform's pages, plus two probes for the deployment tests: a slow request and a slow task."""

import os
import time
from pathlib import Path

from django.http import JsonResponse
from django.urls import path
from django_q.tasks import async_task

from duban.urls import handler400, handler404, handler500
from duban.urls import urlpatterns as platform_urlpatterns

PROBES = Path(os.environ.get("DUBAN_PROBE_DIR", "."))


def slow(request):
    """Answers after the given seconds; says when it has started, so that the test can stop the server
    while it is in flight."""
    seconds = float(request.GET.get("seconds", "2"))
    (PROBES / f"slow-started-{os.getpid()}").write_text(str(time.time()))
    time.sleep(seconds)
    return JsonResponse({"slept": seconds, "pid": os.getpid()})


def enqueue(request):
    """Queues tasks.slow_task on the background worker (through this process's broker)."""
    seconds = float(request.GET.get("seconds", "2"))
    task_id = async_task("duban.tests.processes.tasks.slow_task", str(PROBES / "task"), seconds)
    return JsonResponse({"task": task_id})


urlpatterns = [
    path("_probe/slow/", slow),
    path("_probe/enqueue/", enqueue),
    *platform_urlpatterns,
]
__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]
