"""One filter for the board, my work, the export and the API: the page and the API answer alike."""

import pytest
from django.urls import reverse

from duban.directives.filters import DirectiveFilterSet

from .factories import DirectiveFactory, MeetingFactory, MilestoneFactory


def _queries(city, board):
    _rows, bond, meeting = board
    return [
        {},
        {"light": "red"},
        {"state": "closed"},
        {"unit": city.finance.pk},
        {"leader": city.leader.pk},
        {"theme": bond.pk},
        {"meeting": meeting.pk},
        {"q": "督办事项"},
        {"due_after": "2026-05-01", "due_before": "2026-12-31"},
        {"unit": city.finance.pk, "light": "yellow"},
    ]


@pytest.mark.parametrize("who", ["office", "liaison", "leader_user"])
def test_the_board_and_the_api_list_answer_every_filter_with_the_same_rows(
    city, board, who, page_and_api_agree
):
    user = getattr(city, who)
    meeting = board[2]  # a meeting each of them may choose (one not theirs is a 400 through the API)
    meeting.units.set([city.finance])
    meeting.chair = city.leader
    meeting.save()
    for query in _queries(city, board):
        page_and_api_agree(user, reverse("directives:board"), "/api/directives/", query)


def test_the_filters_pick_the_rows_they_say(city, board, page_and_api_agree):
    office = city.office
    rows = page_and_api_agree(
        office, reverse("directives:board"), "/api/directives/", {"unit": city.finance.pk}
    )
    assert rows == [board[0]["red"].pk, board[0]["yellow"].pk]


def test_the_counts_ignore_the_light_filter_on_the_page_and_in_the_api(
    city, client_for, api_client_for, board
):
    page = client_for(city.office).get(reverse("directives:board"), {"light": "red"}).context["counts"]
    api = api_client_for(city.office).get("/api/directives/counts/", {"light": "red"}).json()
    assert page == api and api["total"] == 4 and api["red"] == 1


def test_an_invalid_filter_is_left_out_of_the_page_and_refused_by_the_api(
    city, client_for, api_client_for, board
):
    page = client_for(city.office).get(reverse("directives:board"), {"state": "flying"})
    assert page.status_code == 200 and page.context["page_obj"].paginator.count == 4
    for url in ("/api/directives/", "/api/directives/counts/"):
        answer = api_client_for(city.office).get(url, {"state": "flying"})
        assert answer.status_code == 400 and "state" in answer.json()["fields"]


def test_a_user_chooses_only_among_the_meetings_they_may_see(city, board):
    board[2].units.set([city.county])
    hidden = MeetingFactory(title="县里不参加的会议")
    choices = DirectiveFilterSet(user=city.county_liaison).form.fields["meeting"].queryset
    assert board[2] in choices and hidden not in choices


def test_the_export_takes_the_same_filters(city, client_for, board):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(city.office).get(
        reverse("directives:export"), {"unit": city.finance.pk, "light": "red"}
    )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [board[0]["red"].pk]


def test_a_list_filter_on_a_detail_url_is_ignored_not_refused(city, board, api_client_for):
    rows, _bond, _meeting = board
    client = api_client_for(city.office)
    assert client.get("/api/directives/", {"light": "purple"}).status_code == 400
    detail = client.get(f"/api/directives/{rows['red'].pk}/", {"light": "purple"})
    assert detail.status_code == 200 and detail.json()["id"] == rows["red"].pk


def test_the_search_finds_a_directive_by_its_number_as_the_bulletin_prints_it(city, board):
    from duban.directives.selectors import directive_list

    directive = board[0]["red"]
    for query in (str(directive.pk), f"#{directive.pk}", f"＃{directive.pk}"):
        found = directive_list(user=city.office, filters={"q": query})
        assert directive in found
    assert not directive_list(user=city.office, filters={"q": "99999999"}).exists()


def test_the_milestone_days_pick_directives_with_one_milestone_due_between_them(city, page_and_api_agree):
    inside, spanning, outside = (DirectiveFactory(lead_unit=city.finance) for _ in range(3))
    MilestoneFactory(directive=inside, due_on="2026-03-10")
    MilestoneFactory(directive=inside, due_on="2026-03-20")  # two in the days: listed once
    MilestoneFactory(directive=spanning, due_on="2026-02-20")  # one before, one after: none between
    MilestoneFactory(directive=spanning, due_on="2026-04-02")
    MilestoneFactory(directive=outside, due_on="2026-05-01")
    query = {"milestone_due_after": "2026-03-01", "milestone_due_before": "2026-03-31"}

    rows = page_and_api_agree(city.office, reverse("directives:board"), "/api/directives/", query)
    assert rows == [inside.pk]
    after_only = {"milestone_due_after": "2026-04-01"}
    rows = page_and_api_agree(city.office, reverse("directives:board"), "/api/directives/", after_only)
    assert sorted(rows) == sorted([spanning.pk, outside.pk])
