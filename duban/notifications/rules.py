"""Who may do what with notifications: one's own inbox and choices are one's own (the selectors filter
on the user); the channels (switches, units' robots) and the deliveries are the office's."""

from duban.accounts.rules import is_office_user
from duban.core.rules import rule


@rule
def may_manage_channels(user, _obj=None) -> bool:
    return bool(user and user.is_authenticated and is_office_user(user))
