"""Changing the bond programme, split by sub-domain: the library, cash flows, debts, attachments, batches
and the steps of a project's life (one service per step of the transition table)."""

from .batches import batch_create
from .cash_flows import CashFlowImport, cash_flow_delete, cash_flow_save, cash_flows_replace, parse_amount
from .debts import clean_instalments, debt_check, debt_delete, debt_save
from .documents import document_add, document_delete
from .library import project_create, project_update, split_sources
from .transitions import (
    project_allocate_quota,
    project_finance_approve,
    project_ministry_approve,
    project_province_approve,
    project_province_final_approve,
    project_record_disbursement,
    project_record_issuance,
    project_record_onlending,
    project_record_spending,
    project_return,
    project_start_draft,
    project_submit,
    project_transition,
    project_unit_approve,
)

__all__ = [
    "CashFlowImport",
    "batch_create",
    "cash_flow_delete",
    "cash_flow_save",
    "cash_flows_replace",
    "clean_instalments",
    "debt_check",
    "debt_delete",
    "debt_save",
    "document_add",
    "document_delete",
    "parse_amount",
    "project_allocate_quota",
    "project_create",
    "project_finance_approve",
    "project_ministry_approve",
    "project_province_approve",
    "project_province_final_approve",
    "project_record_disbursement",
    "project_record_issuance",
    "project_record_onlending",
    "project_record_spending",
    "project_return",
    "project_start_draft",
    "project_submit",
    "project_transition",
    "project_unit_approve",
    "project_update",
    "split_sources",
]
