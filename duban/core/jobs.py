"""Work handed to the background worker (django-q2), and how far it got, for a page that polls.

- `queue(func, *args, name=…)`: run the dotted function in the worker once the current transaction has
  committed (so that the worker finds the rows it was queued for). With django-q2's `sync` setting
  (`DUBAN_Q_SYNC`, the tests) it runs at once, in the same process.
- `LiveProgress`: a job's live figures (percent, rows done of the total, the current step), kept in the
  `jobs` cache that the web processes and the worker share (files in the data folder; Redis when
  DUBAN_REDIS_URL is set). A job's record in the database says what is durable (queued, running,
  done, failed, the result); the live figures are read from here because the work itself may run in
  one long transaction (an import saves all or nothing), whose row updates nobody sees until it ends.
- The page: `includes/job_progress.html` renders the bar; the element around it polls its own
  address with htmx every two seconds while the job runs.

Minutes' extraction, the weekly bulletin and Excel imports are queued this way and show the same bar
(`minutes/services/drafts.py`, `weekly/services/bulletins.py`, `core/imports.py: import_start`). A
minutes draft and a bulletin are worked on outside any transaction and keep their progress on their
own row (their API and pages show it); an import's live figures are here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction

CACHE = "jobs"
# Live figures outlive a job by a day (a page left open still shows where it ended).
KEEP_SECONDS = 24 * 3600
# A job reports at most this often (each report is a cache write).
EVERY_SECONDS = 0.5


def queue(func: str, *args, name: str) -> None:
    """Run `func` (a dotted path) with `args` in the worker after the current transaction commits."""

    def send() -> None:
        from django_q.tasks import async_task

        async_task(func, *args, task_name=name)

    transaction.on_commit(send)


@dataclass
class Figures:
    percent: int = 0
    done: int = 0
    total: int = 0
    step: str = ""


class LiveProgress:
    """The live figures of one job (`key`, e.g. "import-12"), written by the worker, read by the page."""

    def __init__(self, key: str):
        self.key = f"progress:{key}"
        self._last = 0.0

    def read(self) -> Figures | None:
        stored = caches[CACHE].get(self.key)
        return Figures(**stored) if stored else None

    def write(self, figures: Figures, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= EVERY_SECONDS:
            self._last = now
            caches[CACHE].set(self.key, figures.__dict__, KEEP_SECONDS)

    def forget(self) -> None:
        caches[CACHE].delete(self.key)
