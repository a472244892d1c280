"""Drafts from minutes: pre-filled rows, merge, split, drop, and the all-or-nothing confirmation."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.directives.models import Directive, Meeting, MeetingKind, State

from .. import services
from ..models import DraftState
from .conftest import MEETING_TEXT
from .helpers import text

pytestmark = pytest.mark.django_db


def test_rows_are_prefilled_from_the_unit_directory(city, draft):
    first, second, third = draft.rows
    assert first["lead_unit"] == city.finance.pk
    assert first["co_units"] == [city.housing.pk]
    assert first["theme"] == "bond"
    assert first["deadline"] == "2026-03-15"
    assert second["lead_unit"] == city.housing.pk
    assert third["lead_unit"] is None
    assert third["notes"] == ["各县区"]


def test_the_leader_whose_portfolio_holds_the_lead_unit_is_prefilled(city, draft):
    assert draft.rows[0]["leader"] == city.leader.pk


def test_of_several_leaders_over_the_lead_unit_the_one_in_charge_of_the_theme_is_prefilled(city, themes):
    from duban.tests.factories import LeaderFactory

    other = LeaderFactory(name="周明远")
    other.units.set([city.finance])
    city.leader.themes.set([themes["bond"]])
    draft = services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))
    assert draft.rows[0]["leader"] == city.leader.pk


def test_the_meeting_is_read_from_the_text(city, draft):
    assert draft.meeting_kind == MeetingKind.EXECUTIVE
    assert draft.meeting_date == date(2026, 3, 2)
    assert draft.chair == city.leader
    assert draft.state == DraftState.DRAFT


def test_row_spans_point_at_the_source_and_the_normalised_text(draft):
    for row in draft.rows:
        assert draft.source_text[row["start"] : row["end"]] == row["original"]
        assert services.unwrap(draft.normalized_text[row["nstart"] : row["nend"]]) == row["text"]


def test_normalised_spans_of_the_seed_match_each_directive(city, themes):
    seed = services.draft_create(by=city.office, text=text("seed.txt"), meeting_date=date(2018, 12, 25))
    assert len(seed.rows) >= 10
    for row in seed.rows:
        assert services.unwrap(seed.normalized_text[row["nstart"] : row["nend"]]) == row["text"]
        assert seed.source_text[row["start"] : row["end"]] == row["original"]


def test_only_the_office_creates_drafts(city, themes):
    with pytest.raises(PermissionDenied):
        services.draft_create(by=city.liaison, text=MEETING_TEXT)


def test_merging_joins_a_row_with_the_next_and_spans_both(city, draft):
    first, second, _third = draft.rows
    merged = services.draft_rows_merge(draft=draft, by=city.office, key=first["key"])
    assert len(merged.rows) == 2
    row = merged.rows[0]
    assert row["text"].startswith(first["text"]) and row["text"].endswith(second["text"])
    assert (row["start"], row["end"]) == (first["start"], second["end"])
    assert row["original"] == merged.source_text[first["start"] : second["end"]]
    assert row["lead_unit"] == city.finance.pk
    assert row["co_units"] == [city.housing.pk]
    assert row["deadline"] == "2026-03-15"


def test_the_last_row_cannot_be_merged(city, draft):
    with pytest.raises(ValidationError):
        services.draft_rows_merge(draft=draft, by=city.office, key=draft.rows[-1]["key"])


def test_splitting_cuts_the_text_and_the_source_span(city, draft):
    row = draft.rows[0]
    position = row["text"].index("，") + 1
    split = services.draft_row_split(draft=draft, by=city.office, key=row["key"], position=position)
    assert len(split.rows) == 4
    first, second = split.rows[0], split.rows[1]
    assert first["text"] == "由市财政局牵头"
    assert second["text"] == row["text"][position:]
    assert second["key"] not in {r["key"] for r in draft.rows}
    assert split.source_text[first["start"] : first["end"]].startswith("由市财政局牵头")
    assert split.source_text[second["start"] : second["end"]] == second["text"]
    assert second["lead_unit"] == city.finance.pk


def test_splitting_at_an_edge_is_refused(city, draft):
    with pytest.raises(ValidationError):
        services.draft_row_split(draft=draft, by=city.office, key=draft.rows[0]["key"], position=0)


def test_dropping_removes_the_row(city, draft):
    dropped = services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[1]["key"])
    assert [r["key"] for r in dropped.rows] == [draft.rows[0]["key"], draft.rows[2]["key"]]


def test_confirm_creates_one_meeting_and_one_directive_per_row(city, draft):
    services.draft_row_update(
        draft=draft, by=city.office, key=draft.rows[2]["key"], values={"lead_unit": city.county}
    )
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
    assert Meeting.objects.count() == 0
    assert Directive.objects.count() == 0
    draft.refresh_from_db()
    assert draft.state == DraftState.DRAFT


def test_every_bad_row_is_reported(city, draft):
    rows = draft.rows
    services.draft_row_update(
        draft=draft, by=city.office, key=rows[0]["key"], values={"title": "", "deadline": None}
    )
    with pytest.raises(services.ConfirmRejected) as rejected:
        services.draft_confirm(draft=draft, by=city.office)
    by_row = rejected.value.by_row()
    assert set(by_row) == {1, 3}
    assert "事项名称不能为空。" in by_row[1]
    assert Directive.objects.count() == 0


def test_the_default_deadline_fills_rows_without_one(city, draft):
    rows = draft.rows
    services.draft_row_update(draft=draft, by=city.office, key=rows[0]["key"], values={"deadline": None})
    services.draft_row_update(
        draft=draft, by=city.office, key=rows[2]["key"], values={"lead_unit": city.county}
    )
    services.draft_update(draft=draft, by=city.office, default_deadline=date(2026, 9, 30))
    services.draft_confirm(draft=draft, by=city.office)
    assert Directive.objects.order_by("pk").first().deadline == date(2026, 9, 30)


def test_a_confirmed_draft_cannot_be_confirmed_or_edited_again(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    services.draft_confirm(draft=draft, by=city.office)
    with pytest.raises(services.ConfirmRejected):
        services.draft_confirm(draft=draft, by=city.office)
    with pytest.raises(ValidationError):
        services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[0]["key"])
    assert Meeting.objects.count() == 1


def test_others_cannot_confirm(city, draft):
    with pytest.raises(PermissionDenied):
        services.draft_confirm(draft=draft, by=city.liaison)


def test_splitting_an_edited_row_finds_the_cut_in_the_source(city, draft):
    row = draft.rows[1]
    edited = "市住建局要抓紧老旧小区改造，6月底前全面开工"
    services.draft_row_update(draft=draft, by=city.office, key=row["key"], values={"text": edited})
    draft.refresh_from_db()
    split = services.draft_row_split(draft=draft, by=city.office, key=row["key"], position=edited.index("6"))
    first, second = split.rows[1], split.rows[2]
    assert second["text"] == "6月底前全面开工"
    assert split.source_text[second["start"] : second["end"]] == "6月底前全面开工"
    assert first["end"] <= second["start"]


def test_splitting_a_rewritten_row_keeps_the_span_on_both_parts(city, draft):
    row = draft.rows[1]
    services.draft_row_update(
        draft=draft, by=city.office, key=row["key"], values={"text": "甲乙丙丁，戊己庚辛"}
    )
    draft.refresh_from_db()
    split = services.draft_row_split(draft=draft, by=city.office, key=row["key"], position=5)
    assert [r["text"] for r in split.rows[1:3]] == ["甲乙丙丁", "戊己庚辛"]
    assert split.rows[1]["start"] == split.rows[2]["start"] == row["start"]


def test_highlight_clips_overlapping_spans_and_keeps_every_character():
    from ..selectors import highlight

    segments = highlight("abcdefghij", [(2, 6, 1, 1), (4, 8, 2, 2), (None, None, 3, 3)])
    assert "".join(s["text"] for s in segments) == "abcdefghij"
    assert [(s["text"], s["key"]) for s in segments] == [("ab", None), ("cdef", 1), ("gh", 2), ("ij", None)]


def test_an_inactive_lead_unit_blocks_confirmation(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    city.housing.is_active = False
    city.housing.save()
    with pytest.raises(services.ConfirmRejected) as rejected:
        services.draft_confirm(draft=draft, by=city.office)
    assert set(rejected.value.by_row()) == {1, 2}
    assert not Meeting.objects.exists()
