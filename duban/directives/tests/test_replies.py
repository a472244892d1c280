"""A unit's reply to a reminder (催办) or a supervision notice (督办通知单): only the addressed unit
replies; the reply is kept, audited, written on the directive's timeline and sent to whoever sent it;
the lists show and filter each one's state (待回复 / 已回复 / 逾期未回复, by the working calendar)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from duban.audit.models import AuditEntry
from duban.core.errors import Invalid, NotPermitted
from duban.directives import services
from duban.directives.models import (
    EventKind,
    Light,
    Reminder,
    ReplyState,
    SupervisionNotice,
    SupervisionReply,
    TimelineEvent,
)
from duban.directives.selectors import notice_list, reminder_list
from duban.notifications.models import Notification
from duban.tests.lists import assert_page_and_api_agree, page_queries
from duban.workcalendar.selectors import add_working_days

from .factories import DirectiveFactory


def pdf(name="整改情况.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 reply", content_type="application/pdf")


@pytest.fixture
def red(city):
    """A red directive the county leads, finance co-operating (so finance sees its notices)."""
    return DirectiveFactory(
        lead_unit=city.county, co_units=[city.finance], light=Light.RED, title="南屏县污水管网改造"
    )


@pytest.fixture
def notice(city, red):
    return services.notice_issue(directive=red, by=city.office)


@pytest.fixture
def reminder(city, red):
    return services.reminder_send(unit=city.county, directives=[red], by=city.office, message="请抓紧")


def test_a_reminder_is_due_in_three_working_days_and_awaits_its_reply(city, reminder):
    assert reminder.reply_by == add_working_days(timezone.localdate(), 3)
    assert reminder.reply_state == ReplyState.AWAITING
    note = Notification.objects.get(recipient=city.county_liaison, kind="reminder")
    assert "前回复" in note.body and "reply_state=awaiting" in note.url


def test_the_addressed_unit_replies_to_a_notice_with_a_file(city, red, notice, client_for):
    client = client_for(city.county_liaison)
    url = reverse("directives:notice_reply", args=[notice.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "已完成管网排查，正在整改。", "file": pdf()})
    assert response.status_code == 302
    reply = SupervisionReply.objects.get()
    assert (reply.notice, reply.unit, reply.replied_by) == (notice, city.county, city.county_liaison)
    assert reply.file_name == "整改情况.pdf"
    # Audited, on the directive's timeline, and sent to whoever issued the notice.
    assert AuditEntry.objects.filter(content_type__model="supervisionreply", object_pk=str(reply.pk)).exists()
    event = TimelineEvent.objects.get(directive=red, kind=EventKind.NOTICE_REPLY)
    assert "已完成管网排查" in event.note and notice.number in event.note
    told = Notification.objects.get(kind="reply")
    assert told.recipient == city.office and city.county.short_name in told.title
    # It shows on the notice (the list, the directive's page) and its file downloads.
    page = client_for(city.office).get(reverse("directives:notice_list")).content.decode()
    assert "已完成管网排查" in page and "已回复" in page
    detail = client_for(city.office).get(reverse("directives:detail", args=[red.pk])).content.decode()
    assert "已完成管网排查" in detail and "回复督办" in detail
    download = client_for(city.office).get(reverse("directives:reply_download", args=[reply.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_addressed_unit_replies_to_a_reminder_on_each_directives_timeline(city, red):
    other = DirectiveFactory(lead_unit=city.county)
    reminder = services.reminder_send(unit=city.county, directives=[red, other], by=city.office)
    services.reminder_reply(reminder=reminder, by=city.county_liaison, text="本周内完成。")
    assert TimelineEvent.objects.filter(kind=EventKind.NOTICE_REPLY).count() == 2
    reminder = reminder_list(user=city.office).get(pk=reminder.pk)
    assert reminder.reply_state == ReplyState.REPLIED
    assert Notification.objects.filter(kind="reply", recipient=city.office).exists()


@pytest.mark.parametrize("who", ["liaison", "office", "leader_user", "housing_liaison"])
def test_only_the_addressed_unit_may_reply(city, notice, reminder, client_for, who):
    user = getattr(city, who)
    with pytest.raises(NotPermitted):
        services.notice_reply(notice=notice, by=user, text="不是我们")
    with pytest.raises(NotPermitted):
        services.reminder_reply(reminder=reminder, by=user, text="不是我们")
    client = client_for(user)
    for url in (
        reverse("directives:notice_reply", args=[notice.pk]),
        reverse("directives:reminder_reply", args=[reminder.pk]),
    ):
        # Out of the user's reach it is not there; in reach, it is not theirs to answer.
        assert client.post(url, {"text": "不是我们"}).status_code in (403, 404)
    assert not SupervisionReply.objects.exists()


def test_the_api_takes_the_addressed_units_reply_and_refuses_others(city, notice, reminder, api_client_for):
    refused = api_client_for(city.liaison).post(
        f"/api/notices/{notice.pk}/reply/", {"text": "配合单位不回复"}, format="multipart"
    )
    assert refused.status_code == 403  # finance co-operates: it sees the notice, it does not answer it
    api = api_client_for(city.county_liaison)
    answer = api.post(
        f"/api/notices/{notice.pk}/reply/", {"text": "已整改", "file": pdf()}, format="multipart"
    )
    assert answer.status_code == 201 and answer.json()["file_name"] == "整改情况.pdf"
    answer = api.post(f"/api/reminders/{reminder.pk}/reply/", {"text": "已安排"}, format="multipart")
    assert answer.status_code == 201
    body = api.get(f"/api/notices/{notice.pk}/").json()
    assert body["reply_state"] == "replied" and body["replies"][0]["text"] == "已整改"
    empty = api.post(f"/api/reminders/{reminder.pk}/reply/", {"text": " "}, format="multipart")
    assert empty.status_code == 400


def test_a_refused_file_keeps_what_was_typed_and_saves_nothing(city, notice, client_for):
    fake = SimpleUploadedFile("整改.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client_for(city.county_liaison).post(
        reverse("directives:notice_reply", args=[notice.pk]), {"text": "已整改完毕", "file": fake}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已整改完毕" in page and "整改.pdf" in page
    assert not SupervisionReply.objects.exists()
    with pytest.raises(Invalid):
        services.notice_reply(notice=notice, by=city.county_liaison, text="")


def test_a_notice_past_its_reply_date_without_a_reply_is_overdue(city, red, notice):
    late = services.notice_issue(directive=red, by=city.office)
    SupervisionNotice.objects.filter(pk=late.pk).update(reply_by=timezone.localdate() - timedelta(days=10))
    services.notice_reply(notice=notice, by=city.county_liaison, text="已回复")

    def states(query):
        return {n.pk for n in notice_list(user=city.office, filters=query)}

    assert states({"reply_state": "overdue"}) == {late.pk}
    assert states({"reply_state": "replied"}) == {notice.pk}
    assert states({"reply_state": "awaiting"}) == set()
    assert notice_list(user=city.office).get(pk=late.pk).get_reply_state_display() == "逾期未回复"


def test_a_reminder_sent_before_replies_were_asked_for_never_falls_overdue(city, red):
    old = Reminder.objects.create(unit=city.county, message="旧催办", reply_by=None)
    old.directives.set([red])
    assert reminder_list(user=city.office).get(pk=old.pk).reply_state == ReplyState.AWAITING
    assert old.pk in {r.pk for r in reminder_list(user=city.office, filters={"reply_state": "awaiting"})}


@pytest.mark.parametrize("who", ["office", "county_liaison", "liaison"])
def test_the_lists_and_the_api_answer_every_filter_alike(
    city, red, notice, reminder, client_for, api_client_for, who
):
    services.notice_reply(notice=notice, by=city.county_liaison, text="已回复")
    year = timezone.localdate().year
    page, api = client_for(getattr(city, who)), api_client_for(getattr(city, who))
    reply_days = {"reply_by_after": "2000-01-01", "reply_by_before": "2100-12-31"}
    queries = (
        {},
        {"reply_state": "replied"},
        {"reply_state": "awaiting"},
        {"unit": city.county.pk},
        reply_days,
    )
    for query in queries:
        notices = assert_page_and_api_agree(
            page, reverse("directives:notice_list"), api, "/api/notices/", {**query, "year": year}
        )
        reminders = assert_page_and_api_agree(
            page, reverse("directives:reminder_list"), api, "/api/reminders/", query
        )
        if query.get("reply_state") == "replied":
            assert notices == [notice.pk] and reminders == []
    # Finance co-operates on the directive: it reads the notice, not the reminder sent to the county.
    assert not reminder_list(user=city.liaison).exists()
    assert not notice_list(user=city.housing_liaison).exists()


def test_the_lists_take_no_more_queries_with_more_rows(city, red, client_for):
    services.notice_issue(directive=red, by=city.office)
    services.reminder_send(unit=city.county, directives=[red], by=city.office)
    client = client_for(city.county_liaison)
    urls = [reverse("directives:notice_list"), reverse("directives:reminder_list")]
    few = [page_queries(client, url) for url in urls]
    assert max(few) <= 25
    for _ in range(5):
        n = services.notice_issue(directive=red, by=city.office)
        services.notice_reply(notice=n, by=city.county_liaison, text="已回复", file=pdf())
        r = services.reminder_send(unit=city.county, directives=[red], by=city.office)
        services.reminder_reply(reminder=r, by=city.county_liaison, text="已回复")
    assert [page_queries(client, url) for url in urls] == few


def test_the_reminder_form_takes_a_reply_date(city, red, client_for):
    day = add_working_days(timezone.localdate(), 7)
    response = client_for(city.office).post(
        reverse("directives:remind"),
        {"unit": city.county.pk, "directives": [red.pk], "message": "", "reply_by": day.isoformat()},
    )
    assert response.status_code == 302
    assert Reminder.objects.get().reply_by == day
    response = client_for(city.office).post(
        reverse("directives:remind"),
        {"unit": city.county.pk, "directives": [red.pk], "reply_by": date(2000, 1, 1).isoformat()},
    )
    assert response.status_code == 200 and "回复时限不能早于今天" in response.content.decode()
