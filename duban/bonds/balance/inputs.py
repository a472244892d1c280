"""What the balance test takes: debts and their repayment schedules, a year's cash flow, the whole input,
and its validation (every refusal names the field and a machine-readable code). No Django import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum
from typing import Any

# Amounts (万元), rates and fractions are Decimal, never float: they are decimal figures typed by people,
# instalment fractions must sum to 1 (0.1 + 0.2 + 0.3 + 0.2 + 0.2 is not 1.0 in binary), results
# must match published four-decimal figures, and the Django layer stores them in DecimalFields.
# 28 significant digits is ample for 万元 amounts; a private context keeps results independent of
# whatever global decimal context the caller (or another library) has set.
DECIMAL_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)

ZERO = Decimal(0)
ONE = Decimal(1)
# How far from 1 the repayment shares of a debt may sum (rounding of shares such as 1/7, never a typo).
SHARE_TOLERANCE = Decimal("1e-9")

# The provincial debt-management system warns on ratios above its upper bound BXFGBS_SX; §1.4 gives
# 3–5 as the usual range [K]. The lower end is the default so that the warning errs towards asking.
DEFAULT_MAX_PLAUSIBLE_COVERAGE = Decimal(3)

# The income source used when a cash-flow row gives one revenue figure instead of a breakdown.
DEFAULT_INCOME_SOURCE = "revenue"

# Sanity bounds, not policy: no local bond runs longer than 30 years and coupons are a few percent,
# so these catch typos only (a rate of 2.5 meant as 2.5%). They also leave room for the +8% shocks.
MAX_TERM_YEARS = 50
MAX_RATE = Decimal("0.3")


class BalanceInputError(ValueError):
    """An input the balance test cannot use, with the offending field and a machine-readable code.

    `field` is a path such as ``bonds[0].rate`` or ``years[3].revenue`` ("" for the whole document);
    `code` is one of the `ErrorCode` values; `params` carries the figures a translated message needs.
    """

    def __init__(self, *, field: str, code: str, **params: Any) -> None:
        self.field = field
        self.code = code
        self.params = params
        detail = ", ".join(f"{key}={value}" for key, value in params.items())
        super().__init__(f"{field}: {code}" + (f" ({detail})" if detail else ""))


class ErrorCode(StrEnum):
    NOT_AN_OBJECT = "not_an_object"
    NOT_TEXT = "not_text"
    NOT_A_BOOLEAN = "not_a_boolean"
    NOT_A_LIST = "not_a_list"
    REQUIRED = "required"
    UNKNOWN_FIELD = "unknown_field"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    NOT_FINITE = "not_finite"
    NOT_POSITIVE = "not_positive"
    NEGATIVE = "negative"
    RATE_OUT_OF_RANGE = "rate_out_of_range"
    TERM_OUT_OF_RANGE = "term_out_of_range"
    EMPTY = "empty"
    BAD_REPAYMENT = "bad_repayment"
    BAD_INSTALMENT_YEAR = "bad_instalment_year"
    INSTALMENT_OUTSIDE_TERM = "instalment_outside_term"
    FRACTION_OUT_OF_RANGE = "fraction_out_of_range"
    FRACTIONS_DO_NOT_SUM_TO_ONE = "fractions_do_not_sum_to_one"
    DUPLICATE_YEAR = "duplicate_year"
    MISSING_YEAR = "missing_year"
    BAD_SOURCE_NAME = "bad_source_name"
    MAX_BELOW_MIN = "max_below_min"


# ---------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True, kw_only=True)
class Debt:
    """A special bond or a market loan, repaid in a bullet or in instalments.

    `instalments` maps a calendar year to the fraction of the principal repaid at the end of that year;
    None means a bullet at maturity (到期一次还本). The issue year counts as the first year of the term
    and bears a full year's interest, as in the worked example of finance-domain.md §1.4.
    """

    principal: Decimal
    rate: Decimal
    issue_year: int
    term_years: int
    instalments: Mapping[int, Decimal] | None = None

    @property
    def maturity_year(self) -> int:
        return self.issue_year + self.term_years - 1

    @property
    def is_bullet(self) -> bool:
        return self.instalments is None

    @property
    def final_year(self) -> int:
        """The last year with debt service: maturity for a bullet, the last instalment otherwise."""
        if self.instalments is None:
            return self.maturity_year
        return max(year for year, fraction in self.instalments.items() if fraction > 0)

    def schedule(self) -> tuple[DebtServiceLine, ...]:
        """Year-by-year interest and principal (财预〔2017〕89号 practice, finance-domain.md §1.4).

        Interest for a year is the rate times the principal outstanding during that year. Principal is
        repaid at the end of a year, so semi-annual coupons (bonds of ten years or more) change the
        timing within the year but not the yearly total.
        """
        with localcontext(DECIMAL_CONTEXT):
            repaid_fraction = (
                {self.maturity_year: ONE} if self.instalments is None else dict(self.instalments)
            )
            outstanding = self.principal
            lines = []
            for year in range(self.issue_year, self.final_year + 1):
                interest = self.rate * outstanding
                # The last repayment takes whatever is left, so the principal repaid adds up exactly.
                repaid = (
                    outstanding
                    if year == self.final_year
                    else self.principal * repaid_fraction.get(year, ZERO)
                )
                lines.append(
                    DebtServiceLine(year=year, outstanding=outstanding, interest=interest, principal=repaid)
                )
                outstanding -= repaid
            return tuple(lines)

    def total_interest(self) -> Decimal:
        with localcontext(DECIMAL_CONTEXT):
            return sum((line.interest for line in self.schedule()), ZERO)


@dataclass(frozen=True, kw_only=True)
class DebtServiceLine:
    year: int
    outstanding: Decimal
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


@dataclass(frozen=True, kw_only=True)
class CashFlowYear:
    """One row of the project's income and expenditure budget (收支预算)."""

    year: int
    income: Mapping[str, Decimal]
    operating_cost: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def revenue(self) -> Decimal:
        return sum(self.income.values(), ZERO)

    @property
    def net(self) -> Decimal:
        """Income usable for debt service: R_t − C_t − Tax_t."""
        return self.revenue - self.operating_cost - self.tax


