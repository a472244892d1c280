"""Fiscal affordability of the PPP programme (财政承受能力论证), 财金〔2015〕21号, with the gates of 财金〔2019〕10号.

Pure maths without Django, shared by the services, the `duban ppp affordability` command and the API.
Import from here; the modules are an arrangement:

- `inputs`: the lines, the budget projection, a project's terms, the programme, and their validation;
- `expenditure`: the four kinds of expenditure responsibility and a project's spending by year;
- `assessment`: the yearly ratio against the lines, and the check of a new project;
- `serialisation`: the JSON in and out of `duban ppp affordability` (and the API).
"""

from .assessment import (
    AffordabilityReport,
    NewProjectCheck,
    Refusal,
    YearAssessment,
    assess,
    check_new_project,
)
from .expenditure import (
    ExpenditureByType,
    ProjectExpenditure,
    RiskScenario,
    annual_operating_subsidy,
    equity_expenditure,
    operating_subsidy_in,
    project_expenditure,
    risk_by_ratio,
    risk_by_scenarios,
    supporting_expenditure,
)
from .inputs import (
    ONE,
    ZERO,
    AffordabilityInputError,
    BudgetProjection,
    PaymentMechanism,
    Programme,
    Project,
    Thresholds,
    out_of_range,
)
from .serialisation import money, programme_from_dict, project_from_dict, report_as_dict

__all__ = [
    "ONE",
    "ZERO",
    "AffordabilityInputError",
    "AffordabilityReport",
    "BudgetProjection",
    "ExpenditureByType",
    "NewProjectCheck",
    "PaymentMechanism",
    "Programme",
    "Project",
    "ProjectExpenditure",
    "Refusal",
    "RiskScenario",
    "Thresholds",
    "YearAssessment",
    "annual_operating_subsidy",
    "assess",
    "check_new_project",
    "equity_expenditure",
    "money",
    "operating_subsidy_in",
    "out_of_range",
    "programme_from_dict",
    "project_expenditure",
    "project_from_dict",
    "report_as_dict",
    "risk_by_ratio",
    "risk_by_scenarios",
    "supporting_expenditure",
]
