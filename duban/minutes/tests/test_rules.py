"""Who may import minutes: the office (and administrators), and a draft only until it is confirmed."""

import pytest

from .. import services
from ..rules import may_edit_draft, may_import_minutes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "may"),
    [("office", True), ("admin", True), ("leader_user", False), ("liaison", False), ("finance_user", False)],
)
def test_only_the_office_imports_minutes(city, who, may):
    assert may_import_minutes.test(getattr(city, who)) is may


def test_a_draft_is_edited_until_it_is_confirmed(city, draft):
    assert may_edit_draft.test(city.office, draft)
    assert not may_edit_draft.test(city.liaison, draft)
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    services.draft_confirm(draft=draft, by=city.office)
    draft.refresh_from_db()
    assert not may_edit_draft.test(city.office, draft)
