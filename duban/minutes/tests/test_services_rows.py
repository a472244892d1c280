"""The rows of a draft: edit, merge, split, drop, each from the version the page showed."""

import pytest

from duban.audit.models import AuditEntry
from duban.core.concurrency import EditConflict
from duban.core.errors import Invalid, NotPermitted

from .. import services

pytestmark = pytest.mark.django_db


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
    with pytest.raises(Invalid):
        services.draft_rows_merge(draft=draft, by=city.office, key=draft.rows[-1]["key"])


def test_splitting_cuts_the_text_and_the_source_span(city, draft):
    row = draft.rows[0]
    position = row["text"].index("，") + 1
    split = services.draft_row_split(draft=draft, by=city.office, key=row["key"], position=position)
    assert len(split.rows) == 4
    first, second = split.rows[0], split.rows[1]
    assert first["text"] == "一是由市财政局牵头"
    assert second["text"] == row["text"][position:]
    assert second["key"] not in {r["key"] for r in draft.rows}
    assert split.source_text[first["start"] : first["end"]].startswith("一是由市财政局牵头")
    assert split.source_text[second["start"] : second["end"]] == second["text"]
    assert second["lead_unit"] == city.finance.pk


@pytest.mark.parametrize("position", [0, -3, 10_000])
def test_splitting_outside_the_text_is_refused(city, draft, position):
    with pytest.raises(Invalid):
        services.draft_row_split(draft=draft, by=city.office, key=draft.rows[0]["key"], position=position)


def test_dropping_removes_the_row(city, draft):
    dropped = services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[1]["key"])
    assert [r["key"] for r in dropped.rows] == [draft.rows[0]["key"], draft.rows[2]["key"]]


def test_a_row_that_is_gone_cannot_be_changed(city, draft):
    with pytest.raises(Invalid):
        services.draft_row_drop(draft=draft, by=city.office, key=999)


def test_splitting_an_edited_row_finds_the_cut_in_the_source(city, draft):
    row = draft.rows[1]
    edited = "市住建局要抓紧老旧小区改造，6月底前全面开工"
    services.draft_row_update(draft=draft, by=city.office, key=row["key"], values={"text": edited})
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
    split = services.draft_row_split(draft=draft, by=city.office, key=row["key"], position=5)
    assert [r["text"] for r in split.rows[1:3]] == ["甲乙丙丁", "戊己庚辛"]
    assert split.rows[1]["start"] == split.rows[2]["start"] == row["start"]


def test_the_lead_unit_is_never_also_a_co_operating_unit(city, draft):
    values = {"lead_unit": city.housing, "co_units": [city.housing, city.county]}
    edited = services.draft_row_update(draft=draft, by=city.office, key=draft.rows[0]["key"], values=values)
    assert (edited.rows[0]["lead_unit"], edited.rows[0]["co_units"]) == (city.housing.pk, [city.county.pk])


def test_every_change_of_the_rows_takes_the_version_up(city, draft):
    key = draft.rows[0]["key"]
    draft = services.draft_row_update(
        draft=draft, by=city.office, key=key, values={"title": "甲"}, expected_version=1
    )
    draft = services.draft_rows_merge(draft=draft, by=city.office, key=key, expected_version=2)
    draft = services.draft_row_split(draft=draft, by=city.office, key=key, position=8, expected_version=3)
    draft = services.draft_row_drop(draft=draft, by=city.office, key=key, expected_version=4)
    assert draft.version == 5


@pytest.mark.parametrize(
    "change",
    [
        lambda draft, **kw: services.draft_row_update(draft=draft, values={"title": "乙"}, **kw),
        lambda draft, **kw: services.draft_rows_merge(draft=draft, **kw),
        lambda draft, **kw: services.draft_row_split(draft=draft, position=8, **kw),
        lambda draft, **kw: services.draft_row_drop(draft=draft, **kw),
    ],
    ids=["edit", "merge", "split", "drop"],
)
def test_a_change_made_from_an_older_version_of_the_draft_is_refused(city, draft, change):
    """Two people on the same draft: the second's change, made from the page before the first's, would
    undo it; it is refused and the first's change stays."""
    key = draft.rows[0]["key"]
    services.draft_row_update(
        draft=draft, by=city.office, key=key, values={"title": "甲"}, expected_version=1
    )
    with pytest.raises(EditConflict) as conflict:
        change(draft, by=city.admin, key=key, expected_version=1)
    assert "现有 3 项" in conflict.value.message
    draft.refresh_from_db()
    assert (draft.version, draft.rows[0]["title"], len(draft.rows)) == (2, "甲", 3)


def test_a_confirmed_draft_cannot_be_edited(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    services.draft_confirm(draft=draft, by=city.office)
    with pytest.raises(Invalid):
        services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[0]["key"])


def test_only_the_office_edits_rows(city, draft):
    with pytest.raises(NotPermitted):
        services.draft_row_drop(draft=draft, by=city.liaison, key=draft.rows[0]["key"])


def test_every_edit_of_the_draft_is_audited(city, draft):
    entries = AuditEntry.objects.filter(object_pk=str(draft.pk), content_type__model="minutesdraft")
    before = entries.count()
    services.draft_row_update(
        draft=draft, by=city.office, key=draft.rows[0]["key"], values={"title": "新标题"}
    )
    assert entries.count() == before + 1
    assert "新标题" in str(entries.order_by("-pk").first().changes)
