"""The self-balance test itself (融资与收益自求平衡, finance-domain.md §1.4): yearly cash flow against debt
service, the coverage ratios and the lowest cumulative balance. No Django import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .inputs import DECIMAL_CONTEXT, ONE, ZERO, BalanceInput, Debt, debt_period


@dataclass(frozen=True, kw_only=True)
class YearResult:
    year: int
    revenue: Decimal
    operating_cost: Decimal
    tax: Decimal
    net: Decimal
    bond_interest: Decimal
    bond_principal: Decimal
    market_interest: Decimal
    market_principal: Decimal
    cumulative_balance: Decimal

    @property
    def bond_debt_service(self) -> Decimal:
        return self.bond_interest + self.bond_principal

    @property
    def debt_service(self) -> Decimal:
        return self.bond_debt_service + self.market_interest + self.market_principal

    @property
    def ratio(self) -> Decimal | None:
        """The yearly ratio DSCR_t = net_t / DS_t; None in a year with nothing to pay."""
        return _ratio(self.net, self.debt_service)


@dataclass(frozen=True, kw_only=True)
class BalanceResult:
    years: tuple[YearResult, ...]
    excluded_years: tuple[int, ...]
    net_income: Decimal
    debt_service: Decimal
    bond_debt_service: Decimal
    interest: Decimal
    bond_interest: Decimal
    coverage_ratio: Decimal
    bond_coverage_ratio: Decimal
    min_cumulative_balance: Decimal
    min_cumulative_balance_year: int
    min_coverage: Decimal
    min_bond_coverage: Decimal | None
    max_plausible_coverage: Decimal | None
    passes: bool
    implausible: bool

    @property
    def short_years(self) -> tuple[int, ...]:
        """Years whose own income does not cover their debt service (DSCR_t < 1), often construction years."""
        return tuple(y.year for y in self.years if y.ratio is not None and y.ratio < ONE)


def balance(inp: BalanceInput) -> BalanceResult:
    """Run the self-balance test (finance-domain.md §1.4; 财预〔2017〕89号, 中办发〔2019〕33号).

    Only the years of the debt period count: income after the last repayment cannot service the debt,
    and the formula sums t = 1..T over the bond term. Rows outside the period are listed in
    `excluded_years`. The cumulative balance starts at zero in the first year of the period.
    """
    with localcontext(DECIMAL_CONTEXT):
        first, last = debt_period(inp)
        bond_lines = _lines_by_year(inp.bonds)
        market_lines = _lines_by_year(inp.market_financing)
        rows = sorted(inp.years, key=lambda row: row.year)

        results: list[YearResult] = []
        cumulative = ZERO
        for row in rows:
            if not first <= row.year <= last:
                continue
            bond = bond_lines.get(row.year, (ZERO, ZERO))
            market = market_lines.get(row.year, (ZERO, ZERO))
            cumulative += row.net - (bond[0] + bond[1] + market[0] + market[1])
            results.append(
                YearResult(
                    year=row.year,
                    revenue=row.revenue,
                    operating_cost=row.operating_cost,
                    tax=row.tax,
                    net=row.net,
                    bond_interest=bond[0],
                    bond_principal=bond[1],
                    market_interest=market[0],
                    market_principal=market[1],
                    cumulative_balance=cumulative,
                )
            )

        net_income = sum((y.net for y in results), ZERO)
        debt_service = sum((y.debt_service for y in results), ZERO)
        bond_debt_service = sum((y.bond_debt_service for y in results), ZERO)
        lowest = min(results, key=lambda y: (y.cumulative_balance, y.year))
        coverage = net_income / debt_service
        bond_coverage = net_income / bond_debt_service

        passes = coverage >= inp.min_coverage
        if inp.min_bond_coverage is not None:
            passes = passes and bond_coverage >= inp.min_bond_coverage
        # The bond ratio is the larger of the two, so it is the one that can be implausibly high.
        implausible = inp.max_plausible_coverage is not None and bond_coverage > inp.max_plausible_coverage

        return BalanceResult(
            years=tuple(results),
            excluded_years=tuple(row.year for row in rows if not first <= row.year <= last),
            net_income=net_income,
            debt_service=debt_service,
            bond_debt_service=bond_debt_service,
            interest=sum((y.bond_interest + y.market_interest for y in results), ZERO),
            bond_interest=sum((y.bond_interest for y in results), ZERO),
            coverage_ratio=coverage,
            bond_coverage_ratio=bond_coverage,
            min_cumulative_balance=lowest.cumulative_balance,
            min_cumulative_balance_year=lowest.year,
            min_coverage=inp.min_coverage,
            min_bond_coverage=inp.min_bond_coverage,
            max_plausible_coverage=inp.max_plausible_coverage,
            passes=passes,
            implausible=implausible,
        )


def _lines_by_year(debts: Iterable[Debt]) -> dict[int, tuple[Decimal, Decimal]]:
    """Interest and principal per year, summed over several debts."""
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for debt in debts:
        for line in debt.schedule():
            interest, principal = totals.get(line.year, (ZERO, ZERO))
            totals[line.year] = (interest + line.interest, principal + line.principal)
    return totals


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    with localcontext(DECIMAL_CONTEXT):
        return numerator / denominator