@dataclass(frozen=True, kw_only=True)
class BalanceInput:
    """Everything the balance test needs, validated on construction.

    `min_coverage` applies to all debt and `min_bond_coverage` (when given) to the bonds alone, for
    provinces that ask ≥1.1 of the bonds and ≥1.2 overall (finance-domain.md §1.4). Both, and
    `max_plausible_coverage`, come from the dated parameters of the Django layer, never from here.
    """

    years: tuple[CashFlowYear, ...]
    bonds: tuple[Debt, ...]
    market_financing: tuple[Debt, ...] = ()
    min_coverage: Decimal
    min_bond_coverage: Decimal | None = None
    max_plausible_coverage: Decimal | None = DEFAULT_MAX_PLAUSIBLE_COVERAGE
    # Plans differ on whether a larger principal also carries more interest; see `sensitivity`.
    principal_moves_interest: bool = True
    name: str = ""

    def __post_init__(self) -> None:
        validate(self)


# ---------------------------------------------------------------------------------------------------
# Validation


def validate(inp: BalanceInput) -> None:
    """Raise `BalanceInputError` naming the first field the balance test cannot use."""
    _positive(inp.min_coverage, "min_coverage")
    if inp.min_bond_coverage is not None:
        _positive(inp.min_bond_coverage, "min_bond_coverage")
    if inp.max_plausible_coverage is not None:
        _positive(inp.max_plausible_coverage, "max_plausible_coverage")
        if inp.max_plausible_coverage < inp.min_coverage:
            raise BalanceInputError(
                field="max_plausible_coverage", code=ErrorCode.MAX_BELOW_MIN, minimum=inp.min_coverage
            )
    if not inp.bonds:
        raise BalanceInputError(field="bonds", code=ErrorCode.EMPTY)
    for group, debts in (("bonds", inp.bonds), ("market_financing", inp.market_financing)):
        for index, debt in enumerate(debts):
            validate_debt(debt, f"{group}[{index}]")
    if not inp.years:
        raise BalanceInputError(field="years", code=ErrorCode.EMPTY)
    seen: set[int] = set()
    for index, row in enumerate(inp.years):
        where = f"years[{index}]"
        _integer(row.year, f"{where}.year")
        if row.year in seen:
            raise BalanceInputError(field=f"{where}.year", code=ErrorCode.DUPLICATE_YEAR, year=row.year)
        seen.add(row.year)
        for source, amount in row.income.items():
            _not_negative(amount, f'{where}.revenue["{source}"]')
        _not_negative(row.operating_cost, f"{where}.operating_cost")
        _not_negative(row.tax, f"{where}.tax")
    first, last = debt_period(inp)
    for year in range(first, last + 1):
        if year not in seen:
            raise BalanceInputError(
                field="years", code=ErrorCode.MISSING_YEAR, year=year, first=first, last=last
            )


