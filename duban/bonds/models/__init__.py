"""The special-bond programme: the project library, cash flows and debts, batches, applications and the
money's way from quota to spending (finance-domain.md §1). Every [K] threshold lives in a dated row."""

from .choices import (
    AMOUNT,
    FIRST_YEAR,
    LAST_YEAR,
    REQUIRED_DOCUMENTS,
    SOURCE_NAME_MAX,
    ZERO,
    ApplicationOutcome,
    ConstructionKind,
    ConstructionStatus,
    DebtKind,
    DocumentKind,
    ListKind,
    ProjectCategory,
    ProjectState,
    ProjectTheme,
)
from .funding import BondApplication, Disbursement, Spending
from .parameters import BondBatch, BondRule, InvestmentArea, SpendingTarget
from .projects import (
    LIBRARY_FIELDS,
    BondProject,
    CashFlowRow,
    ProjectDebt,
    ProjectDocument,
    ProjectEvent,
    document_path,
)

__all__ = [
    "AMOUNT",
    "FIRST_YEAR",
    "SOURCE_NAME_MAX",
    "LAST_YEAR",
    "LIBRARY_FIELDS",
    "REQUIRED_DOCUMENTS",
    "ZERO",
    "ApplicationOutcome",
    "BondApplication",
    "BondBatch",
    "BondProject",
    "BondRule",
    "CashFlowRow",
    "ConstructionKind",
    "ConstructionStatus",
    "DebtKind",
    "Disbursement",
    "DocumentKind",
    "InvestmentArea",
    "ListKind",
    "ProjectCategory",
    "ProjectDebt",
    "ProjectDocument",
    "ProjectEvent",
    "ProjectState",
    "ProjectTheme",
    "Spending",
    "SpendingTarget",
    "document_path",
]
