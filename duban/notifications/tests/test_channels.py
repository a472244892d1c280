"""Channels beyond the inbox against a fake endpoint on the loopback address: DingTalk's signed markdown,
WeCom's key, the SMS gateway's token; retries of a channel that answers 500 or times out, the office's
page of failed deliveries and its resend; quiet hours on the working calendar."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.directives import services as directives
from duban.directives.models import State
from duban.directives.tests.factories import DirectiveFactory
from duban.notifications import services
from duban.notifications.models import (
    Channel,
    ChannelPreference,
    ChannelSwitch,
    Delivery,
    DeliveryState,
    Notification,
    NotificationKind,
    UnitRobot,
)
from duban.notifications.services import deliveries
from duban.tests.factories import UserFactory
from duban.workcalendar.models import CalendarOverride

from .fake_robot import SECRET, SMS_TOKEN, WECOM_KEY, FakeRobot


def at(day, hour, minute=0):
    return timezone.make_aware(datetime(2026, 11, day, hour, minute))


SATURDAY, SUNDAY, MONDAY = 28, 29, 30  # November 2026; Monday the 30th is a working day


@pytest.fixture
def fake():
    with FakeRobot() as robot:
        yield robot


@pytest.fixture
def dingtalk(settings, fake):
    settings.DUBAN_DINGTALK_WEBHOOK = fake.url("/robot/send?access_token=platform")
    settings.DUBAN_DINGTALK_SECRET = SECRET
    settings.DUBAN_SITE_URL = "https://duban.example.gov.cn"
    settings.DUBAN_NOTIFY_TIMEOUT = 2
    return fake


def _notify(capture, recipients, kind=NotificationKind.REMINDER, **extra):
    with capture(execute=True):
        return services.notify(
            recipients=recipients, kind=kind, title="请报送进展", url="/directives/7/", **extra
        )


# --- the done-when: `duban notify test liaison --channel dingtalk` -----------------------------------


def test_notify_test_delivers_one_signed_markdown_message_that_the_fake_verifies(city, dingtalk, capsys):
    call_command("notify", "test", city.liaison.username, "--channel", "dingtalk")
    assert dingtalk.refused == []
    [message] = dingtalk.received
    assert message["query"]["access_token"] == "platform"
    assert message["json"]["msgtype"] == "markdown"
    markdown = message["json"]["markdown"]
    assert markdown["title"] == "督办平台测试消息"
    assert "[查看详情](https://duban.example.gov.cn/notifications/)" in markdown["text"]
    out = capsys.readouterr().out
    assert "钉钉群机器人" in out and "已发送" in out
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.channel) == (DeliveryState.SENT, 1, Channel.DINGTALK)
    assert Notification.objects.get(recipient=city.liaison).kind == NotificationKind.TEST


def test_a_wrong_secret_is_refused_by_the_fake_and_the_command_says_so(city, dingtalk, settings, capsys):
    settings.DUBAN_DINGTALK_SECRET = "SECwrong"
    with pytest.raises(CommandError) as refused:
        call_command("notify", "test", city.liaison.username, "--channel", "dingtalk")
    assert refused.value.returncode == 1
    assert dingtalk.received == [] and dingtalk.refused == ["sign not match"]
    assert "errcode 310000: sign not match" in capsys.readouterr().out


def test_notify_test_without_a_configured_channel_is_a_usage_error(city):
    with pytest.raises(CommandError) as refused:
        call_command("notify", "test", city.liaison.username, "--channel", "wecom")
    assert refused.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("notify", "test", "nobody-of-that-name")


# --- formats -------------------------------------------------------------------------------------------


def test_a_units_robot_gets_one_post_for_all_its_liaisons_and_other_units_the_platform_robot(
    city, dingtalk, django_capture_on_commit_callbacks
):
    UnitRobot.objects.create(
        unit=city.finance,
        channel=Channel.DINGTALK,
        webhook=dingtalk.url("/robot/send?access_token=finance"),
        secret=SECRET,
    )
    second = UserFactory(unit=city.finance)
    _notify(django_capture_on_commit_callbacks, [city.liaison, second, city.housing_liaison])
    tokens = sorted(m["query"]["access_token"] for m in dingtalk.received)
    assert tokens == ["finance", "platform"]
    assert "https://duban.example.gov.cn/directives/7/" in dingtalk.received[0]["json"]["markdown"]["text"]
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 2


def test_wecom_gets_markdown_with_its_key_and_sms_the_phone_and_text_with_the_token(
    city, fake, settings, django_capture_on_commit_callbacks
):
    settings.DUBAN_WECOM_WEBHOOK = fake.url(f"/cgi-bin/webhook/send?key={WECOM_KEY}")
    settings.DUBAN_SMS_URL = fake.url("/sms")
    settings.DUBAN_SMS_TOKEN = SMS_TOKEN
    city.liaison.phone = "13800138000"
    city.liaison.save()
    ChannelPreference.objects.create(user=city.liaison, channel=Channel.SMS, enabled=True)
    _notify(django_capture_on_commit_callbacks, [city.liaison])
    assert fake.refused == []
    by_path = {m["path"]: m["json"] for m in fake.received}
    assert by_path["/cgi-bin/webhook/send"]["msgtype"] == "markdown"
    assert "请报送进展" in by_path["/cgi-bin/webhook/send"]["markdown"]["content"]
    assert by_path["/sms"]["phone"] == "13800138000"
    assert "请报送进展" in by_path["/sms"]["text"]


def test_a_channel_the_office_turned_off_or_the_user_declined_sends_nothing(
    city, dingtalk, django_capture_on_commit_callbacks
):
    ChannelPreference.objects.create(user=city.housing_liaison, channel=Channel.DINGTALK, enabled=False)
    _notify(django_capture_on_commit_callbacks, [city.housing_liaison])
    assert Delivery.objects.count() == 0
    ChannelSwitch.objects.create(channel=Channel.DINGTALK, enabled=False)
    _notify(django_capture_on_commit_callbacks, [city.liaison])
    assert Delivery.objects.count() == 0 and dingtalk.received == []
    assert Notification.objects.count() == 2  # the inbox has them all


def test_notify_takes_the_same_queries_for_two_or_thirty_recipients_with_robots_on(city, dingtalk):
    UnitRobot.objects.create(unit=city.finance, channel=Channel.DINGTALK, webhook=dingtalk.url("/robot/send"))

    def queries(users):
        with CaptureQueriesContext(connection) as captured:
            services.notify(recipients=users, kind=NotificationKind.REMINDER, title="催办")
        return len(captured)

    few = [UserFactory(unit=city.finance, email=f"a{i}@example.cn") for i in range(2)]
    many = [UserFactory(unit=city.finance, email=f"b{i}@example.cn") for i in range(30)]
    assert queries(few) == queries(many) <= 6


# --- retries ---------------------------------------------------------------------------------------------


def _assigned(city):
    draft = DirectiveFactory(lead_unit=city.finance, state=State.DRAFT, responsible_leader=city.leader)
    return directives.directive_assign(directive=draft, by=city.office)


def test_a_channel_that_answers_500_is_retried_then_shown_failed_and_the_action_succeeds(
    city, dingtalk, client_for, django_capture_on_commit_callbacks
):
    dingtalk.mode = "500"
    with django_capture_on_commit_callbacks(execute=True):
        directive = _assigned(city)
    directive.refresh_from_db()
    assert directive.state == State.ASSIGNED  # the action that caused the message succeeded
    delivery = Delivery.objects.get(channel=Channel.DINGTALK)
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.PENDING, 1, "HTTP 500")
    moment = delivery.next_attempt_at
    for _try in range(2, 6):
        assert services.deliver_due(now=moment) == 0
        delivery.refresh_from_db()
        moment = delivery.next_attempt_at
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 5)
    # Back-off: 1, 5, 15, 60 minutes between the five tries; nothing more is due.
    assert services.deliver_due(now=moment + timezone.timedelta(days=1)) == 0
    page = client_for(city.office).get(reverse("notifications:delivery_list"), {"state": "failed"})
    assert [d.pk for d in page.context["page_obj"]] == [delivery.pk]
    assert "HTTP 500" in page.content.decode()
    # The endpoint is back: the office resends it.
    dingtalk.mode = "ok"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(city.office).post(reverse("notifications:delivery_resend", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.SENT, 6, "")
    assert len(dingtalk.received) == 1


def test_a_channel_that_times_out_is_recorded_with_the_reason(
    city, dingtalk, settings, django_capture_on_commit_callbacks
):
    settings.DUBAN_NOTIFY_TIMEOUT = 0.3
    dingtalk.mode, dingtalk.delay = "slow", 1.5
    assert _notify(django_capture_on_commit_callbacks, [city.liaison]) == 1
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and "timeout" in delivery.last_error


def test_the_office_resends_the_ticked_or_all_failed_deliveries(
    city, dingtalk, client_for, django_capture_on_commit_callbacks
):
    dingtalk.mode = "500"
    for _n in range(3):
        _notify(django_capture_on_commit_callbacks, [city.liaison])
    Delivery.objects.update(state=DeliveryState.FAILED, attempts=5)
    first, second, third = Delivery.objects.order_by("pk")
    dingtalk.mode = "ok"
    office = client_for(city.office)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("notifications:delivery_resend_bulk"), {"ids": [first.pk, second.pk]})
    assert set(Delivery.objects.filter(state=DeliveryState.SENT).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("notifications:delivery_resend_bulk"), {"all": "1"})
    assert Delivery.objects.get(pk=third.pk).state == DeliveryState.SENT


# --- quiet hours ----------------------------------------------------------------------------------------


@pytest.fixture
def quiet(settings, monkeypatch):
    settings.DUBAN_QUIET_HOURS = True

    def clock(moment):
        monkeypatch.setattr(deliveries, "_now", lambda: moment)

    return clock


def test_a_message_sent_on_a_sunday_is_held_until_monday_nine(
    city, dingtalk, quiet, django_capture_on_commit_callbacks
):
    quiet(at(SUNDAY, 10))
    _notify(django_capture_on_commit_callbacks, [city.liaison])
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.HELD
    assert timezone.localtime(delivery.next_attempt_at) == timezone.localtime(at(MONDAY, 9))
    assert dingtalk.received == []
    assert services.deliver_due(now=at(MONDAY, 8, 59)) == 0
    assert services.deliver_due(now=at(MONDAY, 9)) == 1
    assert len(dingtalk.received) == 1


def test_a_message_sent_on_a_swapped_working_saturday_goes_at_once(
    city, dingtalk, quiet, django_capture_on_commit_callbacks
):
    CalendarOverride.objects.create(day=at(SATURDAY, 0).date(), is_working_day=True, name="调休上班")
    quiet(at(SATURDAY, 10))
    _notify(django_capture_on_commit_callbacks, [city.liaison])
    assert Delivery.objects.get().state == DeliveryState.SENT
    assert len(dingtalk.received) == 1


@pytest.mark.django_db
def test_after_hours_on_a_working_day_a_message_waits_for_the_next_morning_and_before_hours_for_nine(quiet):
    assert deliveries.release_time(at(MONDAY, 18, 30)) == at(MONDAY, 9) + timezone.timedelta(days=1)
    assert deliveries.release_time(at(MONDAY, 7)) == at(MONDAY, 9)
    assert deliveries.release_time(at(MONDAY, 12)) == at(MONDAY, 12)


def test_a_red_light_and_a_leaders_comment_go_at_once_on_a_sunday(
    city, dingtalk, quiet, django_capture_on_commit_callbacks
):
    quiet(at(SUNDAY, 22))
    _notify(django_capture_on_commit_callbacks, [city.liaison], kind=NotificationKind.OVERDUE)
    _notify(
        django_capture_on_commit_callbacks,
        [city.liaison],
        kind=NotificationKind.COMMENT,
        sender=city.leader_user,
    )
    _notify(
        django_capture_on_commit_callbacks, [city.liaison], kind=NotificationKind.COMMENT, sender=city.office
    )
    states = dict(Delivery.objects.values_list("notification__sender_id", "state"))
    assert states[None] == DeliveryState.SENT  # the red light
    assert states[city.leader_user.pk] == DeliveryState.SENT  # the leader's 批示
    assert states[city.office.pk] == DeliveryState.HELD  # a reply from the office waits


def test_notify_test_by_email_sends_one_mail_to_the_users_address(city, capsys):
    from django.core import mail

    city.liaison.email = "liaison@example.gov.cn"
    city.liaison.save()
    call_command("notify", "test", city.liaison.username, "--channel", "email")
    assert [m.to for m in mail.outbox] == [["liaison@example.gov.cn"]]
    assert "liaison@example.gov.cn：已发送" in capsys.readouterr().out


def test_a_rolled_back_action_leaves_no_delivery_and_sends_nothing(
    city, dingtalk, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipients=[city.liaison], kind=NotificationKind.REMINDER, title="催办")
        raise RuntimeError("the transition failed")
    assert Delivery.objects.count() == 0 and dingtalk.received == []
