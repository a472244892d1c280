"""Changing the weekly cycle, one module per sub-domain; import from here (`from duban.weekly import
services`), the sub-modules are an arrangement, not an interface.

- `cycles`: opening a week's cycle, gathering the reports, reminding, closing; the hourly job;
- `reports`: filling a report's items, submitting it (through the unit's head where the unit asks for
  it), the office reopening it;
- `meetings`: the weekly meeting, its agenda and its decisions (carried out through directives);
- `snapshots`: the lights when a cycle closes (the cockpit's trend, the bulletin's figures);
- `bulletins`: compiling the bulletin (Word and Excel) now or in the background.
"""

from .bulletins import (
    BACKGROUND_ABOVE,
    COMPILE_FUNC,
    bulletin_compile,
    bulletin_compile_job,
    bulletin_request,
)
from .cycles import (
    SCHEDULE_FUNC,
    SCHEDULE_NAME,
    cycle_close,
    cycle_open,
    cycle_remind,
    cycle_sync,
    ensure_schedule,
    run_cycle,
    run_cycle_job,
    times_for,
)
from .meetings import agenda_add, agenda_build, agenda_decide, weekly_meeting_create
from .reports import (
    item_save,
    report_approve,
    report_refresh,
    report_reopen,
    report_send_back,
    report_submit,
    report_submit_for_approval,
)
from .snapshots import cycle_snapshot, snapshot_backfill

__all__ = [
    "BACKGROUND_ABOVE",
    "COMPILE_FUNC",
    "SCHEDULE_FUNC",
    "SCHEDULE_NAME",
    "agenda_add",
    "agenda_build",
    "agenda_decide",
    "bulletin_compile",
    "bulletin_compile_job",
    "bulletin_request",
    "cycle_close",
    "cycle_open",
    "cycle_remind",
    "cycle_snapshot",
    "cycle_sync",
    "ensure_schedule",
    "item_save",
    "report_refresh",
    "report_approve",
    "report_reopen",
    "report_send_back",
    "report_submit",
    "report_submit_for_approval",
    "run_cycle",
    "run_cycle_job",
    "snapshot_backfill",
    "times_for",
    "weekly_meeting_create",
]
