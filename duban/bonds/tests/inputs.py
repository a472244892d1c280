"""Example input files of the balance test (tests/data/) and a quick way to build inputs in tests."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from duban.bonds.balance import BalanceInput, CashFlowYear, Debt, input_from_dict

DATA_DIR = Path(__file__).parent / "data"


def path(name: str) -> Path:
    return DATA_DIR / f"{name}.json"


def load_dict(name: str) -> dict[str, Any]:
    return json.loads(path(name).read_text(encoding="utf-8"), parse_float=Decimal)


def load(name: str) -> BalanceInput:
    return input_from_dict(load_dict(name))


def worked_years() -> tuple[CashFlowYear, ...]:
    """§1.4: two construction years, then net income 2,300 rising by 100 a year to 3,000."""
    return tuple(
        CashFlowYear(
            year=2021 + i, income={"revenue": Decimal(0) if i < 2 else Decimal(2300 + 100 * (i - 2))}
        )
        for i in range(10)
    )


def worked_bond(**changes: Any) -> Debt:
    fields: dict[str, Any] = {
        "principal": Decimal(15000),
        "rate": Decimal("0.025"),
        "issue_year": 2021,
        "term_years": 10,
    }
    fields.update(changes)
    return Debt(**fields)
