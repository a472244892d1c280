"""Changing minutes drafts, one module per sub-domain; import from here (`from duban.minutes import
services`), the sub-modules are an arrangement, not an interface.

- `reading`: what the office pastes or uploads, and the engine run against the directories;
- `drafts`: a draft made from the engine's result, its meeting's details, the lock every change takes;
- `rows`: the rows as the office edits them: change, replace, drop, merge, split;
- `confirmation`: the meeting and its directives, created all or nothing.

Every change names the version of the draft it was made from (`expected_version`, None for the draft
as it is now) and is refused with `EditConflict` when someone else changed the draft since.
"""

from .confirmation import ConfirmRejected, confirm_problems, draft_confirm
from .drafts import (
    MEETING_KINDS,
    default_title,
    draft_create,
    draft_delete,
    draft_extract,
    draft_extract_job,
    draft_update,
    unwrap,
)
from .reading import (
    MINUTES_FILES,
    Source,
    check_length,
    extract,
    read_source,
    read_upload,
    reading_error_message,
)
from .rows import (
    EDITABLE,
    draft_patch,
    draft_row_drop,
    draft_row_split,
    draft_row_update,
    draft_rows_merge,
    draft_rows_replace,
    split_positions,
)

__all__ = [
    "EDITABLE",
    "MEETING_KINDS",
    "MINUTES_FILES",
    "ConfirmRejected",
    "Source",
    "check_length",
    "confirm_problems",
    "default_title",
    "draft_confirm",
    "draft_create",
    "draft_delete",
    "draft_extract",
    "draft_extract_job",
    "draft_patch",
    "draft_row_drop",
    "draft_row_split",
    "draft_row_update",
    "draft_rows_merge",
    "draft_rows_replace",
    "draft_update",
    "extract",
    "read_source",
    "read_upload",
    "reading_error_message",
    "split_positions",
    "unwrap",
]
