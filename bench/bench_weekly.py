"""The weekly cycle at province scale: gathering a cycle and compiling its bulletin as Word and Excel.

Target (issue 4): 3,000 units, 100,000 open items, all reported, compile to both Word and Excel within
60 s with memory under 2 GB.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban .venv/bin/pytest -m bench bench/bench_weekly.py -s

DUBAN_BENCH_WEEKLY_UNITS and DUBAN_BENCH_WEEKLY_ITEMS scale the data down for a quick run.
"""

from __future__ import annotations

import io
import os
import random
import resource
import tempfile
import time
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.directives.models import Directive, Light, State
from duban.organisation.models import Leader, Theme, Unit
from duban.weekly import bulletin as bulletins
from duban.weekly import services
from duban.weekly.models import (
    BulletinState,
    ReportingCycle,
    ReportItem,
    ReportState,
    Timeliness,
    WeeklyReport,
)

UNITS = int(os.environ.get("DUBAN_BENCH_WEEKLY_UNITS", "3000"))
ITEMS = int(os.environ.get("DUBAN_BENCH_WEEKLY_ITEMS", "100000"))
TARGET_SECONDS = 60
TARGET_PEAK_MB = 2048
BATCH = 5000

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux: the peak resident memory of this process so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _populate(rng: random.Random) -> None:
    root = Unit.objects.create(code="P", name="省人民政府", kind="province_bench")
    Unit.objects.filter(pk=root.pk).update(tree_path=f"/{root.pk}/")
    units = Unit.objects.bulk_create(
        [
            Unit(
                code=f"P-{i:05d}", name=f"测试单位{i:05d}", short_name=f"单位{i}", kind="county", parent=root
            )
            for i in range(UNITS)
        ],
        batch_size=BATCH,
    )
    for unit in units:
        unit.tree_path = f"/{root.pk}/{unit.pk}/"
    Unit.objects.bulk_update(units, ["tree_path"], batch_size=BATCH)
    themes = [Theme.objects.create(code=f"wk{i}", name=f"重点工作主题{i}", sort_order=i) for i in range(8)]
    leaders = [Leader.objects.create(name=f"领导{i}", post="vice_mayor") for i in range(12)]
    today = timezone.localdate()
    lights = [Light.RED] * 5 + [Light.YELLOW] * 10 + [Light.GREEN] * 85
    for start in range(0, ITEMS, BATCH):
        Directive.objects.bulk_create(
            [
                Directive(
                    title=f"督办事项{i}：加快推进重点项目建设，按期完成年度目标任务",
                    source="key_work",
                    theme=themes[i % len(themes)],
                    responsible_leader=leaders[i % len(leaders)],
                    lead_unit=units[rng.randrange(UNITS)],
                    deadline=today + timedelta(days=rng.randint(-30, 240)),
                    state=State.IN_PROGRESS,
                    light=rng.choice(lights),
                    percent=rng.randint(0, 95),
                )
                for i in range(start, min(start + BATCH, ITEMS))
            ]
        )


def _report_everything(cycle: ReportingCycle, rng: random.Random) -> None:
    """Every unit files every item (a bulk stand-in for 3,000 liaisons typing)."""
    items = ReportItem.objects.filter(report__cycle=cycle)
    items.update(
        done_this_week="召开专题推进会，完成阶段性建设任务，形成工作台账并对接问题清单。",
        plan_next_week="按节点推进剩余工作，督促配合单位按时反馈，确保按期完成。",
        problems="部分前期手续办理较慢，资金到位不及时。",
        percent=60,
    )
    leader = Leader.objects.first()
    # One item in a hundred asks for coordination; one report in ten came in late.
    asking = list(Directive.objects.order_by("pk").values_list("pk", flat=True))[::100]
    items.filter(object_id__in=asking).update(
        coordination_request="请市领导协调解决项目用地指标和配套资金。", coordination_leader=leader
    )
    now = timezone.now()
    reports = WeeklyReport.objects.filter(cycle=cycle)
    reports.update(
        state=ReportState.SUBMITTED, submitted_at=now, first_submitted_at=now, timeliness=Timeliness.ON_TIME
    )
    late = list(reports.order_by("pk").values_list("pk", flat=True))[::10]
    WeeklyReport.objects.filter(pk__in=late).update(timeliness=Timeliness.LATE)


def test_a_province_sized_bulletin_compiles_within_a_minute():
    rng = random.Random(20261125)
    started = time.perf_counter()
    _populate(rng)
    populated = time.perf_counter()
    cycle, _created = services.cycle_open(day=timezone.localdate())
    counts = services.cycle_sync(cycle=cycle)
    synced = time.perf_counter()
    _report_everything(cycle, rng)
    peak_before = _peak_mb()

    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        bulletins.bulletin_docx(cycle, out)
        t_docx = time.perf_counter() - t0
        docx_size = out.tell()
        out.seek(0)
        with zipfile.ZipFile(out) as docx:
            assert docx.testzip() is None
    t0 = time.perf_counter()
    xlsx = bulletins.bulletin_xlsx(cycle)
    t_xlsx = time.perf_counter() - t0
    # The whole background job as the worker runs it: both files, progress updates, storage.
    office = User.objects.create(username="bench-office", role=Role.OFFICE)
    t0 = time.perf_counter()
    compiled = services.bulletin_request(cycle=cycle, by=office, background=False)
    t_job = time.perf_counter() - t0
    peak_after = _peak_mb()
    rows = sum(
        1
        for _row in load_workbook(io.BytesIO(xlsx), read_only=True).worksheets[0].iter_rows(values_only=True)
    )

    total = t_docx + t_xlsx
    print(
        f"\nweekly bulletin on {connection.vendor}: {UNITS} units, {counts['reports']} reports, "
        f"{counts['items']} items (populate {populated - started:.1f} s, gather {synced - populated:.1f} s)\n"
        f"  Word {t_docx:.1f} s ({docx_size / 1e6:.1f} MB), Excel {t_xlsx:.1f} s ({len(xlsx) / 1e6:.1f} MB, "
        f"{rows - 1} rows); both {total:.1f} s (target {TARGET_SECONDS} s); "
        f"the background job end to end {t_job:.1f} s\n"
        f"  peak memory of the process {peak_after:.0f} MB (before compiling {peak_before:.0f} MB; "
        f"target {TARGET_PEAK_MB} MB)"
    )
    assert counts["items"] == ITEMS
    assert rows - 1 == ITEMS
    assert total < TARGET_SECONDS
    assert compiled.state == BulletinState.DONE and compiled.progress == 100
    assert t_job < TARGET_SECONDS
    assert peak_after < TARGET_PEAK_MB
