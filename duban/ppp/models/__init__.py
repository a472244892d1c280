"""The PPP programme's models, one module per part; import them from here (`from duban.ppp.models import …`).

- `projects`: the project, its shareholders, steps, timeline and planned expenditure;
- `contracts`: contracts, the payment rule, payments by year, obligations;
- `parameters`: the dated lines, classification rules and budget figures;
- `reviews`: review campaigns, contract reviews, checklist items, findings and rectification tasks.
"""

from .common import ClassChoice, Mechanism, OperationMode, ProjectStatus, Sector
from .contracts import (
    CONTRACT_INPUT_FIELDS,
    OBLIGATION_INPUT_FIELDS,
    PAYMENT_RULE_INPUT_FIELDS,
    Contract,
    Obligation,
    PaymentRule,
    PaymentYear,
)
from .parameters import (
    BUDGET_INPUT_FIELDS,
    RULES_INPUT_FIELDS,
    THRESHOLD_INPUT_FIELDS,
    BudgetYear,
    ClassificationRules,
    ThresholdSet,
)
from .projects import (
    PROJECT_INPUT_FIELDS,
    SHAREHOLDER_INPUT_FIELDS,
    ExpenditurePlan,
    PPPProject,
    ProjectEvent,
    ProjectStep,
    Shareholder,
)
from .reviews import (
    CAMPAIGN_INPUT_FIELDS,
    FINDING_INPUT_FIELDS,
    TASK_INPUT_FIELDS,
    ChecklistItem,
    ContractReview,
    Finding,
    RectificationTask,
    ReviewCampaign,
)

__all__ = [
    "BUDGET_INPUT_FIELDS",
    "CAMPAIGN_INPUT_FIELDS",
    "CONTRACT_INPUT_FIELDS",
    "FINDING_INPUT_FIELDS",
    "OBLIGATION_INPUT_FIELDS",
    "PAYMENT_RULE_INPUT_FIELDS",
    "PROJECT_INPUT_FIELDS",
    "RULES_INPUT_FIELDS",
    "SHAREHOLDER_INPUT_FIELDS",
    "TASK_INPUT_FIELDS",
    "THRESHOLD_INPUT_FIELDS",
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
]
