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


# A leader's reach follows his themes (分管工作) as well as his portfolio units (item 2 of issue 11).


def test_a_leader_reads_the_directives_and_their_parts_of_the_themes_he_is_in_charge_of(city):
    from duban.accounts.scope import visible_to
    from duban.directives.models import Directive, ProgressReport
    from duban.tests.factories import ThemeFactory, UserFactory

    bond = ThemeFactory(code="bond", name="专项债券")
    housing_work = DirectiveFactory(lead_unit=city.housing, theme=bond)
    milestone = MilestoneFactory(directive=housing_work)
    report = ProgressReport.objects.create(directive=housing_work, text="x", percent=10, author=city.office)
    leader = city.leader_user
    assert housing_work not in visible_to(leader, Directive.objects.all())

    city.leader.themes.add(bond)
    leader = type(leader).objects.get(pk=leader.pk)  # a new request reads the themes again
    assert housing_work in visible_to(leader, Directive.objects.all())
    assert milestone in visible_to(leader, Milestone.objects.all())
    assert report in visible_to(leader, ProgressReport.objects.all())
    # Only the leader in charge: a liaison of another unit, or another leader, still does not see it.
    other_leader = UserFactory(username="other-leader", role="leader", unit=city.root)
    for user in (city.county_liaison, other_leader):
        assert housing_work not in visible_to(user, Directive.objects.all())
    # and another theme's directive of a unit outside his portfolio stays out of reach.
    assert DirectiveFactory(lead_unit=city.housing) not in visible_to(leader, Directive.objects.all())


def test_the_leader_opens_a_directive_of_his_theme_and_finds_it_on_the_board(city, client_for):
    from duban.tests.factories import ThemeFactory

    bond = ThemeFactory(code="bond", name="专项债券")
    city.leader.themes.add(bond)
    housing_work = DirectiveFactory(lead_unit=city.housing, theme=bond, title="住建局的专项债券事项")
    client = client_for(city.leader_user)
    assert client.get(reverse("directives:detail", args=[housing_work.pk])).status_code == 200
    assert "住建局的专项债券事项" in client.get(reverse("directives:board")).content.decode()


def test_the_board_of_a_leader_with_themes_takes_the_same_queries_for_3_or_30_directives(
    city, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duban.tests.factories import ThemeFactory

    bond = ThemeFactory(code="bond", name="专项债券")
    city.leader.themes.add(bond, ThemeFactory(code="ppp", name="PPP项目"))

    def add(n):
        for i in range(n):
            DirectiveFactory(lead_unit=city.housing if i % 2 else city.county, theme=bond)

    client = client_for(city.leader_user)
    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("directives:board")).status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("directives:board"))
    assert response.context["page_obj"].paginator.count == 30


@pytest.mark.parametrize(
    "name,key", [("directives:evidence_download", "evidence_pk"), ("directives:notice_download", "notice_pk")]
)
def test_a_file_missing_from_storage_is_a_404_that_says_so(city, client_for, others, name, key):
    obj = others["evidence" if "evidence" in name else "notice"]
    obj.file.storage.delete(obj.file.name)
    response = client_for(city.liaison).get(reverse(name, kwargs={key: obj.pk}))
    assert response.status_code == 404
    assert "已不在服务器存储中" in response.content.decode()
