import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from duban.accounts.roles import Role
from duban.notifications import services
from duban.notifications.models import (
    Delivery,
    DeliveryState,
    EmailPreference,
    Notification,
    NotificationKind,
)
from duban.tests.factories import UserFactory


def _users(n, **fields):
    return [UserFactory(email=f"u{i}@example.cn", **fields) for i in range(n)]


def test_notify_puts_one_row_in_each_recipients_inbox(city):
    count = services.notify(
        recipients=[city.liaison, city.housing_liaison],
        kind=NotificationKind.ASSIGNED,
        title="交办：加快专项债券项目开工",
        body="请于12月1日前报送进展。",
        url="/directives/1/",
        sender=city.office,
    )
    assert count == 2
    rows = Notification.objects.order_by("recipient__username")
    assert [r.recipient for r in rows] == [city.housing_liaison, city.liaison]
    assert {(r.kind, r.title, r.sender_id, r.read_at) for r in rows} == {
        ("assigned", "交办：加快专项债券项目开工", city.office.pk, None)
    }


def _queries_to_notify(recipients) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.notify(recipients=recipients, kind=NotificationKind.REMINDER, title="催办")
    return len(queries)


@pytest.mark.django_db
def test_notify_takes_the_same_number_of_queries_for_two_or_forty_recipients():
    # The inbox insert, the choices for the kind, the office's switches, the channel choices, the
    # deliveries' insert; the units' robots when a robot channel is on.
    assert _queries_to_notify(_users(2)) == _queries_to_notify(_users(40)) <= 6


def test_notify_skips_duplicates_inactive_users_and_the_sender(city):
    inactive = UserFactory(username="gone", is_active=False)
    count = services.notify(
        recipients=[city.liaison, city.liaison, inactive, city.office, None],
        kind=NotificationKind.COMMENT,
        title="领导批示",
        sender=city.office,
    )
    assert count == 1
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["liaison"]


def test_notify_accepts_a_queryset_of_recipients(city):
    UserFactory(username="finance2", role=Role.LIAISON, unit=city.finance)
    count = services.notify(
        recipients=services.recipients_for_unit(city.finance), kind=NotificationKind.ASSIGNED, title="交办"
    )
    assert count == 2


@pytest.mark.django_db
def test_notify_with_no_recipients_does_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.notify(recipients=[], kind=NotificationKind.CLOSED, title="办结") == 0


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["", "assign", "逾期"])
def test_notify_refuses_an_unknown_kind(kind):
    with pytest.raises(ValueError):
        services.notify(recipients=_users(1), kind=kind, title="x")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/", "directives/1/"])
def test_notify_refuses_a_link_that_is_not_a_path_or_web_address(url):
    with pytest.raises(ValueError):
        services.notify(recipients=_users(1), kind=NotificationKind.ASSIGNED, title="x", url=url)


@pytest.mark.django_db
def test_a_long_title_is_shortened_not_refused():
    services.notify(recipients=_users(1), kind=NotificationKind.ASSIGNED, title="长" * 400)
    title = Notification.objects.get().title
    assert len(title) == 255 and title.endswith("…")


def test_recipients_for_unit_are_its_active_liaisons_only(city):
    UserFactory(username="finance-old", role=Role.LIAISON, unit=city.finance, is_active=False)
    assert list(services.recipients_for_unit(city.finance)) == [city.liaison]
    assert list(services.recipients_for_unit(city.county)) == [city.county_liaison]


def test_recipients_for_office_are_the_active_office_staff(city):
    UserFactory(username="office-old", role=Role.OFFICE, unit=city.root, is_active=False)
    assert list(services.recipients_for_office()) == [city.office]


# Email


def _send(recipients, kind, capture):
    with capture(execute=True):
        return services.notify(recipients=recipients, kind=kind, title="关于重点工作", url="/directives/7/")


@pytest.mark.django_db
def test_assignment_is_emailed_by_default_one_message_per_recipient(django_capture_on_commit_callbacks):
    users = _users(3)
    _send(users, NotificationKind.ASSIGNED, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "关于重点工作" in mail.outbox[0].subject
    assert "/directives/7/" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [NotificationKind.COMMENT, NotificationKind.NEARING_DEADLINE])
def test_comments_and_nearing_deadline_are_not_emailed_by_default(kind, django_capture_on_commit_callbacks):
    assert _send(_users(2), kind, django_capture_on_commit_callbacks) == 2
    assert mail.outbox == []


@pytest.mark.django_db
def test_email_preferences_are_respected_per_user_and_kind(django_capture_on_commit_callbacks):
    opted_out, opted_in, default = _users(3)
    EmailPreference.objects.create(user=opted_out, kind=NotificationKind.OVERDUE, email=False)
    EmailPreference.objects.create(user=opted_in, kind=NotificationKind.COMMENT, email=True)
    # opted_out's choice is about "overdue" only; opted_in still has the default for "overdue".
    _send([opted_out, opted_in, default], NotificationKind.OVERDUE, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([opted_in.email, default.email])
    mail.outbox.clear()
    _send([opted_out, opted_in, default], NotificationKind.COMMENT, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [opted_in.email]
    assert Notification.objects.count() == 6


def test_users_without_an_email_address_get_the_inbox_only(city, django_capture_on_commit_callbacks):
    assert _send([city.liaison], NotificationKind.ASSIGNED, django_capture_on_commit_callbacks) == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_email_leaves_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(recipients=_users(2), kind=NotificationKind.ASSIGNED, title="交办")
        raise RuntimeError("the transition failed")
    assert mail.outbox == []
    assert Notification.objects.count() == 0


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


@pytest.mark.django_db
def test_a_failing_mail_server_is_logged_not_raised(settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with caplog.at_level(logging.WARNING, logger="duban.notifications.services"):
        assert _send(_users(2), NotificationKind.RETURNED, django_capture_on_commit_callbacks) == 2
    assert Notification.objects.count() == 2
    assert len([r for r in caplog.records if "not sent" in r.getMessage()]) == 2
    # Each failure is on its delivery, to be tried again.
    assert {(d.state, d.attempts, "smtp down" in d.last_error) for d in Delivery.objects.all()} == {
        (DeliveryState.PENDING, 1, True)
    }


def test_the_services_refuse_with_the_core_errors(city):
    from duban.core.errors import Invalid, NotPermitted

    from .factories import NotificationFactory

    with pytest.raises(NotPermitted):
        services.notification_mark_read(
            notification=NotificationFactory(recipient=city.liaison), user=city.office
        )
    with pytest.raises(Invalid):
        services.email_preferences_save(user=city.liaison, preferences={"gossip": True})
