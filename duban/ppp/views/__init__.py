"""Pages of the PPP programme, one module per group of pages; `urls.py` names them from here.

- `projects`: the register and the project page, the managers' forms for a project's parts, progress;
- `reviews`: review campaigns and contract reviews;
- `tasks`: rectification tasks;
- `programme`: affordability, the dated parameters and the timetable.

Views parse input and call a selector or a service; who may do what is asked of `rules.py`, and a
refusal is shown by `core.middleware.RefusalMiddleware` (buttons) or `service_errors_into` (forms).
"""

from .programme import affordability, parameters, timetable
from .projects import (
    contract_add,
    expenditure_add,
    obligation_add,
    obligation_state,
    payment_rule_edit,
    payment_year_add,
    project_create,
    project_detail,
    project_edit,
    project_export,
    project_import,
    project_list,
    project_override,
    project_withdraw,
    reclassify,
    shareholder_add,
    step_edit,
)
from .reviews import (
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_list,
    campaign_start,
    finding_add,
    review_close,
    review_detail,
    review_rate,
    task_create,
)
from .tasks import task_accept, task_cancel, task_detail, task_link, task_list, task_reschedule, task_return

__all__ = [
    "affordability",
    "campaign_close",
    "campaign_create",
    "campaign_detail",
    "campaign_list",
    "campaign_start",
    "contract_add",
    "expenditure_add",
    "finding_add",
    "obligation_add",
    "obligation_state",
    "parameters",
    "payment_rule_edit",
    "payment_year_add",
    "project_create",
    "project_detail",
    "project_edit",
    "project_export",
    "project_import",
    "project_list",
    "project_override",
    "project_withdraw",
    "reclassify",
    "review_close",
    "review_detail",
    "review_rate",
    "shareholder_add",
    "step_edit",
    "task_accept",
    "task_cancel",
    "task_create",
    "task_detail",
    "task_link",
    "task_list",
    "task_reschedule",
    "task_return",
    "timetable",
]
