"""Assessment at province scale (issue 16, item 9): computing one period of a scheme for 3,000 units and
20 indicators over the directives benchmark's data takes at most 10 s on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench .venv/bin/pytest -p no:xdist -m bench bench/bench_assessment.py -s

The data are the directives benchmark's (`bench/dataset.py`: its directives and milestones, seeded), spread
over 3,000 units instead of 300, with two office-approved manual scores per unit, and the other sources'
records for the period (`_programmes`: weekly reports, reminders, bond applications, bonds and spending,
PPP reviews and rectification tasks, survey responses), so that every indicator reads rows. The scheme ranks three
groups of 1,000 units (a few 单列), with 20 scored indicators over every automatic source (each read once
for all units) and the manual ones. What is timed is `services.period_compute`: the rules, every source's
figures, the scoring of every unit and the snapshot's 3,000 rows written.

DUBAN_BENCH_DIRECTIVES and DUBAN_BENCH_UNITS scale the data down for a quick run.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
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
from duban.bonds.models import (
    ApplicationOutcome,
    BondApplication,
    BondProject,
    DebtKind,
    ProjectDebt,
    Spending,
    SpendingTarget,
)
from duban.bonds.tests.factories import BatchFactory, BondProjectFactory
from duban.directives.models import Directive, Reminder, SupervisionReply
from duban.ppp.models import ContractReview, PPPProject, RectificationTask, ReviewCampaign
from duban.ppp.tests.factories import make_project
from duban.surveys.models import ResponseState, SurveyResponse, SurveyRound
from duban.surveys.tests.factories import make_form
from duban.tests.factories import LeaderFactory, ThemeFactory, UnitFactory, UserFactory
from duban.weekly.models import ReportingCycle, ReportState, Timeliness, WeeklyReport

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


def _programmes(units, office, first: date, last: date) -> None:
    """The other sources' records for the period, so that every automatic indicator reads real rows: four
    weekly cycles with a report of every unit (on time, late or missing), a reminder to every unit (half
    answered), a bond project, application (decided), issued bond and spending per unit, a PPP project
    with a rated review and two rectification tasks per tenth unit, and a survey round answered by all."""
    rng = random.Random(SEED)
    at = lambda day: timezone.make_aware(datetime.combine(day, clock(10)))  # noqa: E731
    cycles = []
    for week, monday in enumerate(d for d in _days(first, last) if d.weekday() == 0):
        ends = monday + timedelta(days=6)
        iso_year, iso_week, _day = ends.isocalendar()
        cycles.append(
            ReportingCycle.objects.create(
                iso_year=iso_year,
                iso_week=iso_week,
                issue_number=900 + week,
                starts_on=monday,
                ends_on=ends,
                due_at=at(ends),
                remind_at=at(ends),
                close_at=at(ends + timedelta(days=1)),
                state="closed",
            )  # fmt: skip
        )
    outcomes = [Timeliness.ON_TIME, Timeliness.ON_TIME, Timeliness.LATE, Timeliness.MISSING]
    WeeklyReport.objects.bulk_create(
        [
            WeeklyReport(cycle=cycle, unit=unit, state=ReportState.SUBMITTED, timeliness=rng.choice(outcomes))
            for cycle in cycles
            for unit in units
        ],
        batch_size=5000,
    )
    reminders = Reminder.objects.bulk_create(
        [Reminder(unit=unit, sent_by=office, reply_by=first + timedelta(days=10)) for unit in units],
        batch_size=5000,
    )
    SupervisionReply.objects.bulk_create(
        [SupervisionReply(reminder=r, unit_id=r.unit_id, text="已办理") for r in reminders[::2]],
        batch_size=5000,
    )

    batch = BatchFactory(year=first.year)
    template = BondProjectFactory.build(applying_unit=units[0], created_by=office)
    projects = BondProject.objects.bulk_create(
        [
            BondProjectFactory.build(
                applying_unit=unit,
                created_by=office,
                investment_area=template.investment_area,
                code=f"ZX-B{i:05d}",
            )  # fmt: skip
            for i, unit in enumerate(units)
        ],
        batch_size=2000,
    )
    middle = first + timedelta(days=10)
    BondApplication.objects.bulk_create(
        [
            BondApplication(
                project=project,
                batch=batch,
                applied_amount=Decimal(1000 + i % 7 * 100),
                submitted_at=at(first),
                outcome=ApplicationOutcome.APPROVED if i % 3 else ApplicationOutcome.RETURNED,
                decided_at=at(middle),
                allocated_amount=Decimal(800) if i % 3 else Decimal(0),
                allocated_on=middle if i % 3 else None,
            )  # fmt: skip
            for i, project in enumerate(projects)
        ],
        batch_size=5000,
    )
    debt = {"kind": DebtKind.BOND, "rate": Decimal("0.025"), "issue_year": first.year, "term_years": 10}
    ProjectDebt.objects.bulk_create(
        [
            ProjectDebt(project=p, principal=Decimal(600), is_issued=True, issue_date=middle, **debt)
            for p in projects
        ],
        batch_size=5000,
    )
    Spending.objects.bulk_create(
        [
            Spending(project=p, amount=Decimal(100 + i % 5 * 100), spent_on=last)
            for i, p in enumerate(projects)
        ],
        batch_size=5000,
    )
    SpendingTarget.objects.get_or_create(
        year=last.year, month=last.month, defaults={"target_ratio": Decimal("0.6")}
    )

    first_ppp = make_project(implementing_agency=units[0], by=office)
    clones = []
    for i, unit in enumerate(units[10::10]):
        clone = PPPProject.objects.get(pk=first_ppp.pk)
        clone.pk = clone.id = None
        clone.code, clone.name, clone.implementing_agency = f"PPP-A{i:05d}", f"PPP项目{i}", unit
        clones.append(clone)
    ppp_projects = [first_ppp, *PPPProject.objects.bulk_create(clones, batch_size=2000)]
    campaign = ReviewCampaign.objects.create(name="履约审查", year=first.year, due_on=last)
    ratings = list(ContractReview.Rating)
    reviews = ContractReview.objects.bulk_create(
        [
            ContractReview(
                campaign=campaign,
                project=project,
                state=ContractReview.State.RATED,
                rating=rng.choice(ratings),
                rated_on=middle,
            )  # fmt: skip
            for project in ppp_projects
        ],
        batch_size=5000,
    )
    RectificationTask.objects.bulk_create(
        [
            RectificationTask(
                review=review,
                project_id=review.project_id,
                owner_unit_id=review.project.implementing_agency_id,
                title="整改",
                deadline=middle + timedelta(days=n),
                state=RectificationTask.State.DONE,
                done_on=middle + timedelta(days=2 * n),
            )  # fmt: skip
            for review in reviews
            for n in (1, 5)
        ],
        batch_size=5000,
    )

    survey_round = SurveyRound.objects.create(form=make_form(by=office), title="快报", deadline=middle)
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                round=survey_round,
                unit=unit,
                state=ResponseState.SUBMITTED,
                first_submitted_at=at(middle + timedelta(days=i % 3 - 1)),
                submitted_at=at(middle),
            )  # fmt: skip
            for i, unit in enumerate(units)
        ],
        batch_size=5000,
    )


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


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
    _programmes(units, office, period.starts_on, period.ends_on)
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
    measured = {line["indicator"] for row in sample for line in row.lines if line["value"] is not None}
    assert measured >= {key for key, *_rest in INDICATORS}, {key for key, *_rest in INDICATORS} - measured
    if connection.vendor == "postgresql":
        assert max(timings) <= TARGET_S, timings
