"""The REST API: the board's filters as query parameters, and the actions with the pages' rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.directives.models import Directive
from duban.tests.factories import ThemeFactory

from .factories import DirectiveFactory, MilestoneFactory, directive_input


def _titles(response):
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_the_list_takes_the_boards_filters(city, api_client_for, board):
    rows, bond, meeting = board
    client = api_client_for(city.office)
    get = lambda **params: _titles(client.get("/api/directives/", params))  # noqa: E731
    assert get(light="red") == {rows["red"].title}
    assert get(state="closed") == {rows["closed"].title}
    assert get(unit=city.finance.pk) == {rows["red"].title, rows["yellow"].title}
    assert get(leader=city.leader.pk) == {rows["green"].title}
    assert get(theme=bond.pk) == {rows["red"].title}
    assert get(meeting=meeting.pk) == {rows["yellow"].title}
    assert get(due_after="2026-05-01", due_before="2026-10-01") == {rows["yellow"].title, rows["green"].title}


def test_an_invalid_filter_is_a_400_not_a_silent_full_list(city, api_client_for, board):
    response = api_client_for(city.office).get("/api/directives/", {"light": "purple"})
    assert response.status_code == 400


def test_counts_per_light(city, api_client_for, board):
    counts = api_client_for(city.office).get("/api/directives/counts/").json()
    assert counts == {"red": 1, "yellow": 1, "green": 1, "grey": 1, "total": 4}


def test_the_office_creates_a_directive_with_milestones_through_the_api(city, api_client_for):
    theme = ThemeFactory(code="bond", name="专项债券")
    response = api_client_for(city.office).post(
        "/api/directives/",
        directive_input(
            theme=theme,
            lead_unit=city.finance,
            co_units=[city.housing.pk],
            new_milestones=[{"title": "完成储备", "due_on": "2026-06-30"}],
            assign=True,
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "assigned" and response.json()["milestones"][0]["title"] == "完成储备"


def test_a_liaison_cannot_create_a_directive(city, api_client_for):
    theme = ThemeFactory(code="bond", name="专项债券")
    response = api_client_for(city.liaison).post(
        "/api/directives/",
        directive_input(theme=theme, lead_unit=city.finance),
        format="json",
    )
    assert response.status_code == 403


def test_transitions_through_the_api_follow_the_table(city, api_client_for, directive):
    liaison, office = api_client_for(city.liaison), api_client_for(city.office)
    url = f"/api/directives/{directive.pk}/transition/"
    assert liaison.post(url, {"name": "close"}, format="json").status_code == 403
    assert liaison.post(url, {"name": "request_completion", "note": "完成"}, format="json").status_code == 200
    refused = liaison.post(url, {"name": "request_completion", "note": "完成"}, format="json")
    assert refused.status_code == 409 and "申请办结" in refused.json()["detail"]
    assert office.post(url, {"name": "return"}, format="json").status_code == 400
    assert office.post(url, {"name": "close"}, format="json").json()["state"] == "closed"
    assert office.post(url, {"name": "fly"}, format="json").status_code == 400
    timeline = office.get(f"/api/directives/{directive.pk}/timeline/").json()
    assert [e["kind"] for e in timeline] == ["completion_requested", "closed"]


def test_extension_through_the_api(city, api_client_for, directive):
    url = f"/api/directives/{directive.pk}/transition/"
    response = api_client_for(city.liaison).post(
        url, {"name": "request_extension", "until": "2027-03-31", "note": "征地"}, format="json"
    )
    assert response.json()["extension_until"] == "2027-03-31"
    response = api_client_for(city.office).post(url, {"name": "approve_extension"}, format="json")
    assert response.json()["deadline"] == "2027-03-31"


def test_milestones_progress_and_comments_through_the_api(city, api_client_for, directive):
    liaison = api_client_for(city.liaison)
    created = liaison.post(
        f"/api/directives/{directive.pk}/milestones/",
        {"title": "完成可研", "due_on": "2026-06-30"},
        format="json",
    )
    assert created.status_code == 201
    milestone_id = created.json()["id"]
    too_late = liaison.post(
        f"/api/directives/{directive.pk}/milestones/", {"title": "x", "due_on": "2027-06-30"}, format="json"
    )
    assert too_late.status_code == 400
    done = liaison.patch(
        f"/api/directives/{directive.pk}/milestones/{milestone_id}/", {"state": "done"}, format="json"
    )
    assert done.json()["state"] == "done"
    report = liaison.post(
        f"/api/directives/{directive.pk}/progress/",
        {"text": "已完成可研", "percent": 30, "files": SimpleUploadedFile("图.png", b"\x89PNG\r\n\x1a\nxx")},
        format="multipart",
    )
    assert report.status_code == 201, report.content
    assert report.json()["evidence"][0]["name"] == "图.png"
    assert Directive.objects.get(pk=directive.pk).percent == 30
    listed = liaison.get(f"/api/directives/{directive.pk}/progress/").json()
    assert listed["count"] == 1
    comment = api_client_for(city.leader_user).post(
        f"/api/directives/{directive.pk}/comments/", {"text": "请加快"}, format="json"
    )
    assert comment.status_code == 201
    reply = liaison.post(
        f"/api/directives/{directive.pk}/comments/",
        {"text": "收到", "reply_to": comment.json()["id"]},
        format="json",
    )
    assert reply.json()["kind"] == "reply"
    assert (
        api_client_for(city.liaison)
        .post(f"/api/directives/{directive.pk}/comments/", {"text": "我来批示"}, format="json")
        .status_code
        == 403
    )


def test_the_api_list_is_a_constant_number_of_queries(city, api_client_for, django_assert_max_num_queries):
    client = api_client_for(city.liaison)
    DirectiveFactory.create_batch(3, lead_unit=city.finance, co_units=[city.housing])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/api/directives/")
    DirectiveFactory.create_batch(30, lead_unit=city.finance, co_units=[city.housing])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/directives/").json()["count"] == 33


def test_a_unit_updates_a_milestone_state_but_only_the_office_moves_its_date(city, api_client_for, directive):
    milestone = MilestoneFactory(directive=directive)
    url = f"/api/directives/{directive.pk}/milestones/{milestone.pk}/"
    assert api_client_for(city.liaison).patch(url, {"due_on": "2026-07-31"}, format="json").status_code == 403
    assert api_client_for(city.office).patch(url, {"due_on": "2026-07-31"}, format="json").status_code == 200


def test_the_office_records_a_meeting_and_units_see_only_theirs(city, api_client_for):
    response = api_client_for(city.office).post(
        "/api/meetings/",
        {
            "kind": "executive",
            "title": "常务会议",
            "held_on": "2026-03-02",
            "units": [city.finance.pk],
            "leaders": [],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert api_client_for(city.liaison).get("/api/meetings/").json()["count"] == 1
    assert api_client_for(city.county_liaison).get("/api/meetings/").json()["count"] == 0
    assert (
        api_client_for(city.liaison)
        .post("/api/meetings/", {"kind": "weekly", "title": "x", "held_on": "2026-03-02"}, format="json")
        .status_code
        == 403
    )


@pytest.mark.parametrize("version", ["abc", "-1", "1.5", True])
def test_a_bad_version_is_a_400_not_a_500(city, api_client_for, directive, version):
    response = api_client_for(city.office).patch(
        f"/api/directives/{directive.pk}/", {"title": "改", "version": version}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()["fields"]


@pytest.mark.parametrize("states", [["done"], {"x": "done"}, {"1": "flying"}])
def test_bad_milestone_states_are_a_400_not_a_500(city, api_client_for, directive, states):
    response = api_client_for(city.liaison).post(
        f"/api/directives/{directive.pk}/progress/",
        {"text": "进展", "percent": 10, "milestone_states": states},
        format="json",
    )
    assert response.status_code == 400 and "milestone_states" in response.json()["fields"]


def test_every_refusal_answers_detail_code_and_fields(city, api_client_for, directive):
    response = api_client_for(city.office).post(
        f"/api/directives/{directive.pk}/transition/", {"name": "close"}, format="json"
    )
    assert response.status_code == 409
    assert (
        set(response.json()) == {"detail", "code", "fields"}
        and response.json()["code"] == "transition_refused"
    )
