"""The sensitivity table of an implementation plan (敏感性分析, finance-domain.md §1.5): the bond coverage
ratio when revenue, operating cost, rate or principal move by a few percent. No Django import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from enum import StrEnum

from .coverage import balance
from .inputs import DECIMAL_CONTEXT, ONE, BalanceInput

# The steps implementation plans print in their sensitivity section (finance-domain.md §1.5).
SENSITIVITY_CHANGES: tuple[Decimal, ...] = tuple(Decimal(p) / 100 for p in (-8, -6, -4, -2, 0, 2, 4, 6, 8))


class SensitivityFactor(StrEnum):
    REVENUE = "revenue"
    OPERATING_COST = "operating_cost"
    RATE = "rate"
    PRINCIPAL = "principal"


@dataclass(frozen=True, kw_only=True)
class SensitivityCell:
    change: Decimal
    coverage_ratio: Decimal
    bond_coverage_ratio: Decimal
    base_bond_coverage_ratio: Decimal

    @property
    def coefficient(self) -> Decimal | None:
        """The sensitivity coefficient SAF = (ΔA/A) / (ΔF/F) of the bond ratio, as plans define it (§1.5)."""
        if self.change == 0 or self.base_bond_coverage_ratio == 0:
            return None
        with localcontext(DECIMAL_CONTEXT):
            return (self.bond_coverage_ratio / self.base_bond_coverage_ratio - ONE) / self.change


@dataclass(frozen=True, kw_only=True)
class SensitivityRow:
    factor: SensitivityFactor
    cells: tuple[SensitivityCell, ...]


def sensitivity(
    inp: BalanceInput,
    *,
    changes: Sequence[Decimal] = SENSITIVITY_CHANGES,
    principal_moves_interest: bool | None = None,
) -> tuple[SensitivityRow, ...]:
    """The sensitivity table of an implementation plan (实施方案 敏感性分析, finance-domain.md §1.5).

    Each factor moves by a relative change (−8% … +8%) with everything else held:
    revenue scales every income source (tax is an amount of its own and stays put, which is also the
    only reading under which the published §1.5 rows are consistent with one another); operating cost
    scales; rate scales the rate of every debt (2.5% × 1.02 = 2.55%, not 4.5%); principal scales the
    bonds' principal. Whether a larger principal also carries more interest is `principal_moves_interest`
    (default: the input's setting, True). The published plan of §1.5 held interest fixed.
    """
    moves_interest = (
        inp.principal_moves_interest if principal_moves_interest is None else principal_moves_interest
    )
    base = balance(inp)
    rows = []
    for factor in SensitivityFactor:
        cells = []
        for change in changes:
            shocked = balance(
                _shock(inp, factor=factor, change=change, principal_moves_interest=moves_interest)
            )
            cells.append(
                SensitivityCell(
                    change=change,
                    coverage_ratio=shocked.coverage_ratio,
                    bond_coverage_ratio=shocked.bond_coverage_ratio,
                    base_bond_coverage_ratio=base.bond_coverage_ratio,
                )
            )
        rows.append(SensitivityRow(factor=factor, cells=tuple(cells)))
    return tuple(rows)


def _shock(
    inp: BalanceInput, *, factor: SensitivityFactor, change: Decimal, principal_moves_interest: bool
) -> BalanceInput:
    with localcontext(DECIMAL_CONTEXT):
        scale = ONE + change
        if factor is SensitivityFactor.REVENUE:
            years = tuple(
                replace(row, income={source: amount * scale for source, amount in row.income.items()})
                for row in inp.years
            )
            return replace(inp, years=years)
        if factor is SensitivityFactor.OPERATING_COST:
            return replace(
                inp, years=tuple(replace(row, operating_cost=row.operating_cost * scale) for row in inp.years)
            )
        if factor is SensitivityFactor.RATE:
            return replace(
                inp,
                bonds=tuple(replace(d, rate=d.rate * scale) for d in inp.bonds),
                market_financing=tuple(replace(d, rate=d.rate * scale) for d in inp.market_financing),
            )
        if principal_moves_interest:
            return replace(inp, bonds=tuple(replace(d, principal=d.principal * scale) for d in inp.bonds))
        # Principal repayments grow, interest stays at its base: the same rate on a proportionally
        # smaller notional principal. Implemented by scaling the principal and dividing the rate back.
        return replace(
            inp,
            bonds=tuple(replace(d, principal=d.principal * scale, rate=d.rate / scale) for d in inp.bonds),
        )
