"""The PPP programme's models, one module per part; import them from here (`from duban.ppp.models import …`).

- `projects`: the project, its shareholders, steps, timeline and planned expenditure;
- `contracts`: contracts, the payment rule, payments by year, obligations;
- `parameters`: the dated lines, classification rules and budget figures;
- `reviews`: review campaigns, contract reviews, checklist items, findings and rectification tasks.
"""

from .common import (
    MONEY,
    PARAMETER_SCOPE,
    PROJECT_SCOPE,
    RATE,
    ClassChoice,
    Mechanism,
    OperationMode,
    ProjectStatus,
    Sector,
    project_scope,
)
from .contracts import Contract, Obligation, PaymentRule, PaymentYear
from .parameters import BudgetYear, ClassificationRules, ThresholdSet
from .projects import ExpenditurePlan, PPPProject, ProjectEvent, ProjectStep, Shareholder
from .reviews import ChecklistItem, ContractReview, Finding, RectificationTask, ReviewCampaign

__all__ = [
    "MONEY",
    "PARAMETER_SCOPE",
    "PROJECT_SCOPE",
    "RATE",
    "BudgetYear",
    "ChecklistItem",
    "ClassChoice",
    "ClassificationRules",
    "Contract",
    "ContractReview",
    "ExpenditurePlan",
    "Finding",
    "Mechanism",
    "Obligation",
    "OperationMode",
    "PPPProject",
    "PaymentRule",
    "PaymentYear",
    "ProjectEvent",
    "ProjectStatus",
    "ProjectStep",
    "RectificationTask",
    "ReviewCampaign",
    "Sector",
    "Shareholder",
    "ThresholdSet",
    "project_scope",
]
