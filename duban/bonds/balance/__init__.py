"""The special-bond self-balance test (融资与收益自求平衡): cash flows, debt service, coverage and sensitivity.

Pure maths with no Django import; services, the API and the `bonds balance` command all call it. The
parts: `inputs` (what the test takes, validated), `coverage` (the test), `sensitivity` (the plan's
table), `serialisation` (the JSON shape of the command line and the API).
"""

from .coverage import BalanceResult, YearResult, balance
from .inputs import (
    DEFAULT_MAX_PLAUSIBLE_COVERAGE,
    MAX_RATE,
    MAX_TERM_YEARS,
    BalanceInput,
    BalanceInputError,
    CashFlowYear,
    Debt,
    DebtServiceLine,
    ErrorCode,
    debt_period,
    validate,
    validate_debt,
)
from .sensitivity import SENSITIVITY_CHANGES, SensitivityCell, SensitivityFactor, SensitivityRow, sensitivity
from .serialisation import amount_number, input_from_dict, ratio_number, result_to_dict, round_ratio

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
    "validate_debt",
]
