"""A double click, Back-then-save or a client's retry lands once (`core/once.py`): one directive, one
progress report, one comment, one notification, whatever the number of times the same form is sent."""

import pytest
from django.urls import reverse

from duban.core.models import Submission
from duban.core.once import HEADER, TOKEN_FIELD
from duban.directives.models import Comment, Directive, Meeting, ProgressReport
from duban.notifications.models import Notification
from duban.tests.factories import ThemeFactory

from .factories import directive_input


@pytest.fixture
def theme(db):
    return ThemeFactory(code="bond", name="专项债券")


def test_the_new_directive_form_is_issued_with_a_token(city, client_for):
    page = client_for(city.office).get(reverse("directives:create")).content.decode()
    assert f'name="{TOKEN_FIELD}"' in page


def test_posting_the_same_new_directive_form_twice_creates_one_directive_and_one_notice(
    city, client_for, theme
):
    client = client_for(city.office)
    form = {**directive_input(theme=theme, lead_unit=city.finance), "assign": "on", TOKEN_FIELD: "t-1"}
    first = client.post(reverse("directives:create"), form)
    second = client.post(reverse("directives:create"), form, follow=True)
    directive = Directive.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("directives:detail", args=[directive.pk])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "这份表单已经提交过，没有重复保存。" in second.content.decode()
    assert Notification.objects.filter(recipient=city.liaison).count() == 1


def test_a_new_token_is_a_new_directive(city, client_for, theme):
    client = client_for(city.office)
    form = directive_input(theme=theme, lead_unit=city.finance)
    client.post(reverse("directives:create"), {**form, TOKEN_FIELD: "a"})
    client.post(reverse("directives:create"), {**form, TOKEN_FIELD: "b"})
    assert Directive.objects.count() == 2


def test_a_form_refused_keeps_its_token_free_for_the_corrected_form(city, client_for, theme):
    client = client_for(city.office)
    form = {**directive_input(theme=theme, lead_unit=city.finance, title=""), TOKEN_FIELD: "t"}
    assert client.post(reverse("directives:create"), form).status_code == 200
    assert not Submission.objects.exists()
    client.post(reverse("directives:create"), {**form, "title": "改好的事项"})
    assert Directive.objects.get().title == "改好的事项"


def test_the_same_token_of_another_user_is_another_submission(city, client_for, theme):
    from duban.tests.factories import UserFactory

    form = {**directive_input(theme=theme, lead_unit=city.finance), TOKEN_FIELD: "same"}
    client_for(city.office).post(reverse("directives:create"), form)
    other = UserFactory(username="office2", role="office", unit=city.root)
    client_for(other).post(reverse("directives:create"), form)
    assert Directive.objects.count() == 2


def test_a_progress_report_and_a_comment_sent_twice_land_once(city, client_for, directive):
    liaison = client_for(city.liaison)
    report = {"text": "已完成可研", "percent": 40, TOKEN_FIELD: "p"}
    for _ in range(2):
        liaison.post(reverse("directives:progress_add", args=[directive.pk]), report)
    assert ProgressReport.objects.filter(directive=directive).count() == 1
    leader = client_for(city.leader_user)
    for _ in range(2):
        leader.post(
            reverse("directives:comment_add", args=[directive.pk]), {"text": "抓紧", TOKEN_FIELD: "c"}
        )
    assert Comment.objects.filter(directive=directive).count() == 1
    assert Notification.objects.filter(recipient=city.liaison, kind="comment").count() == 1


def test_a_meeting_form_sent_twice_creates_one_meeting(city, client_for):
    client = client_for(city.office)
    form = {"kind": "special", "title": "专题会议", "held_on": "2026-03-02", TOKEN_FIELD: "m"}
    for _ in range(2):
        assert client.post(reverse("directives:meeting_create"), form).status_code == 302
    assert Meeting.objects.count() == 1


def test_an_api_call_retried_with_its_idempotency_key_creates_once_and_answers_the_same(
    city, api_client_for, theme
):
    client = api_client_for(city.office)
    body = directive_input(theme=theme, lead_unit=city.finance)
    first = client.post("/api/directives/", body, format="json", headers={HEADER: "k-1"})
    again = client.post("/api/directives/", body, format="json", headers={HEADER: "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Directive.objects.count() == 1
    assert client.post("/api/directives/", body, format="json", headers={HEADER: "k-2"}).status_code == 201
    assert Directive.objects.count() == 2


def test_an_api_call_refused_leaves_its_key_free(city, api_client_for, theme):
    client = api_client_for(city.office)
    body = directive_input(theme=theme, lead_unit=city.finance, title="")
    assert client.post("/api/directives/", body, format="json", headers={HEADER: "k"}).status_code == 400
    body["title"] = "补上名称"
    assert client.post("/api/directives/", body, format="json", headers={HEADER: "k"}).status_code == 201


def test_a_token_alone_lets_no_one_in(city, client, theme):
    form = {**directive_input(theme=theme, lead_unit=city.finance), TOKEN_FIELD: "x"}
    response = client.post(reverse("directives:create"), form)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Directive.objects.exists() and not Submission.objects.exists()
