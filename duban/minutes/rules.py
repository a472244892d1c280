"""Who may import minutes: the supervision office (and administrators), for every page, every API
endpoint and every service of the app; a draft is edited only while it is not yet confirmed.

The pages and the API's permission class ask `may_import_minutes`; the services refuse with it; the
draft page shows its editing buttons with `may_edit_draft`.
"""

from __future__ import annotations

from duban.accounts.scope import is_office
from duban.core.rules import rule


@rule
def may_import_minutes(user, _draft=None) -> bool:
    """Paste or upload minutes, read the drafts, edit and confirm them."""
    return is_office(user)


@rule
def may_edit_draft(user, draft) -> bool:
    """Change a draft's meeting details and rows (until it is confirmed)."""
    return is_office(user) and draft.is_open


@rule
def may_delete_draft(user, draft) -> bool:
    """Delete an import that was not confirmed: a draft, one being extracted, or one that failed."""
    return is_office(user) and draft.state != "confirmed"
