"""Confirming a draft: one meeting and one directive per row, all or nothing, every bad row named."""

from datetime import date

import pytest

from duban.core.concurrency import EditConflict
from duban.core.errors import NotPermitted
from duban.directives.models import Directive, Meeting, MeetingKind, State

from .. import services
from ..models import DraftState

pytestmark = pytest.mark.django_db


def _give_the_group_a_lead_unit(city, draft):
    services.draft_row_update(
        draft=draft, by=city.office, key=draft.rows[2]["key"], values={"lead_unit": city.county}
    )


def test_confirm_creates_one_meeting_and_one_directive_per_row(city, draft):
    _give_the_group_a_lead_unit(city, draft)
    meeting = services.draft_confirm(draft=draft, by=city.office)
    assert Meeting.objects.count() == 1
    assert meeting.kind == MeetingKind.EXECUTIVE and meeting.held_on == date(2026, 3, 2)
    directives = list(Directive.objects.order_by("pk"))
    assert len(directives) == 3
    assert [d.lead_unit for d in directives] == [city.finance, city.housing, city.county]
    assert list(directives[0].co_units.all()) == [city.housing]
    assert all(d.meeting == meeting and d.state == State.DRAFT for d in directives)
    assert directives[0].deadline == date(2026, 3, 15)
    assert directives[0].responsible_leader == city.leader
    assert "原文第" in directives[0].source_note
    draft.refresh_from_db()
    assert draft.state == DraftState.CONFIRMED and draft.meeting == meeting


def test_confirm_can_assign_at_once(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    services.draft_confirm(draft=draft, by=city.office, assign=True)
    assert set(Directive.objects.values_list("state", flat=True)) == {State.ASSIGNED}


def test_a_row_without_a_lead_unit_blocks_confirmation_and_creates_nothing(city, draft):
    with pytest.raises(services.ConfirmRejected) as rejected:
        services.draft_confirm(draft=draft, by=city.office)
    assert rejected.value.by_row() == {3: ["请选择牵头单位。"]}
    assert rejected.value.extra == {"rows": [{"row": 3, "message": "请选择牵头单位。"}]}
    assert Meeting.objects.count() == 0
    assert Directive.objects.count() == 0
    draft.refresh_from_db()
    assert draft.state == DraftState.DRAFT


def test_every_bad_row_is_reported(city, draft):
    services.draft_row_update(
        draft=draft, by=city.office, key=draft.rows[0]["key"], values={"title": "", "deadline": None}
    )
    with pytest.raises(services.ConfirmRejected) as rejected:
        services.draft_confirm(draft=draft, by=city.office)
    by_row = rejected.value.by_row()
    assert set(by_row) == {1, 3}
    assert "事项名称不能为空。" in by_row[1]
    assert Directive.objects.count() == 0


def test_the_default_deadline_fills_rows_without_one(city, draft):
    services.draft_row_update(
        draft=draft, by=city.office, key=draft.rows[0]["key"], values={"deadline": None}
    )
    _give_the_group_a_lead_unit(city, draft)
    services.draft_update(draft=draft, by=city.office, default_deadline=date(2026, 9, 30))
    services.draft_confirm(draft=draft, by=city.office)
    assert Directive.objects.order_by("pk").first().deadline == date(2026, 9, 30)


def test_a_deadline_that_is_not_a_date_is_named(city, draft):
    services.draft_rows_replace(
        draft=draft, by=city.office, rows=[{**draft.rows[0], "deadline": "下周"}, {**draft.rows[1]}]
    )
    with pytest.raises(services.ConfirmRejected) as rejected:
        services.draft_confirm(draft=draft, by=city.office)
    assert rejected.value.by_row() == {1: ["办理时限“下周”不是有效日期。"]}


def test_a_confirmed_draft_cannot_be_confirmed_again(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    services.draft_confirm(draft=draft, by=city.office)
    with pytest.raises(services.ConfirmRejected):
        services.draft_confirm(draft=draft, by=city.office)
    assert Meeting.objects.count() == 1


def test_a_draft_changed_since_the_page_was_shown_is_not_confirmed(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"], expected_version=1)
    with pytest.raises(EditConflict):
        services.draft_confirm(draft=draft, by=city.office, expected_version=1)
    assert not Meeting.objects.exists()
    services.draft_confirm(draft=draft, by=city.office, expected_version=2)
    draft.refresh_from_db()
    assert (draft.state, draft.version) == (DraftState.CONFIRMED, 3)


def test_others_cannot_confirm(city, draft):
    with pytest.raises(NotPermitted):
        services.draft_confirm(draft=draft, by=city.liaison)


def test_an_inactive_lead_unit_blocks_confirmation(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    city.housing.is_active = False
    city.housing.save()
    with pytest.raises(services.ConfirmRejected) as rejected:
        services.draft_confirm(draft=draft, by=city.office)
    assert set(rejected.value.by_row()) == {1, 2}
    assert not Meeting.objects.exists()
