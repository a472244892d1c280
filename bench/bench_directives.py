"""Directives at province scale: the board's first filtered page and the bulk recomputation of lights.

Targets (issue 3), on PostgreSQL with 100,000 directives and 1,000,000 progress entries: the board's
first page with a filter renders in 150 ms at the median; recomputing every light takes under 5 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench .venv/bin/pytest -m bench bench/bench_directives.py -s

(pytest-django creates and drops its own test_<name> database.)

DUBAN_BENCH_DIRECTIVES and DUBAN_BENCH_PROGRESS scale the data down for a quick run.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from duban.accounts.roles import Role
from duban.directives.models import ACTIVE_STATES, Directive, Light, Milestone, ProgressReport, State
from duban.directives.services import recompute_lights_job
from duban.tests.factories import LeaderFactory, ThemeFactory, UnitFactory, UserFactory

DIRECTIVES = int(os.environ.get("DUBAN_BENCH_DIRECTIVES", "100000"))
PROGRESS = int(os.environ.get("DUBAN_BENCH_PROGRESS", "1000000"))
UNITS = 300
BATCH = 5000

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def _median_ms(action, runs: int = 21) -> float:
    action()  # warm the caches and the connection once
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _populate():
    rng = random.Random(20261125)
    root = UnitFactory(code="P", name="省人民政府", kind="city")
    units = [UnitFactory(code=f"P-{i:04d}", name=f"单位{i}", parent=root) for i in range(UNITS)]
    themes = [ThemeFactory(code=f"bench{i}", name=f"主题{i}") for i in range(8)]
    leaders = [LeaderFactory(name=f"领导{i}") for i in range(12)]
    for i, leader in enumerate(leaders):
        leader.units.set(units[i::12])
    today = timezone.localdate()
    states = [
        *ACTIVE_STATES,
        State.IN_PROGRESS,
        State.IN_PROGRESS,
        State.CLOSED,
        State.DRAFT,
        State.SUSPENDED,
    ]
    rows = []
    for i in range(DIRECTIVES):
        rows.append(
            Directive(
                title=f"督办事项{i}：加快推进重点项目建设",
                content="按节点推进。",
                source="key_work",
                theme=themes[i % len(themes)],
                responsible_leader=leaders[i % len(leaders)],
                lead_unit=units[rng.randrange(UNITS)],
                deadline=today + timedelta(days=rng.randint(-60, 240)),
                priority=rng.randint(1, 3),
                state=states[i % len(states)],
                light=Light.GREY,
            )
        )
    Directive.objects.bulk_create(rows, batch_size=BATCH)
    ids = list(Directive.objects.values_list("pk", flat=True))
    co_units = Directive.co_units.through
    co_units.objects.bulk_create(
        [co_units(directive_id=pk, unit_id=units[rng.randrange(UNITS)].pk) for pk in ids[::3]],
        batch_size=BATCH,
    )
    milestones = []
    for pk in ids:
        for order in (1, 2):
            milestones.append(
                Milestone(
                    directive_id=pk,
                    order=order,
                    title=f"节点{order}",
                    due_on=today + timedelta(days=rng.randint(-40, 120)),
                    state=rng.choice(["pending", "in_progress", "done"]),
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    author = UserFactory(username="bench-author", role=Role.LIAISON, unit=units[0])
    for start in range(0, PROGRESS, BATCH):
        ProgressReport.objects.bulk_create(
            [
                ProgressReport(
                    directive_id=ids[(start + k) % len(ids)], text="本周推进情况。", percent=50, author=author
                )
                for k in range(min(BATCH, PROGRESS - start))
            ]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    office = UserFactory(username="bench-office", role=Role.OFFICE, unit=root)
    liaison = UserFactory(username="bench-liaison", role=Role.LIAISON, unit=units[7])
    leader_user = UserFactory(username="bench-leader", role=Role.LEADER, unit=root)
    leaders[3].user = leader_user
    leaders[3].save()
    return office, liaison, leader_user, units


def test_board_and_lights_at_scale(client):
    started = time.perf_counter()
    office, liaison, leader_user, units = _populate()
    print(
        f"\n[directives bench] {connection.vendor}: {Directive.objects.count()} directives, "
        f"{ProgressReport.objects.count()} progress entries, {Milestone.objects.count()} milestones "
        f"(loaded in {time.perf_counter() - started:.0f} s)"
    )

    # The nightly job as scheduled (without notifications): first with every light wrong (all rows
    # loaded grey), then with nothing to change, then a week later when many lights move.
    start = time.perf_counter()
    changed = recompute_lights_job(notify=False)
    first = time.perf_counter() - start
    start = time.perf_counter()
    recompute_lights_job(notify=False)
    steady = time.perf_counter() - start
    start = time.perf_counter()
    next_week = recompute_lights_job(today=timezone.localdate() + timedelta(days=7), notify=False)
    moved = time.perf_counter() - start
    print(f"[directives bench] recompute lights, every row set: {first:.2f} s ({changed})")
    print(f"[directives bench] recompute lights, nothing changes: {steady:.2f} s")
    print(f"[directives bench] recompute lights, a week later: {moved:.2f} s ({next_week})")
    recompute_lights_job(notify=False)

    figures = {}
    for name, user in (("office", office), ("leader", leader_user), ("liaison", liaison)):
        browser = Client()
        browser.force_login(user)
        for label, url in (
            ("board ?light=red", "/directives/?light=red"),
            ("board ?unit&state", f"/directives/?unit={units[7].pk}&state=in_progress"),
            ("board ?due range", "/directives/?due_after=2026-01-01&due_before=2026-12-31&light=yellow"),
            ("my work", "/directives/mine/"),
            ("api ?light=red", "/api/directives/?light=red"),
        ):
            assert browser.get(url).status_code == 200
            figures[(name, label)] = _median_ms(lambda url=url, browser=browser: browser.get(url))
    for (name, label), ms in figures.items():
        print(f"[directives bench] {name:<8} {label:<22} median {ms:7.1f} ms")

    if DIRECTIVES >= 100000 and connection.vendor == "postgresql":
        assert first < 5 and moved < 5
        assert figures[("office", "board ?light=red")] < 150
