"""The office's pages of channels, units' robots and deliveries (and their API): the office's only;
the users' own choices per channel and per kind; the digest grouped by kind."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.notifications import selectors, services
from duban.notifications.models import (
    Cadence,
    Channel,
    ChannelPreference,
    ChannelSwitch,
    Delivery,
    DeliveryState,
    EmailPreference,
    Notification,
    NotificationKind,
    UnitRobot,
)
from duban.tests.lists import assert_queries_do_not_grow

from .factories import NotificationFactory

LIST, API = reverse("notifications:delivery_list"), "/api/notification-deliveries/"


def _delivery(user, state=DeliveryState.FAILED, channel=Channel.EMAIL):
    return Delivery.objects.create(
        notification=NotificationFactory(recipient=user),
        channel=channel,
        address="x@example.cn",
        state=state,
        attempts=5 if state == DeliveryState.FAILED else 0,
        last_error="HTTP 500" if state == DeliveryState.FAILED else "",
        unit=user.unit,
    )


@pytest.fixture
def robot(city):
    return UnitRobot.objects.create(
        unit=city.finance,
        channel=Channel.DINGTALK,
        webhook="https://oapi.dingtalk.com/robot/send?access_token=t",
    )


def test_the_channel_pages_and_the_deliveries_are_refused_to_everyone_but_the_office(city, client_for, robot):
    failed = _delivery(city.liaison)
    for user in (city.liaison, city.leader_user, city.housing_liaison):
        client = client_for(user)
        for url in (
            reverse("notifications:channels"),
            reverse("notifications:robot_create"),
            reverse("notifications:robot_edit", args=[robot.pk]),
            LIST,
        ):
            assert client.get(url).status_code in (403, 404), (user, url)
        for url in (
            reverse("notifications:robot_delete", args=[robot.pk]),
            reverse("notifications:delivery_resend", args=[failed.pk]),
            reverse("notifications:delivery_resend_bulk"),
        ):
            assert client.post(url, {"all": "1"}).status_code in (403, 404), (user, url)
    assert UnitRobot.objects.filter(pk=robot.pk).exists()
    failed.refresh_from_db()
    assert failed.state == DeliveryState.FAILED


def test_the_deliveries_api_is_the_offices_only(city, api_client_for):
    failed = _delivery(city.liaison)
    liaison = api_client_for(city.liaison)
    assert liaison.get(API).status_code == 403
    assert liaison.post(f"{API}{failed.pk}/resend/").status_code == 403
    office = api_client_for(city.office)
    assert [row["id"] for row in office.get(API).json()["results"]] == [failed.pk]


@pytest.mark.parametrize(("query", "expected"), [({}, {"failed", "sent"}), ({"state": "failed"}, {"failed"})])
def test_the_deliveries_page_and_the_api_filter_alike(city, page_and_api_agree, query, expected):
    rows = {"failed": _delivery(city.liaison), "sent": _delivery(city.liaison, DeliveryState.SENT)}
    found = page_and_api_agree(city.office, LIST, API, query)
    assert set(found) == {rows[name].pk for name in expected}


def test_the_deliveries_page_queries_do_not_grow_with_its_rows(city, client_for):
    _delivery(city.liaison)

    def more():
        for _n in range(10):
            _delivery(city.housing_liaison)

    assert_queries_do_not_grow(client_for(city.office), LIST, add_rows=more, most=12)


def test_the_office_turns_channels_off_and_keeps_the_units_robots(city, client_for):
    office = client_for(city.office)
    form = {ch: "on" for ch in Channel.values if ch != Channel.SMS}
    assert office.post(reverse("notifications:channels"), form).status_code == 302
    assert dict(ChannelSwitch.objects.values_list("channel", "enabled"))[Channel.SMS] is False
    assert selectors.channel_switches(user=city.liaison)[Channel.EMAIL] is True
    created = office.post(
        reverse("notifications:robot_create"),
        {
            "unit": city.housing.pk,
            "channel": Channel.WECOM,
            "webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "secret": "",
        },
    )
    assert created.status_code == 302
    robot = UnitRobot.objects.get(unit=city.housing)
    page = office.get(reverse("notifications:channels"))
    assert robot in page.context["robots"]
    assert "access_token" not in page.content.decode() and "key=k" not in page.content.decode()
    office.post(reverse("notifications:robot_delete", args=[robot.pk]))
    assert not UnitRobot.objects.exists()


def test_a_second_robot_for_the_same_unit_and_channel_is_refused_beside_its_fields(city, client_for, robot):
    answer = client_for(city.office).post(
        reverse("notifications:robot_create"),
        {
            "unit": city.finance.pk,
            "channel": Channel.DINGTALK,
            "webhook": "https://oapi.dingtalk.com/robot/send",
        },
    )
    assert answer.status_code == 200 and answer.context["form"].errors
    assert UnitRobot.objects.count() == 1


def test_each_user_chooses_channels_and_per_kind_immediate_digest_or_off(city, client_for):
    client = client_for(city.liaison)
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form.initial["channel_dingtalk"] is True and form.initial["channel_sms"] is False
    choices = {
        "channels_shown": "1",
        "channel_email": "on",
        "channel_sms": "on",
        "cadence_comment": Cadence.OFF,
        "cadence_reminder": Cadence.DIGEST,
        "assigned": "on",
    }
    assert client.post(reverse("notifications:preferences"), choices).status_code == 302
    assert selectors.channel_preferences(user=city.liaison) == {
        "email": True,
        "dingtalk": False,
        "wecom": False,
        "sms": True,
    }
    cadences = selectors.kind_cadences(user=city.liaison)
    assert (cadences["comment"], cadences["reminder"], cadences["assigned"]) == ("off", "digest", "")
    assert EmailPreference.objects.get(user=city.liaison, kind="assigned").email is True
    # Nobody else's choices changed.
    assert not ChannelPreference.objects.exclude(user=city.liaison).exists()


def test_off_keeps_the_notice_in_the_inbox_and_sends_it_nowhere_digest_holds_it(
    city, django_capture_on_commit_callbacks
):
    city.liaison.email = "l@example.cn"
    city.liaison.save()
    services.kind_cadences_save(
        user=city.liaison, cadences={"reminder": Cadence.OFF, "reply": Cadence.DIGEST}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[city.liaison], kind="reminder", title="催办")
        services.notify(recipients=[city.liaison], kind="reply", title="回复")
        services.notify(recipients=[city.liaison], kind="assigned", title="交办")
    assert dict(Notification.objects.values_list("kind", "held")) == {
        "reminder": False,
        "reply": True,
        "assigned": False,
    }
    assert list(Delivery.objects.values_list("notification__kind", flat=True)) == ["assigned"]


def test_an_urgent_notice_is_never_held_for_the_digest(city):
    services.kind_cadences_save(user=city.liaison, cadences={"overdue": Cadence.DIGEST})
    services.notify(recipients=[city.liaison], kind="overdue", title="红灯")
    assert Notification.objects.get().held is False


def test_the_digest_groups_what_happened_by_kind(city, settings, django_capture_on_commit_callbacks):
    user = city.liaison
    services.kind_cadences_save(
        user=user, cadences=dict.fromkeys(("assigned", "nearing_deadline", "reply"), Cadence.DIGEST)
    )
    for kind, title in (
        ("reply", "单位回复：甲"),
        ("assigned", "交办：乙"),
        ("nearing_deadline", "临近：丙"),
        ("assigned", "交办：丁"),
    ):
        services.notify(recipients=[user], kind=kind, title=title, url="/directives/1/")
    monday = timezone.make_aware(datetime(2026, 11, 30, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(now=monday) == 1
    body = Notification.objects.get(kind=NotificationKind.DIGEST).body
    lines = body.splitlines()
    assert lines[0] == "【交办】（2）"
    assert lines.index("【临近期限】（1）") < lines.index("【督办回复】（1）")
    assert "1. 交办：乙" in body and "2. 交办：丁" in body and "4. 单位回复：甲" in body


def test_the_services_refuse_others_and_unknown_choices(city):
    from duban.core.errors import Invalid, NotPermitted

    with pytest.raises(NotPermitted):
        services.channel_switches_save(switches={"sms": False}, by=city.liaison)
    with pytest.raises(NotPermitted):
        services.delivery_resend(deliveries=[], by=city.liaison)
    with pytest.raises(Invalid):
        services.kind_cadences_save(user=city.liaison, cadences={"reply": "weekly"})
    with pytest.raises(Invalid):
        services.channel_preferences_save(user=city.liaison, channels={"fax": True})
