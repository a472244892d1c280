"""Assessment at province scale (issue 16, item 9): computing one period of a scheme for 3,000 units and
20 indicators over the directives benchmark's data takes at most 10 s on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench .venv/bin/pytest -p no:xdist -m bench bench/bench_assessment.py -s

The data are the directives benchmark's (`bench/dataset.py`: its directives and milestones, seeded), spread
over 3,000 units instead of 300, with two office-approved manual scores per unit. The scheme ranks three
groups of 1,000 units (a few 单列), with 20 scored indicators over every automatic source (each read once
for all units) and the manual ones. What is timed is `services.period_compute`: the rules, every source's
figures, the scoring of every unit and the snapshot's 3,000 rows written.

DUBAN_BENCH_DIRECTIVES and DUBAN_BENCH_UNITS scale the data down for a quick run.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bench.dataset import SEED, THEMES, _directives, _parts
from duban.accounts.roles import Role
from duban.assessment import services
from duban.assessment.models import (
    EntryState,
    Formula,
    ManualEntry,
    Member,
    Period,
    Snapshot,
    SnapshotRow,
    Source,
    UnitGroup,
)
from duban.assessment.periods import label_for
from duban.directives.models import Directive
from duban.tests.factories import LeaderFactory, ThemeFactory, UnitFactory, UserFactory

DIRECTIVES = int(os.environ.get("DUBAN_BENCH_DIRECTIVES", "100000"))
UNITS = int(os.environ.get("DUBAN_BENCH_UNITS", "3000"))
TARGET_S = 10.0

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

# key, source, formula, params (20 scored indicators; every automatic source, some twice by another formula)
INDICATORS = [
    ("closure", Source.CLOSURE_RATE, Formula.TARGET, {"target": 0.9, "cap": 1}),
    ("closure_rank", Source.CLOSURE_RATE, Formula.RANK, {"better": "higher", "step": 0.01}),
    ("closure_bands", Source.CLOSURE_RATE, Formula.BANDS, {"bands": [[0.95, 1], [0.8, 0.7], [0.6, 0.4]]}),
    (
        "overdue",
        Source.OVERDUE_DAYS,
        Formula.BANDS,
        {"better": "lower", "bands": [[0, 1], [5, 0.6], [20, 0.2]]},
    ),
    ("overdue_rank", Source.OVERDUE_DAYS, Formula.RANK, {"better": "lower", "step": 0.01}),
    ("milestones", Source.MILESTONE_RATE, Formula.TARGET, {"target": 1, "cap": 1}),
    ("milestones_rank", Source.MILESTONE_RATE, Formula.RANK, {"better": "higher", "step": 0.01}),
    ("weekly", Source.WEEKLY_RATE, Formula.TARGET, {"target": 1, "cap": 1}),
    ("weekly_rank", Source.WEEKLY_RATE, Formula.RANK, {"better": "higher", "step": 0.05}),
    ("replies", Source.REPLY_RATE, Formula.BANDS, {"bands": [[1, 1], [0.8, 0.6]]}),
    ("bond_count", Source.BOND_COUNT_RATE, Formula.TARGET, {"target": 0.8, "cap": 1.2}),
    ("bond_amount", Source.BOND_AMOUNT_RATE, Formula.TARGET, {"target": 0.8, "cap": 1.2}),
    ("ppp", Source.PPP_RECTIFICATION_RATE, Formula.TARGET, {"target": 1, "cap": 1}),
    ("experience", Source.TYPICAL_EXPERIENCE, Formula.TARGET, {"target": 1, "cap": 1}),
    ("evaluation", Source.MANUAL, Formula.TARGET, {"target": 100, "cap": 1}),
    ("bond_issuance", Source.BOND_ISSUANCE_RATE, Formula.TARGET, {"target": 1, "cap": 1}),
    ("bond_spending", Source.BOND_SPENDING_RATE, Formula.BANDS, {"bands": [[1, 1], [0.8, 0.6]]}),
    ("ppp_review", Source.PPP_REVIEW_RATE, Formula.TARGET, {"target": 1, "cap": 1}),
    ("surveys", Source.SURVEY_RATE, Formula.TARGET, {"target": 1, "cap": 1}),
    ("criticised", Source.MANUAL, Formula.DEDUCTION, {"per": 2, "max": 6}),
]


def _data():
    rng = random.Random(SEED)
    root = UnitFactory(code="P", name="省人民政府", kind="city")
    units = [UnitFactory(code=f"P-{i:04d}", name=f"单位{i}", parent=root) for i in range(UNITS)]
    themes = [ThemeFactory(code=f"bench{i}", name=f"主题{i}") for i in range(THEMES)]
    leaders = [LeaderFactory(name=f"领导{i}") for i in range(12)]
    _directives(rng, DIRECTIVES, units, themes, leaders)
    _parts(rng, list(Directive.objects.values_list("pk", flat=True)), units, progress=0)
    # Closed directives closed a day before, on, or a day after their deadline.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE directives_directive SET closed_at = (deadline + (id % 3 - 1)::int)::timestamp AT TIME ZONE 'UTC'"
                " WHERE state = 'closed'"
            )
            cursor.execute(
                "UPDATE directives_milestone SET done_on = due_on + (id % 3 - 1)::int WHERE state = 'done'"
            )
    office = UserFactory(username="bench-office", role=Role.OFFICE, unit=root)
    reviewer = UserFactory(username="bench-reviewer", role=Role.LEADER, unit=root)
    return units, office, reviewer


def _scheme(units, office):
    scheme = services.scheme_create(by=office, name="全省月度考核", period_type="month", visibility="public")
    third = len(units) // 3
    for n, name in enumerate(("县区", "市直部门", "开发区")):
        members = units[n * third : (n + 1) * third if n < 2 else len(units)]
        group = UnitGroup.objects.create(scheme=scheme, name=name, sort_order=n)
        Member.objects.bulk_create(
            [Member(group=group, unit=unit, separate=i % 250 == 0) for i, unit in enumerate(members)]
        )
    top = services.indicator_create(scheme=scheme, by=office, key="all", name="总体", scored=False)
    for order, (key, source, formula, params) in enumerate(INDICATORS):
        weight = Decimal(0) if formula == Formula.DEDUCTION else Decimal(5)
        services.indicator_create(
            scheme=scheme, by=office, parent=top, key=key, name=key, source=source, formula=formula,
            params=params, weight=weight, sort_order=order, valid_from=date(2020, 1, 1),
        )  # fmt: skip
    return scheme


def test_a_period_of_3000_units_and_20_indicators_computes_in_10_seconds():
    started = time.perf_counter()
    units, office, reviewer = _data()
    scheme = _scheme(units, office)
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    period = services.period_open(scheme=scheme, label=label_for("month", last_month), by=office)
    indicators = {i.key: i for i in scheme.indicators.all()}
    rng = random.Random(SEED)
    ManualEntry.objects.bulk_create(
        [
            ManualEntry(
                period=period,
                indicator=indicators[key],
                unit=unit,
                value=Decimal(value),
                note="评价",
                reviewer=reviewer,
                state=EntryState.APPROVED,
                decided_by=office,
            )  # fmt: skip
            for unit in units
            for key, value in (("evaluation", rng.randint(70, 99)), ("criticised", rng.choice([0, 0, 0, 1])))
        ],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"\n[assessment bench] {connection.vendor}: {len(units)} units, {len(INDICATORS)} indicators, "
        f"{Directive.objects.count()} directives (loaded in {time.perf_counter() - started:.0f} s)"
    )

    timings = []
    for _ in range(2):
        Period.objects.filter(pk=period.pk).update(state="draft")
        start = time.perf_counter()
        if os.environ.get("DUBAN_BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            snapshot = profile.runcall(services.period_compute, period=period, by=office)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        else:
            snapshot = services.period_compute(period=period, by=office)
        timings.append(time.perf_counter() - start)
    print(f"[assessment bench] period compute: first {timings[0]:.2f} s, again {timings[1]:.2f} s")

    rows = SnapshotRow.objects.filter(snapshot=snapshot)
    assert rows.count() == len(units)
    assert Snapshot.objects.filter(period=period).count() == 2
    sample = rows.order_by("pk")[:200]
    for row in sample:
        assert abs(sum(Decimal(line["points"]) for line in row.lines) - row.score) <= Decimal("0.01")
    applicable = sum(1 for row in sample for line in row.lines if line["value"] is not None)
    assert applicable > 0
    if connection.vendor == "postgresql":
        assert max(timings) <= TARGET_S, timings
