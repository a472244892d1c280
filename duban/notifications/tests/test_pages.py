import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from duban.notifications import services
from duban.notifications.models import EmailPreference, Notification, NotificationKind

from .factories import NotificationFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_inbox_shows_own_notifications_unread_first(city, client_for):
    read = NotificationFactory(recipient=city.liaison, title="已读的通知", read_at=timezone.now())
    NotificationFactory(recipient=city.liaison, title="未读的通知")
    NotificationFactory(recipient=city.housing_liaison, title="别人的通知")
    response = client_for(city.liaison).get(reverse("notifications:inbox"))
    assert response.status_code == 200
    page = list(response.context["page_obj"])
    assert [n.title for n in page] == ["未读的通知", read.title]
    assert "别人的通知" not in response.content.decode()


def test_the_office_does_not_see_other_peoples_inbox(city, client_for):
    NotificationFactory(recipient=city.liaison, title="联络员的通知")
    response = client_for(city.office).get(reverse("notifications:inbox"))
    assert response.context["page_obj"].paginator.count == 0
    assert "联络员的通知" not in response.content.decode()


@pytest.mark.parametrize("rows", [3, 60])
def test_inbox_queries_do_not_grow_with_notifications(city, client_for, django_assert_max_num_queries, rows):
    NotificationFactory.create_batch(rows, recipient=city.liaison, sender=city.office)
    client = client_for(city.liaison)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("notifications:inbox")).status_code == 200


def test_badge_in_the_navbar_counts_unread(city, client_for):
    NotificationFactory.create_batch(3, recipient=city.liaison)
    NotificationFactory(recipient=city.liaison, read_at=timezone.now())
    html = client_for(city.liaison).get(reverse("cockpit:home")).content.decode()
    assert 'id="notification-badge"' in html
    assert 'text-bg-warning">3<' in html


def test_mark_read_through_htmx_returns_the_row_and_the_badge(city, client_for):
    n = NotificationFactory(recipient=city.liaison)
    NotificationFactory(recipient=city.liaison)
    response = client_for(city.liaison).post(reverse("notifications:mark_read", args=[n.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{n.pk}"' in html
    assert 'hx-swap-oob="true"' in html and 'text-bg-warning">1<' in html
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_without_htmx_redirects_to_the_inbox(city, client_for):
    n = NotificationFactory(recipient=city.liaison)
    response = client_for(city.liaison).post(reverse("notifications:mark_read", args=[n.pk]))
    assert response.status_code == 302
    assert response.url == reverse("notifications:inbox")


@pytest.mark.parametrize("who", ["housing_liaison", "office", "admin", "leader_user"])
@pytest.mark.parametrize("view", ["notifications:mark_read", "notifications:open"])
def test_nobody_marks_or_opens_another_users_notification(city, client_for, who, view):
    n = NotificationFactory(recipient=city.liaison)
    response = client_for(getattr(city, who)).post(reverse(view, args=[n.pk]))
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_read_refuses_get(city, client_for):
    n = NotificationFactory(recipient=city.liaison)
    assert client_for(city.liaison).get(reverse("notifications:mark_read", args=[n.pk])).status_code == 405


def test_mark_all_read_touches_only_own_notifications(city, client_for):
    NotificationFactory.create_batch(2, recipient=city.liaison)
    other = NotificationFactory(recipient=city.housing_liaison)
    response = client_for(city.liaison).post(reverse("notifications:mark_all_read"), **HTMX)
    assert response.status_code == 200
    assert 'id="inbox-list"' in response.content.decode()
    assert not Notification.objects.filter(recipient=city.liaison, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_open_marks_read_and_follows_the_link(city, client_for):
    n = NotificationFactory(recipient=city.liaison, url="/units/")
    response = client_for(city.liaison).post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response.url == "/units/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_open_does_not_follow_a_link_to_another_site(city, client_for):
    n = NotificationFactory(recipient=city.liaison, url="https://evil.example/")
    response = client_for(city.liaison).post(reverse("notifications:open", args=[n.pk]))
    assert response.url == reverse("notifications:inbox")


def test_preferences_form_shows_defaults_and_saves_choices(
    city, client_for, django_capture_on_commit_callbacks
):
    city.liaison.email = "liaison@example.cn"
    city.liaison.save()
    client = client_for(city.liaison)
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form.initial["assigned"] is True and form.initial["comment"] is False
    choices = {kind: "on" for kind in NotificationKind.values if kind != "assigned"}
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    assert EmailPreference.objects.filter(user=city.liaison).count() == len(NotificationKind.values)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[city.liaison], kind="assigned", title="交办")
        services.notify(recipients=[city.liaison], kind="comment", title="批示")
    assert [m.subject.endswith("批示") for m in mail.outbox] == [True]


def test_preferences_of_one_user_do_not_change_anothers(city, client_for):
    client_for(city.liaison).post(reverse("notifications:preferences"), {})
    assert not EmailPreference.objects.filter(user=city.housing_liaison).exists()
    assert not EmailPreference.objects.filter(user=city.liaison, email=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "notifications:inbox", []),
        ("get", "notifications:preferences", []),
        ("post", "notifications:mark_all_read", []),
        ("post", "notifications:mark_read", [1]),
        ("post", "notifications:open", [1]),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, method, name, args):
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
