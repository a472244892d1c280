import pytest
from django.utils import timezone

from duban.notifications.models import Notification

from .factories import NotificationFactory

URL = "/api/notifications/"


def test_api_lists_only_the_callers_notifications(city, api_client_for):
    mine = NotificationFactory(recipient=city.liaison)
    NotificationFactory(recipient=city.housing_liaison)
    body = api_client_for(city.liaison).get(URL).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["is_read"] is False


@pytest.mark.parametrize("who", ["office", "admin"])
def test_the_office_reads_no_one_elses_notifications_through_the_api(city, api_client_for, who):
    n = NotificationFactory(recipient=city.liaison)
    client = api_client_for(getattr(city, who))
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{n.pk}/").status_code == 404


def test_api_filters_unread(city, api_client_for):
    unread = NotificationFactory(recipient=city.liaison)
    NotificationFactory(recipient=city.liaison, read_at=timezone.now())
    body = api_client_for(city.liaison).get(URL, {"unread": "true"}).json()
    assert [row["id"] for row in body["results"]] == [unread.pk]


def test_api_marks_own_notification_read(city, api_client_for):
    n = NotificationFactory(recipient=city.liaison)
    response = api_client_for(city.liaison).post(f"{URL}{n.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("who", ["housing_liaison", "office"])
def test_api_refuses_to_mark_another_users_notification(city, api_client_for, who):
    n = NotificationFactory(recipient=city.liaison)
    assert api_client_for(getattr(city, who)).post(f"{URL}{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_api_read_all_and_unread_count(city, api_client_for):
    NotificationFactory.create_batch(3, recipient=city.liaison)
    other = NotificationFactory(recipient=city.housing_liaison)
    client = api_client_for(city.liaison)
    assert client.get(f"{URL}unread-count/").json() == {"count": 3}
    assert client.post(f"{URL}read-all/").json() == {"count": 3}
    assert client.get(f"{URL}unread-count/").json() == {"count": 0}
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_api_is_read_only_apart_from_the_read_actions(city, api_client_for):
    n = NotificationFactory(recipient=city.liaison)
    client = api_client_for(city.liaison)
    assert client.patch(f"{URL}{n.pk}/", {"title": "改"}, format="json").status_code == 405
    assert client.delete(f"{URL}{n.pk}/").status_code == 405
    assert client.post(URL, {"title": "新"}, format="json").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"), [("get", URL), ("post", f"{URL}1/read/"), ("post", f"{URL}read-all/")]
)
def test_api_refuses_anonymous_callers(client, method, path):
    assert getattr(client, method)(path).status_code in (401, 403)
