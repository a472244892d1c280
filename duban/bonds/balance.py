"""The special-bond self-balance test (融资与收益自求平衡): cash flows, debt service, coverage and sensitivity.

Pure maths with no Django import; services, the API and the `bonds balance` command all call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum
from typing import Any

# Amounts (万元), rates and fractions are Decimal, never float: they are decimal figures typed by people,
# instalment fractions must sum to exactly 1 (0.1 + 0.2 + 0.3 + 0.2 + 0.2 is not 1.0 in binary), results
# must match published four-decimal figures, and the Django layer stores them in DecimalFields.
# 28 significant digits is ample for 万元 amounts; a private context keeps results independent of
# whatever global decimal context the caller (or another library) has set.
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)

ZERO = Decimal(0)
ONE = Decimal(1)

# The provincial debt-management system warns on ratios above its upper bound BXFGBS_SX; §1.4 gives
# 3–5 as the usual range [K]. The lower end is the default so that the warning errs towards asking.
DEFAULT_MAX_PLAUSIBLE_COVERAGE = Decimal(3)

# The steps implementation plans print in their sensitivity section (finance-domain.md §1.5).
SENSITIVITY_CHANGES: tuple[Decimal, ...] = tuple(Decimal(p) / 100 for p in (-8, -6, -4, -2, 0, 2, 4, 6, 8))

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
        with localcontext(_CONTEXT):
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
        with localcontext(_CONTEXT):
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
# Results


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
        with localcontext(_CONTEXT):
            return (self.bond_coverage_ratio / self.base_bond_coverage_ratio - ONE) / self.change


@dataclass(frozen=True, kw_only=True)
class SensitivityRow:
    factor: SensitivityFactor
    cells: tuple[SensitivityCell, ...]


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
            _validate_debt(debt, f"{group}[{index}]")
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


def _validate_debt(debt: Debt, where: str) -> None:
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
    with localcontext(_CONTEXT):
        total = sum(debt.instalments.values(), ZERO)
    # Exact: the fractions come from decimal text, and a schedule that repays 99.99% is a typo.
    if total != ONE:
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


def balance(inp: BalanceInput) -> BalanceResult:
    """Run the self-balance test (finance-domain.md §1.4; 财预〔2017〕89号, 中办发〔2019〕33号).

    Only the years of the debt period count: income after the last repayment cannot service the debt,
    and the formula sums t = 1..T over the bond term. Rows outside the period are listed in
    `excluded_years`. The cumulative balance starts at zero in the first year of the period.
    """
    with localcontext(_CONTEXT):
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
    with localcontext(_CONTEXT):
        return numerator / denominator


# ---------------------------------------------------------------------------------------------------
# Sensitivity


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
    with localcontext(_CONTEXT):
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


# ---------------------------------------------------------------------------------------------------
# The JSON shape shared by the command line and the API


_TOP_FIELDS = {
    "name",
    "min_coverage",
    "min_bond_coverage",
    "max_plausible_coverage",
    "sensitivity",
    "bonds",
    "market_financing",
    "years",
}
_DEBT_FIELDS = {"principal", "rate", "issue_year", "term_years", "repayment"}
_YEAR_FIELDS = {"year", "revenue", "operating_cost", "tax"}


def input_from_dict(data: object) -> BalanceInput:
    """Build a `BalanceInput` from parsed JSON (amounts in 万元); `BalanceInputError` on the first bad field.

    Parse the JSON text with ``parse_float=Decimal`` so that 0.2 stays exactly 0.2; floats are accepted
    too and converted through their shortest decimal representation.
    """
    top = _object(data, "")
    _known(top, _TOP_FIELDS, "")
    min_coverage = _decimal(_required(top, "min_coverage", ""), "min_coverage")
    min_bond_coverage = _optional_decimal(top, "min_bond_coverage")
    if "max_plausible_coverage" in top:
        max_plausible = _optional_decimal(top, "max_plausible_coverage")
    else:
        max_plausible = DEFAULT_MAX_PLAUSIBLE_COVERAGE
    options = _object(top.get("sensitivity", {}), "sensitivity")
    _known(options, {"principal_moves_interest"}, "sensitivity")
    moves_interest = options.get("principal_moves_interest", True)
    if not isinstance(moves_interest, bool):
        raise BalanceInputError(field="sensitivity.principal_moves_interest", code=ErrorCode.NOT_A_BOOLEAN)
    name = top.get("name", "")
    if not isinstance(name, str):
        raise BalanceInputError(field="name", code=ErrorCode.NOT_TEXT)
    bonds = tuple(
        _debt_from_dict(item, f"bonds[{i}]")
        for i, item in enumerate(_list(_required(top, "bonds", ""), "bonds"))
    )
    market = tuple(
        _debt_from_dict(item, f"market_financing[{i}]")
        for i, item in enumerate(_list(top.get("market_financing", []), "market_financing"))
    )
    years = tuple(
        _year_from_dict(item, f"years[{i}]")
        for i, item in enumerate(_list(_required(top, "years", ""), "years"))
    )
    return BalanceInput(
        name=name,
        years=years,
        bonds=bonds,
        market_financing=market,
        min_coverage=min_coverage,
        min_bond_coverage=min_bond_coverage,
        max_plausible_coverage=max_plausible,
        principal_moves_interest=moves_interest,
    )


def _debt_from_dict(data: object, where: str) -> Debt:
    item = _object(data, where)
    _known(item, _DEBT_FIELDS, where)
    repayment = _required(item, "repayment", where)
    instalments: dict[int, Decimal] | None
    if repayment == "bullet":
        instalments = None
    elif isinstance(repayment, Mapping):
        instalments = {}
        for key, fraction in repayment.items():
            here = f'{where}.repayment["{key}"]'
            year = _year_key(key, here)
            instalments[year] = _decimal(fraction, here)
    else:
        raise BalanceInputError(field=f"{where}.repayment", code=ErrorCode.BAD_REPAYMENT)
    return Debt(
        principal=_decimal(_required(item, "principal", where), f"{where}.principal"),
        rate=_decimal(_required(item, "rate", where), f"{where}.rate"),
        issue_year=_int(_required(item, "issue_year", where), f"{where}.issue_year"),
        term_years=_int(_required(item, "term_years", where), f"{where}.term_years"),
        instalments=instalments,
    )


def _year_from_dict(data: object, where: str) -> CashFlowYear:
    item = _object(data, where)
    _known(item, _YEAR_FIELDS, where)
    revenue = _required(item, "revenue", where)
    if isinstance(revenue, Mapping):
        income = {}
        for source, amount in revenue.items():
            if not isinstance(source, str) or not source.strip():
                raise BalanceInputError(field=f"{where}.revenue", code=ErrorCode.BAD_SOURCE_NAME)
            income[source] = _decimal(amount, f'{where}.revenue["{source}"]')
    else:
        income = {DEFAULT_INCOME_SOURCE: _decimal(revenue, f"{where}.revenue")}
    return CashFlowYear(
        year=_int(_required(item, "year", where), f"{where}.year"),
        income=income,
        operating_cost=_decimal(_required(item, "operating_cost", where), f"{where}.operating_cost"),
        tax=_decimal(_required(item, "tax", where), f"{where}.tax"),
    )


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BalanceInputError(field=where, code=ErrorCode.NOT_AN_OBJECT)
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise BalanceInputError(field=where, code=ErrorCode.NOT_A_LIST)
    return value


def _known(item: Mapping[str, Any], allowed: set[str], where: str) -> None:
    # Unknown keys are refused so that a misspelt optional field is not silently ignored.
    for key in item:
        if key not in allowed:
            raise BalanceInputError(field=_join(where, str(key)), code=ErrorCode.UNKNOWN_FIELD)


def _required(item: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in item or item[key] is None:
        raise BalanceInputError(field=_join(where, key), code=ErrorCode.REQUIRED)
    return item[key]


def _optional_decimal(item: Mapping[str, Any], key: str) -> Decimal | None:
    value = item.get(key)
    return None if value is None else _decimal(value, key)


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise BalanceInputError(field=where, code=ErrorCode.NOT_A_NUMBER)
    # str() of a float is its shortest round-trip form: 0.1 becomes Decimal("0.1"), not 0.1000000000000000055…
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise BalanceInputError(field=where, code=ErrorCode.NOT_FINITE)
    return number


def _int(value: object, where: str) -> int:
    # JSON has one number type: accept 2021.0 as 2021, refuse 2021.5 and true.
    if isinstance(value, bool):
        raise BalanceInputError(field=where, code=ErrorCode.NOT_AN_INTEGER)
    if isinstance(value, int):
        return value
    if (
        isinstance(value, float | Decimal)
        and Decimal(str(value)).is_finite()
        and Decimal(str(value)) % 1 == 0
    ):
        return int(value)
    raise BalanceInputError(field=where, code=ErrorCode.NOT_AN_INTEGER)


def _year_key(key: object, where: str) -> int:
    text = str(key).strip()
    if not text.isdigit() or len(text) != 4:
        raise BalanceInputError(field=where, code=ErrorCode.BAD_INSTALMENT_YEAR)
    return int(text)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def result_to_dict(
    result: BalanceResult, *, sensitivity_rows: Sequence[SensitivityRow] = ()
) -> dict[str, Any]:
    """The `--json` output: ratios to four decimals, amounts to four (one yuan), as JSON numbers."""
    out: dict[str, Any] = {
        "coverage_ratio": ratio_number(result.coverage_ratio),
        "bond_coverage_ratio": ratio_number(result.bond_coverage_ratio),
        "net_income": amount_number(result.net_income),
        "debt_service": amount_number(result.debt_service),
        "bond_debt_service": amount_number(result.bond_debt_service),
        "min_cumulative_balance": amount_number(result.min_cumulative_balance),
        "min_cumulative_balance_year": result.min_cumulative_balance_year,
        "passes": result.passes,
        "implausible": result.implausible,
        "short_years": list(result.short_years),
        "excluded_years": list(result.excluded_years),
        "years": [
            {
                "year": y.year,
                "net": amount_number(y.net),
                "debt_service": amount_number(y.debt_service),
                "ratio": None if y.ratio is None else ratio_number(y.ratio),
                "cumulative_balance": amount_number(y.cumulative_balance),
            }
            for y in result.years
        ],
    }
    if sensitivity_rows:
        out["sensitivity"] = {
            row.factor.value: [
                {
                    "change": float(cell.change),
                    "coverage_ratio": ratio_number(cell.coverage_ratio),
                    "bond_coverage_ratio": ratio_number(cell.bond_coverage_ratio),
                }
                for cell in row.cells
            ]
            for row in sensitivity_rows
        }
    return out


def round_ratio(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def ratio_number(value: Decimal) -> float:
    return float(round_ratio(value))


def amount_number(value: Decimal) -> int | float:
    rounded = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


__all__ = [
    "DEFAULT_MAX_PLAUSIBLE_COVERAGE",
    "MAX_RATE",
    "MAX_TERM_YEARS",
    "SENSITIVITY_CHANGES",
    "BalanceInput",
    "BalanceInputError",
    "BalanceResult",
    "CashFlowYear",
    "Debt",
    "DebtServiceLine",
    "ErrorCode",
    "SensitivityCell",
    "SensitivityFactor",
    "SensitivityRow",
    "YearResult",
    "amount_number",
    "balance",
    "debt_period",
    "input_from_dict",
    "ratio_number",
    "result_to_dict",
    "round_ratio",
    "sensitivity",
    "validate",
]