def validate_debt(debt: Debt, where: str) -> None:
    _positive(debt.principal, f"{where}.principal")
    _number(debt.rate, f"{where}.rate")
    if not ZERO <= debt.rate <= MAX_RATE:
        raise BalanceInputError(
            field=f"{where}.rate", code=ErrorCode.RATE_OUT_OF_RANGE, value=debt.rate, maximum=MAX_RATE
        )
    _integer(debt.issue_year, f"{where}.issue_year")
    _integer(debt.term_years, f"{where}.term_years")
    if not 1 <= debt.term_years <= MAX_TERM_YEARS:
        raise BalanceInputError(
            field=f"{where}.term_years",
            code=ErrorCode.TERM_OUT_OF_RANGE,
            value=debt.term_years,
            maximum=MAX_TERM_YEARS,
        )
    if debt.instalments is None:
        return
    if not debt.instalments:
        raise BalanceInputError(field=f"{where}.repayment", code=ErrorCode.EMPTY)
    for year, fraction in debt.instalments.items():
        here = f'{where}.repayment["{year}"]'
        _integer(year, here)
        if not debt.issue_year <= year <= debt.maturity_year:
            raise BalanceInputError(
                field=here,
                code=ErrorCode.INSTALMENT_OUTSIDE_TERM,
                year=year,
                first=debt.issue_year,
                last=debt.maturity_year,
            )
        _number(fraction, here)
        if not ZERO < fraction <= ONE:
            raise BalanceInputError(field=here, code=ErrorCode.FRACTION_OUT_OF_RANGE, value=fraction)
    with localcontext(DECIMAL_CONTEXT):
        total = sum(debt.instalments.values(), ZERO)
    # The fractions come from decimal text, and a schedule that repays 99.99% is a typo; but shares
    # that cannot be written exactly (seven of 1/7 as 0.142857142857142857 sum to 0.999…999) are
    # accepted within SHARE_TOLERANCE of 1: the last repayment takes what is left (Debt.schedule).
    if abs(total - ONE) > SHARE_TOLERANCE:
        raise BalanceInputError(
            field=f"{where}.repayment", code=ErrorCode.FRACTIONS_DO_NOT_SUM_TO_ONE, total=total
        )


def _number(value: object, where: str) -> None:
    if not isinstance(value, Decimal):
        raise BalanceInputError(field=where, code=ErrorCode.NOT_A_NUMBER)
    if not value.is_finite():
        raise BalanceInputError(field=where, code=ErrorCode.NOT_FINITE)


def _positive(value: object, where: str) -> None:
    _number(value, where)
    assert isinstance(value, Decimal)
    if value <= 0:
        raise BalanceInputError(field=where, code=ErrorCode.NOT_POSITIVE, value=value)


def _not_negative(value: object, where: str) -> None:
    _number(value, where)
    assert isinstance(value, Decimal)
    if value < 0:
        raise BalanceInputError(field=where, code=ErrorCode.NEGATIVE, value=value)


def _integer(value: object, where: str) -> None:
    # bool is an int in Python, but `true` as a year is a mistake, not 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise BalanceInputError(field=where, code=ErrorCode.NOT_AN_INTEGER)


# ---------------------------------------------------------------------------------------------------
# The test itself


def debt_period(inp: BalanceInput) -> tuple[int, int]:
    """First and last calendar year of the debt: the T of the §1.4 formula, over all bonds and loans."""
    debts = (*inp.bonds, *inp.market_financing)
    return min(d.issue_year for d in debts), max(d.final_year for d in debts)
