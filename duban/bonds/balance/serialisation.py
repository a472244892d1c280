"""The JSON shape shared by the command line and the API: an input read from parsed JSON (refusing the
first bad field), and a result written with ratios and amounts rounded as reports print them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .coverage import BalanceResult
from .inputs import (
    DEFAULT_INCOME_SOURCE,
    DEFAULT_MAX_PLAUSIBLE_COVERAGE,
    BalanceInput,
    BalanceInputError,
    CashFlowYear,
    Debt,
    ErrorCode,
)
from .sensitivity import SensitivityRow

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
