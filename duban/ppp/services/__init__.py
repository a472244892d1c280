"""Changing the PPP programme, one module per sub-domain; import from here (`from duban.ppp import
services`), the sub-modules are an arrangement, not an interface.

- `projects`: registering and editing projects, shareholders, progress on the steps, leaving the
  library, the government's equity, risk and supporting expenditure;
- `parameters`: the dated lines, classification rules and budget figures;
- `contracts`: contracts, the payment rule and payments by year, obligations and their life cycle;
- `classification`: the rules applied to a project, the daily reclassification, the office's override;
- `reviews`: review campaigns and contract reviews (checklist, findings, rating, closing);
- `rectification`: rectification tasks and the directives that carry them.

Who may do what is asked of `rules.py`; the life cycles are the tables of `workflow.py`. Every change
writes its event on the project's timeline in the same transaction.
"""

from ..models import PROJECT_INPUT_FIELDS
from .classification import (
    RECLASSIFY_FUNC,
    RECLASSIFY_SCHEDULE,
    describe_reason,
    ensure_reclassify_schedule,
    programme_reclassify,
    programme_reclassify_job,
    project_override_class,
    project_reclassify,
)
from .contracts import (
    amount_due,
    contract_add,
    obligation_breach,
    obligation_create,
    obligation_fulfil,
    obligation_reopen,
    obligation_transition,
    obligation_waive,
    payment_rule_set,
    payment_year_record,
)
from .parameters import budget_year_save, classification_rules_save, threshold_set_save
from .projects import (
    EXPENDITURE_METHODS,
    expenditure_by_method,
    expenditure_set,
    project_create,
    project_update,
    project_withdraw,
    shareholder_add,
    step_update,
)
from .rectification import (
    PPP_THEME_CODE,
    ppp_theme,
    task_accept,
    task_cancel,
    task_create,
    task_link,
    task_reschedule,
    task_return,
    task_submit,
    task_url,
    tasks_link,
)
from .reviews import (
    campaign_close,
    campaign_create,
    campaign_start,
    finding_add,
    require_under_review,
    review_check,
    review_close,
    review_rate,
)

# The fields of a project a user enters (the form, the API and the Excel register list them once).
PROJECT_FIELDS = PROJECT_INPUT_FIELDS

__all__ = [
    "EXPENDITURE_METHODS",
    "PPP_THEME_CODE",
    "PROJECT_FIELDS",
    "RECLASSIFY_FUNC",
    "RECLASSIFY_SCHEDULE",
    "amount_due",
    "budget_year_save",
    "campaign_close",
    "campaign_create",
    "campaign_start",
    "classification_rules_save",
    "contract_add",
    "describe_reason",
    "ensure_reclassify_schedule",
    "expenditure_by_method",
    "expenditure_set",
    "finding_add",
    "obligation_breach",
    "obligation_create",
    "obligation_fulfil",
    "obligation_reopen",
    "obligation_transition",
    "obligation_waive",
    "payment_rule_set",
    "payment_year_record",
    "ppp_theme",
    "programme_reclassify",
    "programme_reclassify_job",
    "project_create",
    "project_override_class",
    "project_reclassify",
    "project_update",
    "project_withdraw",
    "require_under_review",
    "review_check",
    "review_close",
    "review_rate",
    "shareholder_add",
    "step_update",
    "task_accept",
    "task_cancel",
    "task_create",
    "task_link",
    "task_reschedule",
    "task_return",
    "task_submit",
    "task_url",
    "tasks_link",
    "threshold_set_save",
]
