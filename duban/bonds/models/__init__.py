"""The special-bond programme: the project library, cash flows and debts, batches, applications and the
money's way from quota to spending (finance-domain.md §1). Every [K] threshold lives in a dated row."""

from .choices import *  # noqa: F403
from .choices import __all__ as _choices
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
    *_choices,
    "LIBRARY_FIELDS",
    "BondApplication",
    "BondBatch",
    "BondProject",
    "BondRule",
    "CashFlowRow",
    "Disbursement",
    "InvestmentArea",
    "ProjectDebt",
    "ProjectDocument",
    "ProjectEvent",
    "Spending",
    "SpendingTarget",
    "document_path",
]
