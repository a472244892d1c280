"""A unit never reaches another unit's directive: every page and endpoint answers 404 (or 403)."""

import pytest
from django.urls import reverse

from duban.directives.models import Comment, CommentKind, Evidence, Milestone, SupervisionNotice

from .factories import DirectiveFactory, MilestoneFactory


@pytest.fixture
def others(city, directive):
    """Objects hanging off the finance bureau's directive."""
    from django.core.files.base import ContentFile

    milestone = MilestoneFactory(directive=directive)
    comment = Comment.objects.create(
        directive=directive, kind=CommentKind.INSTRUCTION, text="抓紧", author=city.office
    )
    evidence = Evidence(directive=directive, name="a.pdf", uploaded_by=city.liaison)
    evidence.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
    notice = SupervisionNotice.objects.create(
        directive=directive,
        unit=city.finance,
        year=2026,
        sequence=1,
        matters="x",
        reply_by="2026-10-10",
        issued_on="2026-10-01",
    )
    notice.file.save("n.docx", ContentFile(b"PK\x03\x04"), save=True)
    return {"milestone": milestone, "comment": comment, "evidence": evidence, "notice": notice}


PAGES = [
    ("get", "directives:detail", {}),
    ("get", "directives:edit", {}),
    ("get", "directives:split", {}),
    ("get", "directives:notice_issue", {}),
    ("post", "directives:transition", {"name": "start"}),
    ("post", "directives:progress_add", {}),
    ("post", "directives:milestone_add", {}),
    ("post", "directives:milestone_update", {"milestone_pk": "milestone"}),
    ("post", "directives:comment_add", {}),
    ("post", "directives:comment_reply", {"comment_pk": "comment"}),
]


@pytest.mark.parametrize("method,name,extra", PAGES, ids=[p[1] for p in PAGES])
def test_another_units_liaison_is_refused_on_every_directive_page(
    city, client_for, directive, others, method, name, extra
):
    kwargs = {"pk": directive.pk, **{k: (others[v].pk if v in others else v) for k, v in extra.items()}}
    client = client_for(city.county_liaison)
    response = getattr(client, method)(reverse(name, kwargs=kwargs), {"text": "x", "note": "x"})
    assert response.status_code in (403, 404)
    assert Milestone.objects.filter(directive=directive).count() == 1
    assert directive.events.count() == 0


@pytest.mark.parametrize(
    "name,key", [("directives:evidence_download", "evidence_pk"), ("directives:notice_download", "notice_pk")]
)
def test_another_units_liaison_cannot_download_the_files(city, client_for, others, name, key):
    obj = others["evidence" if "evidence" in name else "notice"]
    assert client_for(city.county_liaison).get(reverse(name, kwargs={key: obj.pk})).status_code == 404
    assert client_for(city.liaison).get(reverse(name, kwargs={key: obj.pk})).status_code == 200


def test_another_units_directives_are_not_on_the_board_my_work_or_the_export(city, client_for, directive):
    client = client_for(city.county_liaison)
    for name in ("directives:board", "directives:my_work"):
        assert directive.title not in client.get(reverse(name)).content.decode()
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(client.get(reverse("directives:export")).content)).active
    assert sheet.max_row == 1


def test_the_co_unit_and_the_leader_see_it_and_the_lead_units_parent_does_too(city, client_for, directive):
    for user in (city.housing_liaison, city.leader_user, city.liaison):
        assert client_for(user).get(reverse("directives:detail", args=[directive.pk])).status_code == 200
    county_work = DirectiveFactory(lead_unit=city.township)
    assert (
        client_for(city.county_liaison).get(reverse("directives:detail", args=[county_work.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    "name",
    [
        "directives:create",
        "directives:bulk_assign",
        "directives:remind",
        "directives:import",
        "directives:meeting_create",
    ],
)
def test_office_pages_refuse_liaisons_and_leaders(city, client_for, name):
    for user in (city.liaison, city.leader_user):
        assert client_for(user).get(reverse(name)).status_code == 403


API = [
    ("get", "/api/directives/{pk}/"),
    ("patch", "/api/directives/{pk}/"),
    ("post", "/api/directives/{pk}/transition/"),
    ("get", "/api/directives/{pk}/milestones/"),
    ("post", "/api/directives/{pk}/milestones/"),
    ("patch", "/api/directives/{pk}/milestones/{milestone}/"),
    ("get", "/api/directives/{pk}/progress/"),
    ("post", "/api/directives/{pk}/progress/"),
    ("get", "/api/directives/{pk}/comments/"),
    ("post", "/api/directives/{pk}/comments/"),
    ("get", "/api/directives/{pk}/timeline/"),
]


@pytest.mark.parametrize("method,url", API, ids=[f"{m} {u}" for m, u in API])
def test_another_units_liaison_is_refused_on_every_endpoint(
    city, api_client_for, directive, others, method, url
):
    client = api_client_for(city.county_liaison)
    path = url.format(pk=directive.pk, milestone=others["milestone"].pk)
    data = {
        "name": "start",
        "text": "x",
        "percent": 10,
        "title": "x",
        "due_on": "2026-10-01",
        "state": "done",
    }
    response = getattr(client, method)(path, data, format="json")
    assert response.status_code in (403, 404)
    assert directive.events.count() == 0


def test_the_api_list_leaves_out_other_units_work(city, api_client_for, directive):
    assert api_client_for(city.county_liaison).get("/api/directives/").json()["count"] == 0
    assert api_client_for(city.housing_liaison).get("/api/directives/").json()["count"] == 1


def test_a_co_unit_may_read_but_not_change_or_report(city, api_client_for, directive):
    client = api_client_for(city.housing_liaison)
    assert client.patch(f"/api/directives/{directive.pk}/", {"title": "改"}, format="json").status_code == 403
    assert (
        client.post(
            f"/api/directives/{directive.pk}/transition/", {"name": "start"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/directives/{directive.pk}/progress/", {"text": "x", "percent": 5}, format="json"
        ).status_code
        == 403
    )
