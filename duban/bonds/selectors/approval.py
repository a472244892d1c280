"""What the finance reviewer must see before approving a project: whether its balance test fails, and by
which figures; and, once approved anyway, the reason given (read back from the project's timeline)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from ..models import BondProject, ProjectEvent
from .projects import project_balance

# The timeline event of a finance approval given although the balance test failed.
OVERRIDE_KEY = "balance_override"


def _ratio(value: Decimal) -> str:
    # Rounded down: a ratio of 1.0995 shown as "1.10" would read as meeting a minimum of 1.10.
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


def _minimum(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _wan(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):,}"


@dataclass(frozen=True)
class BalanceFailure:
    """Why the project's balance test fails, test by test, with the figures (stored with the approval)."""

    lines: tuple[str, ...]
    figures: dict

    @property
    def summary(self) -> str:
        return "；".join(self.lines)

    def as_data(self) -> dict:
        return {"summary": self.summary, "lines": list(self.lines), **self.figures}


def balance_failure(project: BondProject) -> BalanceFailure | None:
    """None when the project passes its balance test (融资与收益自求平衡); otherwise which test fails and
    by how much. A test that cannot be run (no cash flows, bad input) fails too: there is nothing that
    shows the project can repay."""
    outcome = project_balance(project, with_sensitivity=False)
    if outcome.error:
        return BalanceFailure(
            lines=(_("资金平衡测算无法完成：%(error)s") % {"error": outcome.error},),
            figures={"error": outcome.error},
        )
    r = outcome.result
    if r.passes:
        return None
    lines = []
    if r.coverage_ratio < r.min_coverage:
        lines.append(
            _("全部债务本息覆盖倍数 %(ratio)s，低于下限 %(minimum)s 倍")
            % {"ratio": _ratio(r.coverage_ratio), "minimum": _minimum(r.min_coverage)}
        )
    if r.min_bond_coverage is not None and r.bond_coverage_ratio < r.min_bond_coverage:
        lines.append(
            _("专项债券本息覆盖倍数 %(ratio)s，低于下限 %(minimum)s 倍")
            % {"ratio": _ratio(r.bond_coverage_ratio), "minimum": _minimum(r.min_bond_coverage)}
        )
    if r.min_cumulative_balance < 0:
        lines.append(
            _("累计结余最低 %(amount)s 万元（%(year)s 年）")
            % {"amount": _wan(r.min_cumulative_balance), "year": r.min_cumulative_balance_year}
        )
    figures = {
        "coverage_ratio": str(r.coverage_ratio.quantize(Decimal("0.0001"))),
        "min_coverage": _minimum(r.min_coverage),
        "bond_coverage_ratio": str(r.bond_coverage_ratio.quantize(Decimal("0.0001"))),
        "min_bond_coverage": None if r.min_bond_coverage is None else _minimum(r.min_bond_coverage),
        "min_cumulative_balance": str(r.min_cumulative_balance.quantize(Decimal("0.01"))),
        "min_cumulative_balance_year": r.min_cumulative_balance_year,
    }
    return BalanceFailure(lines=tuple(lines), figures=figures)


def balance_override(events) -> ProjectEvent | None:
    """The finance approval of the current application, when it was given although the balance test
    failed (its event carries the failure and the reason); None once the project was resubmitted.

    `events`: the project's timeline, oldest first (the page has it loaded already)."""
    found = None
    for event in events:
        if event.transition == "submit":
            found = None
        elif event.transition == "finance_approve" and OVERRIDE_KEY in (event.data or {}):
            found = event
    return found
