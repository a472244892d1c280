"""Computing a period as an immutable snapshot, publishing it, revising it after an upheld appeal.

A snapshot keeps the rules (per group, as `duban assessment score` reads them, and their hash: the rule
version) and every input figure, so it can be read — and computed again — whatever changes later.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.errors import Invalid
from duban.core.rules import require
from duban.workcalendar.selectors import add_working_days

from .. import figures, rules
from ..errors import describe_scoring_error
from ..models import (
    AUTOMATIC_SOURCES,
    EntryState,
    GroupWeight,
    Indicator,
    ManualEntry,
    Member,
    Period,
    PeriodState,
    Snapshot,
    SnapshotRow,
)
from ..scoring import ScoringInputError, read, score

PARAMS = ("target", "cap", "better", "step", "bands", "per", "max")


def _number(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def scored_indicators(period: Period) -> list[Indicator]:
    """The scored indicators of the scheme in force on the period's last day, in the tree's order."""
    every = list(Indicator.objects.filter(scheme=period.scheme_id).select_related("parent__parent"))
    chosen = [i for i in every if i.scored and i.in_force(period.ends_on)]
    return sorted(chosen, key=lambda i: (_path_order(i), i.pk))


def _path_order(indicator: Indicator) -> tuple:
    chain = []
    node = indicator
    while node is not None:
        chain.append(node.sort_order)
        node = node.parent
    return tuple(reversed(chain))


def _path(indicator: Indicator) -> str:
    names = []
    node = indicator.parent
    while node is not None:
        names.append(node.name)
        node = node.parent
    return " / ".join(reversed(names))


def period_rules(period: Period) -> dict:
    """The scoring rules of each group: members, 单列 units, the group's weights, the grades."""
    indicators = scored_indicators(period)
    weights = {
        (w.indicator_id, w.group_id): w.weight
        for w in GroupWeight.objects.filter(indicator__in=[i.pk for i in indicators])
    }
    members: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"units": [], "separate": []})
    for group_id, unit_id, alone in Member.objects.filter(group__scheme=period.scheme_id).values_list(
        "group_id", "unit_id", "separate"
    ):
        members[group_id]["separate" if alone else "units"].append(str(unit_id))
    groups = []
    for group in period.scheme.groups.all():
        specs = []
        for indicator in indicators:
            weight = weights.get((indicator.pk, group.pk), indicator.weight)
            spec = {"key": indicator.key, "formula": indicator.formula, "weight": _number(weight)}
            spec.update({name: indicator.params[name] for name in PARAMS if name in indicator.params})
            specs.append(spec)
        groups.append({"name": group.name, **members[group.pk], "indicators": specs})
    names = {
        i.key: {"name": i.name, "path": _path(i), "source": i.source, "formula": i.formula}
        for i in indicators
    }
    found = {"grades": period.scheme.grades, "groups": groups, "indicators": names}
    if period.scheme.by_quotas:
        # The snapshot keeps its own copy: a later edit of the scheme's grading changes no snapshot.
        found.update(grades=[], quotas=period.scheme.grades)
    return found


def period_inputs(period: Period, rules_: dict, *, today=None) -> dict[str, dict[str, str | None]]:
    """Every unit's value of every scored indicator: automatic sources read over all units at once,
    manual ones the sum of the office-approved entries."""
    today = today or timezone.localdate()
    indicators = scored_indicators(period)
    sources = {i.source for i in indicators if i.source in AUTOMATIC_SOURCES}
    # Days late count up to the directive's closure, or to the day of computing for one still open.
    by_source = figures.source_figures(sources, start=period.starts_on, end=period.ends_on, today=today)
    entries = (
        ManualEntry.objects.filter(period=period, state=EntryState.APPROVED)
        .order_by()
        .values("unit_id", "indicator__key")
        .annotate(total=Sum("value"))
    )
    manual = {(row["unit_id"], row["indicator__key"]): row["total"] for row in entries}
    units = [int(u) for group in rules_["groups"] for u in group["units"] + group["separate"]]
    inputs: dict[str, dict[str, str | None]] = {}
    for unit in units:
        own: dict[str, str | None] = {}
        for indicator in indicators:
            if indicator.source in AUTOMATIC_SOURCES:
                value = by_source[indicator.source].get(unit)
                if value is None and indicator.source in figures.ZERO_WHEN_ABSENT:
                    value = Decimal(0)
            else:
                value = manual.get((unit, indicator.key))
                if value is None and indicator.absent_is_zero:
                    value = Decimal(0)
            own[indicator.key] = _number(value)
        inputs[str(unit)] = own
    return inputs


