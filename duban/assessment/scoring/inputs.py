"""A scheme's groups, indicators and grades, checked; every bad value is a `ScoringInputError` naming its field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)
FORMULAS = ("target", "rank", "bands", "deduction")
BETTER = ("higher", "lower")


class ScoringInputError(ValueError):
    """Invalid input: `field` is the path of the offending value (`indicators[2].target`), `code` a stable code.

    Codes: required, invalid_type, invalid_choice, out_of_range, duplicate, unknown_unit, unknown_indicator,
    exclusive (two fields of which one only may be given), total (percentages not adding up to 100).
    The Django layer translates `code` and `params`; the English message is for logs.
    """

    def __init__(self, *, field: str, code: str, message: str, params: Mapping[str, Any] | None = None):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.code = code
        self.message = message
        self.params: dict[str, Any] = dict(params or {})


@dataclass(frozen=True)
class Indicator:
    """One indicator: `weight` is its nominal weight (0 for a deduction); the other fields serve its formula.

    - target: fraction = min(value ÷ target, cap);
    - rank: place = 1 + units of the group strictly better; fraction = max(0, weight − step × (place − 1)) ÷ weight;
    - bands: `bands` = ((threshold, fraction), …) best first; the first threshold reached, 0 past the last;
    - deduction: points = −min(per × value, max), never shared.
    """

    key: str
    weight: Decimal
    formula: str
    target: Decimal | None = None
    cap: Decimal | None = None
    better: str = "higher"
    step: Decimal | None = None
    bands: tuple[tuple[Decimal, Decimal], ...] = ()
    per: Decimal | None = None
    max: Decimal | None = None

    @property
    def weighted(self) -> bool:
        return self.formula != "deduction"


@dataclass(frozen=True)
class Scheme:
    """Groups (name → units, ranked separately), the units assessed but not ranked (单列), indicators, grades.

    `grades` are (threshold, name), best first: a score takes the first threshold it reaches.
    `quotas`, instead of `grades`, are (percent, name), best first: places of each ranked group
    (`compute.quota_grades`); a 单列 unit, not ranked, takes no quota grade.
    A 单列 unit is ranked on a rank-based indicator against every unit with a value.
    """

    groups: Mapping[str, tuple[str, ...]]
    indicators: tuple[Indicator, ...]
    grades: tuple[tuple[Decimal, str], ...] = ()
    separate: tuple[str, ...] = field(default=())
    quotas: tuple[tuple[Decimal, str], ...] = ()

    def units(self) -> list[str]:
        return [unit for members in self.groups.values() for unit in members] + list(self.separate)

    def group_of(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {
            unit: name for name, members in self.groups.items() for unit in members
        }
        found.update(dict.fromkeys(self.separate))
        return found
