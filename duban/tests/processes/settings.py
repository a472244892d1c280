"""The platform's settings, plus what the deployment tests need (loaded only by their processes).

- the probe views (`urls.py`);
- the static files of the platform's own apps only: the front-end packages are many megabytes whose
  compression would take the test minutes, and serving them works the same way;
- a queue name and cache prefix of this run's own, so that runs sharing a Redis never meet;
- the background worker's guard loop at 30 s a round instead of 0.5 s: django-q2 runs the scheduler
  every 30 s of that loop, which is then its first round, right after the start, instead of half a
  minute later. The scheduler itself (its row locks) is the same.
"""

import os

from duban.settings import *  # noqa: F403
from duban.settings import CACHES, Q_CLUSTER

ROOT_URLCONF = "duban.tests.processes.urls"
STATICFILES_DIRS = []
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
Q_CLUSTER = {**Q_CLUSTER, "name": f"duban-{os.environ['DUBAN_PROBE_RUN']}", "guard_cycle": 30}
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": os.environ["DUBAN_PROBE_RUN"]}}
