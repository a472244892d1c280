"""Changing directives, one module per sub-domain; import from here (`from duban.directives import
services`), the sub-modules are an arrangement, not an interface.

- `directives`: creation (by the office, or by another capability naming the source), edits, sub-tasks,
  drafts assigned in bulk, meetings;
- `transitions`: one service per step of the life cycle (`workflow.WORKFLOW`);
- `progress`: milestones, progress reports and their evidence;
- `comments`: leaders' instructions and the units' replies;
- `supervision`: reminders and supervision notices;
- `escalation`: the escalation ladder: the morning proposals, issuing, the leader's approval;
- `lights`: recomputing the lights, and the scheduled job;
- `ledger`: the ledger (台账) in Excel, out and in.
"""

from ..selectors import next_notice_sequence
from .comments import comment_add, comment_reply
from .directives import (
    directive_create,
    directive_create_from,
    directive_split,
    directive_update,
    directives_assign_bulk,
    meeting_create,
)
from .escalation import (
    escalation_approve,
    escalation_refuse,
    escalations_issue,
    propose_escalations,
    propose_escalations_job,
)
from .ledger import (
    EXPORT_HEADERS,
    LEDGER_COLUMNS,
    DirectiveImport,
    directives_import_excel,
    directives_to_excel,
    ledger_template,
)
from .lights import ANALYZE_AFTER_CHANGES, light_cutoffs, recompute_lights, recompute_lights_job
from .progress import milestone_add, milestone_update, progress_report_add
from .supervision import notice_issue, notice_reply, numbered_notice, reminder_reply, reminder_send
from .transitions import (
    TRANSITION_SERVICES,
    allowed_transitions,
    directive_approve,
    directive_approve_extension,
    directive_assign,
    directive_cancel,
    directive_close,
    directive_close_by_decision,
    directive_finish,
    directive_refuse_extension,
    directive_reopen,
    directive_request_completion,
    directive_request_extension,
    directive_resume,
    directive_return,
    directive_send_back,
    directive_start,
    directive_submit_for_approval,
    directive_suspend,
    directive_transition,
)

__all__ = [
    "ANALYZE_AFTER_CHANGES",
    "EXPORT_HEADERS",
    "LEDGER_COLUMNS",
    "TRANSITION_SERVICES",
    "DirectiveImport",
    "allowed_transitions",
    "comment_add",
    "comment_reply",
    "directive_approve",
    "directive_approve_extension",
    "directive_assign",
    "directive_cancel",
    "directive_close",
    "directive_close_by_decision",
    "directive_reopen",
    "directive_create",
    "directive_create_from",
    "directive_finish",
    "directive_refuse_extension",
    "directive_request_completion",
    "directive_request_extension",
    "directive_resume",
    "directive_return",
    "directive_send_back",
    "directive_split",
    "directive_start",
    "directive_submit_for_approval",
    "directive_suspend",
    "directive_transition",
    "directive_update",
    "directives_assign_bulk",
    "escalation_approve",
    "escalation_refuse",
    "escalations_issue",
    "directives_import_excel",
    "directives_to_excel",
    "ledger_template",
    "light_cutoffs",
    "meeting_create",
    "milestone_add",
    "milestone_update",
    "next_notice_sequence",
    "notice_issue",
    "notice_reply",
    "numbered_notice",
    "progress_report_add",
    "propose_escalations",
    "propose_escalations_job",
    "recompute_lights",
    "recompute_lights_job",
    "reminder_reply",
    "reminder_send",
]
