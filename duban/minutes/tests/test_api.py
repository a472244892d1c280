"""The minutes import API: extraction, drafts, PATCH, confirmation, and office-only access."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.directives.models import Directive, Meeting, State

from .. import services
from ..models import DraftState, MinutesDraft
from .conftest import MEETING_TEXT
from .helpers import text

pytestmark = pytest.mark.django_db

EXTRACT = "/api/minutes/extract/"
DRAFTS = "/api/minutes/drafts/"


def test_extract_returns_the_command_json_with_unit_ids(city, themes, api_client_for):
    response = api_client_for(city.office).post(EXTRACT, {"text": MEETING_TEXT, "meeting_date": "2026-03-02"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"meeting", "normalized_text", "directives"}
    assert data["meeting"]["type"] == "常务会议"
    first = data["directives"][0]
    assert set(first) == {
        "text",
        "original",
        "start",
        "end",
        "theme",
        "units",
        "leaders",
        "deadline",
        "deadline_text",
        "confidence",
        "low_confidence",
        "speaker",
        "speaker_title",
        "meeting",
    }
    assert [unit["id"] for unit in first["units"]] == [city.finance.pk, city.housing.pk]
    assert first["deadline"] == "2026-03-15"
    assert not MinutesDraft.objects.exists()


def test_extract_reads_an_uploaded_file(city, themes, api_client_for):
    upload = SimpleUploadedFile("seed.txt", text("seed.txt").encode("utf-8"))
    response = api_client_for(city.office).post(EXTRACT, {"file": upload}, format="multipart")
    assert response.status_code == 200
    assert response.json()["meeting"]["type"] == "市长议事会"


def test_extract_refuses_a_binary_upload_in_chinese(city, themes, api_client_for):
    upload = SimpleUploadedFile("x.txt", bytes(range(256)) * 4)
    response = api_client_for(city.office).post(EXTRACT, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "文件不是文本" in str(response.json())


def test_extract_needs_text(city, themes, api_client_for):
    response = api_client_for(city.office).post(EXTRACT, {"text": ""}, format="json")
    assert response.status_code == 400


def test_a_draft_is_saved_read_patched_and_confirmed(city, themes, api_client_for):
    client = api_client_for(city.office)
    created = client.post(DRAFTS, {"text": MEETING_TEXT, "meeting_date": "2026-03-02"}, format="json")
    assert created.status_code == 201
    draft_id = created.json()["id"]
    rows = created.json()["rows"]
    assert len(rows) == 3

    fetched = client.get(f"{DRAFTS}{draft_id}/")
    assert fetched.status_code == 200 and fetched.json()["state"] == DraftState.DRAFT
    assert client.get(DRAFTS).json()["results"][0]["id"] == draft_id

    # Drop the first row, give the group's row a lead unit, rename the meeting.
    patch = {
        "title": "市政府第5次常务会议",
        "rows": [
            {"key": rows[1]["key"]},
            {"key": rows[2]["key"], "lead_unit": city.county.pk, "co_units": [city.township.pk]},
        ],
    }
    patched = client.patch(f"{DRAFTS}{draft_id}/", patch, format="json")
    assert patched.status_code == 200, patched.json()
    assert [row["key"] for row in patched.json()["rows"]] == [rows[1]["key"], rows[2]["key"]]
    assert patched.json()["rows"][1]["original"] == rows[2]["original"]

    confirmed = client.post(f"{DRAFTS}{draft_id}/confirm/", {"assign": True}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    meeting = Meeting.objects.get()
    assert confirmed.json()["meeting"] == meeting.pk and meeting.title == "市政府第5次常务会议"
    directives = Directive.objects.order_by("pk")
    assert confirmed.json()["directives"] == [d.pk for d in directives]
    assert [d.lead_unit for d in directives] == [city.housing, city.county]
    assert list(directives[1].co_units.all()) == [city.township]
    assert {d.state for d in directives} == {State.ASSIGNED}


def test_patch_rejects_a_bad_row(city, themes, api_client_for):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    response = client.patch(
        f"{DRAFTS}{draft['id']}/",
        {"rows": [{"key": draft["rows"][0]["key"], "theme": "nope"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "1" in response.json()["fields"]["rows"]


def test_confirm_reports_each_bad_row_and_creates_nothing(city, themes, api_client_for):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT, "meeting_date": "2026-03-02"}, format="json").json()
    response = client.post(f"{DRAFTS}{draft['id']}/confirm/", format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "未创建任何会议或督办事项。",
        "code": "confirm_rejected",
        "fields": {},
        "rows": [{"row": 3, "message": "请选择牵头单位。"}],
    }
    assert not Meeting.objects.exists() and not Directive.objects.exists()


def test_rows_are_merged_split_and_dropped_through_the_api(city, themes, api_client_for):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    first, second, third = (row["key"] for row in draft["rows"])
    url = f"{DRAFTS}{draft['id']}/rows/"
    merged = client.post(f"{url}{first}/merge/", format="json")
    assert merged.status_code == 200 and [r["key"] for r in merged.json()["rows"]] == [first, third]
    split = client.post(f"{url}{first}/split/", {"position": 8}, format="json")
    assert split.status_code == 200 and len(split.json()["rows"]) == 3
    assert client.post(f"{url}{first}/split/", {"position": 0}, format="json").status_code == 400
    dropped = client.post(f"{url}{third}/drop/", format="json")
    assert third not in [r["key"] for r in dropped.json()["rows"]]
    assert client.post(f"{url}999/drop/", format="json").status_code == 400
    del second


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_wrong_users_get_403_on_every_endpoint(city, themes, api_client_for, who):
    office_draft = api_client_for(city.office).post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    client = api_client_for(getattr(city, who))
    detail = f"{DRAFTS}{office_draft['id']}/"
    calls = [
        client.post(EXTRACT, {"text": MEETING_TEXT}, format="json"),
        client.get(DRAFTS),
        client.post(DRAFTS, {"text": MEETING_TEXT}, format="json"),
        client.get(detail),
        client.patch(detail, {"title": "x"}, format="json"),
        client.post(f"{detail}confirm/", format="json"),
        client.post(f"{detail}rows/1/merge/", format="json"),
        client.post(f"{detail}rows/1/split/", {"position": 3}, format="json"),
        client.post(f"{detail}rows/1/drop/", format="json"),
    ]
    assert [call.status_code for call in calls] == [403] * len(calls)
    assert MinutesDraft.objects.count() == 1
    assert MinutesDraft.objects.get().title != "x"


def test_anonymous_callers_are_refused(city, client):
    assert client.post(EXTRACT, {"text": MEETING_TEXT}).status_code in (401, 403)
    assert client.get(DRAFTS).status_code in (401, 403)


def test_meeting_date_from_the_api_fills_a_date_without_year(city, themes, api_client_for):
    data = (
        api_client_for(city.office)
        .post(DRAFTS, {"text": MEETING_TEXT, "meeting_date": "2025-03-01"}, format="json")
        .json()
    )
    assert data["meeting_date"] == date(2025, 3, 2).isoformat()


def test_patch_accepts_keys_given_as_text(city, themes, api_client_for):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    row = draft["rows"][0]
    response = client.patch(
        f"{DRAFTS}{draft['id']}/", {"rows": [{"key": str(row["key"]), "title": "改过的标题"}]}, format="json"
    )
    assert response.status_code == 200
    (patched,) = response.json()["rows"]
    assert (patched["key"], patched["title"], patched["start"]) == (row["key"], "改过的标题", row["start"])


def test_a_draft_says_its_version_and_each_change_takes_it_up(city, themes, api_client_for):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    assert draft["version"] == 1
    key = draft["rows"][0]["key"]
    merged = client.post(f"{DRAFTS}{draft['id']}/rows/{key}/merge/", {"version": 1}, format="json")
    assert merged.status_code == 200 and merged.json()["version"] == 2


def test_a_change_from_an_older_version_is_a_409_naming_the_conflict(city, themes, api_client_for):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    url = f"{DRAFTS}{draft['id']}/"
    assert client.patch(url, {"title": "专题会", "version": 1}, format="json").status_code == 200
    for stale in (
        client.patch(url, {"title": "常务会", "version": 1}, format="json"),
        client.patch(url, {"rows": [], "version": 1}, format="json"),
        client.post(f"{url}rows/{draft['rows'][0]['key']}/drop/", {"version": 1}, format="json"),
        client.post(f"{url}confirm/", {"version": 1}, format="json"),
    ):
        assert stale.status_code == 409 and stale.json()["code"] == "edit_conflict"
    draft = client.get(url).json()
    assert (draft["title"], len(draft["rows"]), draft["state"]) == ("专题会", 3, DraftState.DRAFT)


@pytest.mark.parametrize("version", ["x", -1, 1.5])
def test_a_bad_version_is_a_400_naming_it(city, themes, api_client_for, version):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    response = client.post(f"{DRAFTS}{draft['id']}/rows/1/drop/", {"version": version}, format="json")
    assert response.status_code == 400 and "version" in response.json()["fields"]


def test_a_split_without_a_position_is_a_400_naming_it(city, themes, api_client_for):
    client = api_client_for(city.office)
    draft = client.post(DRAFTS, {"text": MEETING_TEXT}, format="json").json()
    for given in ({}, {"position": "abc"}):
        response = client.post(f"{DRAFTS}{draft['id']}/rows/1/split/", given, format="json")
        assert response.status_code == 400
        assert response.json()["fields"] == {"position": ["请给出拆分位置（事项文字中的字符序号）。"]}


def test_the_list_page_and_the_api_list_the_same_drafts(city, themes, page_and_api_agree):
    for title in ("甲", "乙", "丙"):
        services.draft_create(by=city.office, text=MEETING_TEXT, title=title)
    rows = page_and_api_agree(city.office, reverse("minutes:draft_list"), DRAFTS, {})
    assert rows == list(MinutesDraft.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
