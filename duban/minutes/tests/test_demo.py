from importlib import import_module

import pytest

from duban.directives.models import Meeting

from ..models import DraftState, MinutesDraft


@pytest.mark.django_db
def test_the_demo_saves_one_unconfirmed_draft_once():
    for app in ("organisation", "accounts", "minutes", "minutes"):
        import_module(f"duban.{app}.demo").load_demo()
    draft = MinutesDraft.objects.get()
    assert draft.state == DraftState.DRAFT
    assert draft.meeting_kind == "mayor_council"
    assert len(draft.rows) >= 5
    assert any(row["lead_unit"] for row in draft.rows)
    assert "云泽" in draft.normalized_text and "議" not in draft.normalized_text
    assert not Meeting.objects.exists()
