"""The JSON of `duban ppp affordability`: reading a programme (every error names its field, e.g.
`projects[0].discount_rate`) and writing a report (shared with the API)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .assessment import AffordabilityReport
from .inputs import (
    CENT,
    AffordabilityInputError,
    BudgetProjection,
    PaymentMechanism,
    PerYearOrConstant,
    Programme,
    Project,
    Thresholds,
    check_year,
)

_PROGRAMME_KEYS = ("cap", "warning", "gov_pay_gate", "budget", "existing_obligations", "projects")
_BUDGET_KEYS = ("base_year", "base_expenditure", "growth", "expenditure")
_PROJECT_KEYS = (
    "name",
    "payment_mechanism",
    "construction_cost",
    "profit_rate",
    "discount_rate",
    "subsidy_years",
    "operation_start_year",
    "discount_start_year",
    "operating_cost",
    "user_fees",
    "equity",
    "risk",
    "supporting",
)


def _type_error(field: str, expected: str) -> AffordabilityInputError:
    return AffordabilityInputError(
        field=field, code="invalid_type", message=f"expected {expected}", params={"expected": expected}
    )


def _object(value: object, *, field: str, allowed: Sequence[str] | None = None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _type_error(field, "object")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                # Unknown keys are rejected: a misspelt optional field would otherwise vanish silently.
                raise AffordabilityInputError(
                    field=f"{field}.{key}" if field else str(key),
                    code="unknown_field",
                    message="unknown field",
                    params={"allowed": tuple(allowed)},
                )
    return value


def _required(data: Mapping[str, Any], key: str, *, prefix: str) -> Any:
    if key not in data or data[key] is None:
        raise AffordabilityInputError(
            field=f"{prefix}.{key}" if prefix else key, code="required", message="required"
        )
    return data[key]


def _decimal(value: object, *, field: str) -> Decimal:
    # bool is an int in Python, but `true` is never an amount.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _type_error(field, "number")
    # Through str, so 0.035 stays 0.035 rather than its binary neighbour.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise _type_error(field, "number")
    return number


def _integer(value: object, *, field: str) -> int:
    if isinstance(value, bool):
        raise _type_error(field, "integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)
    raise _type_error(field, "integer")


def _year_key(key: object, *, field: str) -> int:
    text = str(key).strip()
    if not text.isascii() or not text.isdigit():
        raise AffordabilityInputError(
            field=f"{field}.{key}", code="invalid_year", message="not a year", params={"value": key}
        )
    year = int(text)
    check_year(year, field=f"{field}.{key}")
    return year


def _yearly(value: object, *, field: str) -> dict[int, Decimal]:
    data = _object(value, field=field)
    return {
        _year_key(key, field=field): _decimal(amount, field=f"{field}.{key}") for key, amount in data.items()
    }


def _per_year_or_constant(value: object, *, field: str) -> PerYearOrConstant:
    if isinstance(value, Mapping):
        return _yearly(value, field=field)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _type_error(field, "number_or_yearly")
    return _decimal(value, field=field)


def _budget_from_dict(value: object) -> BudgetProjection:
    data = _object(value, field="budget", allowed=_BUDGET_KEYS)
    try:
        return BudgetProjection(
            base_year=_integer(data["base_year"], field="budget.base_year") if "base_year" in data else None,
            base_expenditure=(
                _decimal(data["base_expenditure"], field="budget.base_expenditure")
                if "base_expenditure" in data
                else None
            ),
            growth=_decimal(data["growth"], field="budget.growth") if "growth" in data else None,
            expenditure=_yearly(data.get("expenditure", {}), field="budget.expenditure"),
        )
    except AffordabilityInputError as error:
        if error.field.startswith("budget"):
            raise
        raise error.within("budget") from None


def _mechanism(value: object, *, field: str) -> PaymentMechanism:
    try:
        return PaymentMechanism(value)
    except ValueError:
        raise AffordabilityInputError(
            field=field,
            code="invalid_choice",
            message=f"{value!r} is not one of {[m.value for m in PaymentMechanism]}",
            params={"value": value, "choices": tuple(m.value for m in PaymentMechanism)},
        ) from None


def project_from_dict(value: object, *, field: str = "project") -> Project:
    """A `Project` from its JSON form; errors name the field under `field` (e.g. `projects[0].discount_rate`)."""
    data = _object(value, field=field, allowed=_PROJECT_KEYS)
    name = _required(data, "name", prefix=field)
    if not isinstance(name, str):
        raise _type_error(f"{field}.name", "string")
    mechanism = _mechanism(
        _required(data, "payment_mechanism", prefix=field), field=f"{field}.payment_mechanism"
    )
    # The subsidy terms are needed only where the government subsidises; a user-pay project may omit them.
    needs_terms = mechanism is not PaymentMechanism.USER_PAY
    terms: dict[str, Any] = {}
    for key, read in (
        ("construction_cost", _decimal),
        ("profit_rate", _decimal),
        ("discount_rate", _decimal),
        ("subsidy_years", _integer),
        ("operation_start_year", _integer),
    ):
        if needs_terms:
            terms[key] = read(_required(data, key, prefix=field), field=f"{field}.{key}")
        elif data.get(key) is not None:
            terms[key] = read(data[key], field=f"{field}.{key}")
    if data.get("discount_start_year") is not None:
        terms["discount_start_year"] = _integer(
            data["discount_start_year"], field=f"{field}.discount_start_year"
        )
    for key in ("operating_cost", "user_fees"):
        if data.get(key) is not None:
            terms[key] = _per_year_or_constant(data[key], field=f"{field}.{key}")
    for key in ("equity", "risk", "supporting"):
        terms[key] = _yearly(data.get(key) or {}, field=f"{field}.{key}")
    try:
        return Project(name=name, payment_mechanism=mechanism, **terms)
    except AffordabilityInputError as error:
        raise error.within(field) from None


def programme_from_dict(data: object) -> Programme:
    """A `Programme` from the JSON of `duban ppp affordability` (amounts in 万元, calendar years as keys)."""
    root = _object(data, field="", allowed=_PROGRAMME_KEYS)
    thresholds = Thresholds(
        **{
            name: _decimal(_required(root, name, prefix=""), field=name)
            for name in ("cap", "warning", "gov_pay_gate")
        }
    )
    projects_value = root.get("projects", [])
    if not isinstance(projects_value, list):
        raise _type_error("projects", "array")
    projects = [
        project_from_dict(item, field=f"projects[{index}]") for index, item in enumerate(projects_value)
    ]
    return Programme(
        thresholds=thresholds,
        budget=_budget_from_dict(_required(root, "budget", prefix="")),
        existing_obligations=_yearly(root.get("existing_obligations") or {}, field="existing_obligations"),
        projects=projects,
    )


# --- output ---------------------------------------------------------------------------------------


def money(amount: Decimal) -> Decimal:
    """Amounts are shown to the cent of a 万元 (100 元), rounded half up as in budget tables."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def report_as_dict(report: AffordabilityReport) -> dict[str, Any]:
    """The JSON shape of `duban ppp affordability --json`, shared with the API; amounts rounded, ratios to 6 places."""

    def number(amount: Decimal) -> float:
        return float(money(amount))

    return {
        "years": [
            {
                "year": year.year,
                "budget_expenditure": number(year.budget_expenditure),
                "existing_obligations": number(year.existing_obligations),
                "obligations": number(year.obligations),
                "by_type": {
                    "equity": number(year.by_type.equity),
                    "subsidy": number(year.by_type.subsidy),
                    "risk": number(year.by_type.risk),
                    "supporting": number(year.by_type.supporting),
                },
                "ratio": float(year.ratio.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)),
                "within_cap": year.within_cap,
                "warning": year.warning,
                "gov_pay_allowed": year.gov_pay_allowed,
            }
            for year in report.years
        ],
        "projects": [
            {
                "name": spent.name,
                "subsidy": {str(year): number(amount) for year, amount in spent.subsidy.items()},
            }
            for spent in report.projects
        ],
    }
