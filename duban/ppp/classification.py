"""Classification of PPP projects (分类施策): normal, slow, stalled, needs rectification, to be withdrawn.

Pure rules without Django: the services gather a project's facts, the rules come from the dated
`ClassificationRules` row in force, and the result carries the reasons so the page can show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class ProjectClass(StrEnum):
    """From best to worst; the worst class any rule gives is the project's class."""

    NORMAL = "normal"  # 正常推进
    SLOW = "slow"  # 进度滞后
    STALLED = "stalled"  # 停滞
    RECTIFY = "rectify"  # 需整改
    WITHDRAW = "withdraw"  # 拟退库


SEVERITY = {
    ProjectClass.NORMAL: 0,
    ProjectClass.SLOW: 1,
    ProjectClass.STALLED: 2,
    ProjectClass.RECTIFY: 3,
    ProjectClass.WITHDRAW: 4,
}


@dataclass(frozen=True, kw_only=True)
class Rules:
    """The thresholds of the classification; every one is a parameter with a dated row behind it.

    slow_days:  a planned step or obligation late by this many days makes the project slow.
    stalled_days:  late by this many days, or no recorded progress for this long before execution,
        makes it stalled.
    rectify_overdue_tasks:  this many overdue rectification tasks means it needs rectification.
    rectify_on_major_findings:  an open major or serious finding means it needs rectification.
    rectify_on_arrears:  government payments in arrears mean it needs rectification.
    withdraw_idle_days:  a project not yet in execution without progress this long is to be withdrawn.
    minimum_linked_share:  below this share of construction cost tied to performance the government's
        obligation counts as fixed and the project leaves the library (财办金〔2017〕92号).
    """

    slow_days: int = 30
    stalled_days: int = 180
    rectify_overdue_tasks: int = 1
    rectify_on_major_findings: bool = True
    rectify_on_arrears: bool = True
    withdraw_idle_days: int = 730
    minimum_linked_share: Decimal = Decimal("0.30")


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What the rules look at, gathered by the services from the project and its related rows."""

    before_execution: bool  # still in identification, preparation or procurement
    pays_subsidy: bool  # government pay or viability gap
    last_progress: date | None = None
    overdue_step_days: int = 0  # the most days any planned step is late
    overdue_obligation_days: int = 0  # the most days any open obligation is late
    overdue_tasks: int = 0  # rectification tasks past their deadline and not done
    open_major_findings: int = 0
    arrears: Decimal = Decimal(0)
    linked_share: Decimal | None = None
    rating_failed: bool = False  # the latest review rated the contract non-compliant


@dataclass(frozen=True)
class Reason:
    """A machine code and its numbers; the Django layer words it in the user's language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    suggests: ProjectClass = ProjectClass.NORMAL


@dataclass(frozen=True, kw_only=True)
class Classification:
    project_class: ProjectClass
    reasons: tuple[Reason, ...]


def classify(*, facts: Facts, rules: Rules, today: date) -> Classification:
    """The class of one project on `today` and every reason for it (reasons of milder classes included)."""
    reasons: list[Reason] = []
    idle_days = (today - facts.last_progress).days if facts.last_progress else None

    if (
        facts.pays_subsidy
        and facts.linked_share is not None
        and facts.linked_share < rules.minimum_linked_share
    ):
        reasons.append(
            Reason(
                "fixed_obligation",
                {"share": facts.linked_share, "minimum": rules.minimum_linked_share},
                ProjectClass.WITHDRAW,
            )
        )
    if facts.before_execution and idle_days is not None and idle_days >= rules.withdraw_idle_days:
        reasons.append(Reason("idle_before_execution", {"days": idle_days}, ProjectClass.WITHDRAW))

    if rules.rectify_overdue_tasks and facts.overdue_tasks >= rules.rectify_overdue_tasks:
        reasons.append(Reason("overdue_tasks", {"count": facts.overdue_tasks}, ProjectClass.RECTIFY))
    if rules.rectify_on_major_findings and facts.open_major_findings:
        reasons.append(Reason("major_findings", {"count": facts.open_major_findings}, ProjectClass.RECTIFY))
    if rules.rectify_on_arrears and facts.arrears > 0:
        reasons.append(Reason("arrears", {"amount": facts.arrears}, ProjectClass.RECTIFY))
    if facts.rating_failed:
        reasons.append(Reason("review_failed", {}, ProjectClass.RECTIFY))

    late = max(facts.overdue_step_days, facts.overdue_obligation_days)
    if late >= rules.stalled_days:
        reasons.append(Reason("late", {"days": late}, ProjectClass.STALLED))
    elif late >= rules.slow_days:
        reasons.append(Reason("late", {"days": late}, ProjectClass.SLOW))
    if (
        facts.before_execution
        and idle_days is not None
        and rules.stalled_days <= idle_days < rules.withdraw_idle_days
    ):
        reasons.append(Reason("idle", {"days": idle_days}, ProjectClass.STALLED))

    worst = max(
        (reason.suggests for reason in reasons), key=SEVERITY.__getitem__, default=ProjectClass.NORMAL
    )
    reasons.sort(key=lambda reason: -SEVERITY[reason.suggests])
    return Classification(project_class=worst, reasons=tuple(reasons))
