"""A province's directives, as the benchmarks and the load test use them: 300 units under one root,
8 themes, 12 leaders each in charge of every 12th unit, directives spread over every state, a third
with a co-operating unit, two milestones each and progress entries in bulk.

`populate(directives=…, progress=…)` writes it into the current database (the pytest benchmark's test
database, or the load test's own) and returns the users that read it. The random generator is seeded:
the same sizes give the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.directives.models import ACTIVE_STATES, Directive, Light, Milestone, ProgressReport, State
from duban.organisation.models import Leader, Theme, Unit
from duban.tests.factories import LeaderFactory, ThemeFactory, UnitFactory, UserFactory

UNITS = 300
THEMES = 8
LEADERS = 12
BATCH = 5000
SEED = 20261125


@dataclass
class Dataset:
    office: User
    leader: User  # the benchmark's leader: leaders[3], portfolio units[3::12], in charge of themes[3]
    liaison: User  # a liaison of units[7]
    units: list[Unit]
    themes: list[Theme]
    leaders: list[Leader]
    # For the load test: one signed-in user per leader and per liaison unit asked for.
    leader_users: list[User] = field(default_factory=list)
    liaison_users: list[User] = field(default_factory=list)


def populate(*, directives: int, progress: int, liaisons: int = 0, units: int = UNITS) -> Dataset:
    """Write the dataset; `liaisons` > 0 also gives every leader a user and the first `liaisons`
    units a liaison each (the load test's crowd); `units` sets how many units (the cockpit's bench: 3,000)."""
    rng = random.Random(SEED)
    root = UnitFactory(code="P", name="省人民政府", kind="city")
    count = units
    units = [UnitFactory(code=f"P-{i:04d}", name=f"单位{i}", parent=root) for i in range(count)]
    themes = [ThemeFactory(code=f"bench{i}", name=f"主题{i}") for i in range(THEMES)]
    leaders = [LeaderFactory(name=f"领导{i}") for i in range(LEADERS)]
    for i, leader in enumerate(leaders):
        leader.units.set(units[i::LEADERS])
    _directives(rng, directives, units, themes, leaders)
    ids = list(Directive.objects.values_list("pk", flat=True))
    _parts(rng, ids, units, progress)
    office = UserFactory(username="bench-office", role=Role.OFFICE, unit=root)
    liaison = UserFactory(username="bench-liaison", role=Role.LIAISON, unit=units[7])
    leader_user = UserFactory(username="bench-leader", role=Role.LEADER, unit=root)
    leaders[3].user = leader_user
    leaders[3].save()
    # A leader is in charge of a theme (分管工作) as well as a portfolio of units: the scope widens.
    leaders[3].themes.set([themes[3]])
    data = Dataset(office, leader_user, liaison, units, themes, leaders)
    if liaisons:
        _crowd(data, liaisons)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return data


def _directives(rng, count: int, units, themes, leaders) -> None:
    today = timezone.localdate()
    states = [
        *ACTIVE_STATES,
        State.IN_PROGRESS,
        State.IN_PROGRESS,
        State.CLOSED,
        State.DRAFT,
        State.SUSPENDED,
    ]
    for start in range(0, count, BATCH):
        Directive.objects.bulk_create(
            [
                Directive(
                    title=f"督办事项{i}：加快推进重点项目建设",
                    content="按节点推进。",
                    source="key_work",
                    theme=themes[i % len(themes)],
                    responsible_leader=leaders[i % len(leaders)],
                    lead_unit=units[rng.randrange(len(units))],
                    deadline=today + timedelta(days=rng.randint(-60, 240)),
                    priority=rng.randint(1, 3),
                    state=states[i % len(states)],
                    light=Light.GREY,
                )
                for i in range(start, min(count, start + BATCH))
            ]
        )


def _parts(rng, ids: list[int], units, progress: int) -> None:
    """Co-operating units (every third directive), two milestones each, and `progress` entries."""
    today = timezone.localdate()
    co_units = Directive.co_units.through
    co_units.objects.bulk_create(
        [co_units(directive_id=pk, unit_id=units[rng.randrange(len(units))].pk) for pk in ids[::3]],
        batch_size=BATCH,
    )
    for start in range(0, len(ids), BATCH):
        Milestone.objects.bulk_create(
            [
                Milestone(
                    directive_id=pk,
                    order=order,
                    title=f"节点{order}",
                    due_on=today + timedelta(days=rng.randint(-40, 120)),
                    state=rng.choice(["pending", "in_progress", "done"]),
                )
                for pk in ids[start : start + BATCH]
                for order in (1, 2)
            ]
        )
    author = UserFactory(username="bench-author", role=Role.LIAISON, unit=units[0])
    for start in range(0, progress, BATCH):
        ProgressReport.objects.bulk_create(
            [
                ProgressReport(
                    directive_id=ids[(start + k) % len(ids)], text="本周推进情况。", percent=50, author=author
                )
                for k in range(min(BATCH, progress - start))
            ]
        )


def _crowd(data: Dataset, liaisons: int) -> None:
    for i, leader in enumerate(data.leaders):
        if leader.user_id is None:
            leader.user = UserFactory(
                username=f"bench-leader{i}", role=Role.LEADER, unit=data.units[0].parent
            )
            leader.save()
        if not leader.themes.exists():
            leader.themes.set([data.themes[i % len(data.themes)]])
        data.leader_users.append(leader.user)
    for i, unit in enumerate(data.units[:liaisons]):
        data.liaison_users.append(UserFactory(username=f"bench-liaison{i}", role=Role.LIAISON, unit=unit))