def rule_version(rules_: dict) -> str:
    versioned = {"grades": rules_["grades"], "groups": rules_["groups"]}
    if "quotas" in rules_:
        versioned["quotas"] = rules_["quotas"]
    text = json.dumps(versioned, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _decimal_values(inputs: dict, units: list[str]) -> dict:
    return {u: {k: None if v is None else Decimal(v) for k, v in inputs[u].items()} for u in units}


def score_rows(rules_: dict, inputs: dict) -> list[tuple[dict, object]]:
    """(group, scoring row) of every unit, group by group, through the scoring module."""
    found = []
    for group in rules_["groups"]:
        data = {
            "groups": {group["name"]: group["units"]},
            "separate": group["separate"],
            "indicators": [{**spec, "weight": Decimal(spec["weight"] or 0)} for spec in group["indicators"]],
            "grades": [[Decimal(str(t)), name] for t, name in rules_["grades"]],
            **(
                {"quotas": [[Decimal(str(p)), name] for p, name in rules_["quotas"]]}
                if "quotas" in rules_
                else {}
            ),
            "values": _decimal_values(inputs, group["units"] + group["separate"]),
        }
        try:
            scheme, values = read(data)
        except ScoringInputError as error:
            raise Invalid(
                _("方案设置有误（%(group)s）：%(error)s")
                % {"group": group["name"], "error": describe_scoring_error(error)}
            ) from None
        found.extend((group, row) for row in score(scheme, values))
    return found


def _previous_ranks(period: Period) -> dict[int, tuple[str, int | None]]:
    previous = (
        Period.objects.filter(scheme=period.scheme_id, starts_on__lt=period.starts_on, current__isnull=False)
        .order_by("-starts_on")
        .first()
    )
    if previous is None:
        return {}
    rows = SnapshotRow.objects.filter(snapshot=previous.current_id).values_list("unit_id", "group", "rank")
    return {unit: (group, rank) for unit, group, rank in rows}


def _lines(rules_: dict, row) -> list[dict]:
    names = rules_["indicators"]
    return [
        {
            "indicator": line.indicator,
            **names[line.indicator],
            "value": _number(line.value),
            "weight": _number(line.weight),
            "points": _number(line.points),
        }
        for line in row.lines
    ]


def snapshot_save(*, period: Period, rules_: dict, inputs: dict, by, note: str) -> Snapshot:
    """A new version of the period from these rules and inputs, its rows, and the period pointing at it."""
    last = period.snapshots.order_by("-version").values_list("version", flat=True).first() or 0
    snapshot = Snapshot.objects.create(
        period=period,
        version=last + 1,
        rule_version=rule_version(rules_),
        rules=rules_,
        inputs=inputs,
        note=note,
        created_by=by,
    )
    before = _previous_ranks(period)
    rows = []
    for group, row in score_rows(rules_, inputs):
        unit = int(row.unit)
        earlier = before.get(unit)
        change = None
        if row.rank is not None and earlier and earlier[0] == group["name"] and earlier[1] is not None:
            change = earlier[1] - row.rank
        rows.append(
            SnapshotRow(
                snapshot=snapshot,
                unit_id=unit,
                group=group["name"],
                separate=row.group is None,
                score=row.score,
                rank=row.rank,
                rank_change=change,
                grade=row.grade or "",
                lines=_lines(rules_, row),
            )
        )
    SnapshotRow.objects.bulk_create(rows, batch_size=1000)
    period.current = snapshot
    period.save(update_fields=["current"])
    return snapshot


@transaction.atomic
def period_compute(*, period: Period, by, note: str = "", today=None) -> Snapshot:
    """Compute a draft period from the records as they are now: a new preview version."""
    period = Period.objects.select_for_update().select_related("scheme").get(pk=period.pk)
    require(rules.may_compute_period, by, period)
    rules_ = period_rules(period)
    inputs = period_inputs(period, rules_, today=today)
    return snapshot_save(period=period, rules_=rules_, inputs=inputs, by=by, note=note or _("计算预览"))


@transaction.atomic
def period_publish(*, period: Period, by) -> Period:
    """Publish the current version; the 公示 period runs the scheme's working days from today."""
    period = Period.objects.select_for_update().select_related("scheme").get(pk=period.pk)
    require(rules.may_publish_period, by, period)
    period.state = PeriodState.PUBLISHED
    period.published_at = timezone.now()
    period.appeal_until = add_working_days(timezone.localdate(), period.scheme.appeal_days)
    period.save(update_fields=["state", "published_at", "appeal_until"])
    return period


@transaction.atomic
def period_finalise(*, period: Period, by) -> Period:
    period = Period.objects.select_for_update().get(pk=period.pk)
    require(rules.may_finalise_period, by, period)
    period.state = PeriodState.FINAL
    period.save(update_fields=["state"])
    return period


def snapshot_revise(
    *, period: Period, corrections: dict[tuple[int, str], Decimal], by, note: str
) -> Snapshot:
    """A new version of a published period: the current version's rules and inputs with the corrected
    lines; the earlier versions stay as they were (the caller holds the transaction)."""
    current = period.current
    inputs = json.loads(json.dumps(current.inputs))
    for (unit, key), value in corrections.items():
        inputs[str(unit)][key] = _number(value)
    return snapshot_save(period=period, rules_=current.rules, inputs=inputs, by=by, note=note)
