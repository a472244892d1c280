"""Drafts from minutes: rows filled from the directories, the meeting read from the text, its details
edited from a version."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.core.concurrency import EditConflict
from duban.core.errors import Invalid, NotPermitted
from duban.directives.models import MeetingKind
from duban.tests.factories import LeaderFactory

from .. import selectors, services
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


def test_the_unit_asked_to_lead_leads_though_another_is_named_first(city, themes):
    text = (
        "3月2日，市长孙立华主持召开市政府常务会议。会议要求，一是市住建局要配合，请市财政局负责专项债券"
        "项目储备，3月15日前报送项目清单；二是要加快老旧小区改造，市住建局牵头，6月底前全面开工。"
    )
    draft = services.draft_create(by=city.office, text=text, meeting_date=date(2026, 3, 2))
    first, second = draft.rows
    assert (first["lead_unit"], first["co_units"]) == (city.finance.pk, [city.housing.pk])
    assert second["lead_unit"] == city.housing.pk


def test_rows_carry_their_confidence_speaker_and_meeting(city, draft):
    assert [(row["confidence"], row["speaker"], row["meeting"]) for row in draft.rows] == [
        (0.95, "会议", "市政府常务会议")
    ] * 3


@pytest.mark.parametrize(
    ("engine_theme", "platform", "expected"),
    [
        pytest.param("bond", {"general", "bond"}, "bond", id="the same theme"),
        pytest.param("economy", {"general", "industry"}, "industry", id="a theme the platform lacks, mapped"),
        pytest.param("safety", {"general", "livelihood"}, "livelihood", id="the next of the mapping"),
        pytest.param("weekly", {"general"}, "general", id="nothing mapped: general"),
        pytest.param("unknown", {"bond"}, "", id="no general either"),
    ],
)
def test_the_engines_themes_map_to_the_platforms_by_the_keyword_file(engine_theme, platform, expected):
    assert (
        selectors.Prefill(units=[], theme_codes=platform, leaders_by_name={}).theme(engine_theme) == expected
    )


def test_the_leader_whose_portfolio_holds_the_lead_unit_is_prefilled(city, draft):
    assert draft.rows[0]["leader"] == city.leader.pk


def test_of_several_leaders_over_the_lead_unit_the_one_in_charge_of_the_theme_is_prefilled(city, themes):
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
    assert draft.version == 1


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
    with pytest.raises(NotPermitted):
        services.draft_create(by=city.liaison, text=MEETING_TEXT)


def test_the_meeting_details_are_saved_and_the_version_goes_up(city, draft):
    updated = services.draft_update(
        draft=draft, by=city.office, expected_version=1, title="专题会", default_deadline=date(2026, 9, 30)
    )
    assert (updated.title, updated.default_deadline, updated.version) == ("专题会", date(2026, 9, 30), 2)


def test_meeting_details_edited_from_an_older_version_are_refused(city, draft):
    services.draft_update(draft=draft, by=city.office, expected_version=1, title="专题会")
    with pytest.raises(EditConflict) as conflict:
        services.draft_update(draft=draft, by=city.office, expected_version=1, title="常务会")
    assert "专题会" in conflict.value.message
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("专题会", 2)


def test_meeting_details_without_a_version_change_the_draft_as_it_is(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[0]["key"])
    assert services.draft_update(draft=draft, by=city.office, title="专题会").title == "专题会"


def test_only_the_office_edits_the_meeting_details(city, draft):
    with pytest.raises(NotPermitted):
        services.draft_update(draft=draft, by=city.liaison, title="x")


def test_pasted_text_or_a_file_is_read_but_not_both_nor_neither():
    assert services.read_source(text=MEETING_TEXT) == (MEETING_TEXT, "")
    upload = SimpleUploadedFile("纪要.txt", MEETING_TEXT.encode("gb18030"))
    assert services.read_source(upload=upload) == (MEETING_TEXT, "纪要.txt")
    for given in ({"text": MEETING_TEXT, "upload": upload}, {"text": "  "}):
        with pytest.raises(ValidationError):
            services.read_source(**given)


def test_a_file_that_cannot_be_read_is_refused_on_the_file_field():
    with pytest.raises(ValidationError) as refused:
        services.read_source(upload=SimpleUploadedFile("纪要.txt", bytes(range(256)) * 8))
    assert refused.value.message_dict == {"file": ["文件不是文本，也不是 .docx 文档，无法读取。"]}


def test_a_confirmed_draft_keeps_its_meeting_details(city, draft):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    services.draft_confirm(draft=draft, by=city.office)
    with pytest.raises(Invalid):
        services.draft_update(draft=draft, by=city.office, title="x")
