"""/metrics answers the monitoring system: the signed-in office and administrators, or a scraper with
the configured bearer token. Everyone else is refused: 401 without credentials, 403 for other users."""

import pytest
from django.urls import reverse

TOKEN = "scrape-token-0123456789abcdef"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.DUBAN_METRICS_TOKEN = TOKEN


def _is_exposition(response) -> bool:
    text = response.content.decode()
    return (
        response["Content-Type"].startswith("text/plain") and 'duban_health_up{check="database"} 1.0' in text
    )


def test_the_office_and_the_administrator_read_the_metrics(city, client_for):
    for user in (city.office, city.admin):
        response = client_for(user).get(reverse("metrics"))
        assert response.status_code == 200, user
        assert _is_exposition(response)
        assert "no-store" in response["Cache-Control"]


def test_a_scraper_with_the_token_reads_the_request_and_job_figures(db, client):
    client.get("/healthz")  # a request for the middleware to count
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    assert _is_exposition(response)
    for name in (
        "django_http_requests_latency_seconds_by_view_method",
        "duban_jobs_queued",
        "duban_jobs_oldest_due_seconds",
    ):
        assert name in text


def test_an_anonymous_caller_is_asked_to_authenticate(db, client):
    response = client.get(reverse("metrics"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "duban_" not in response.content.decode()


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", "Bearer ", f"Token {TOKEN}", f"Basic {TOKEN}"])
def test_a_wrong_token_is_refused(db, client, header):
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "duban_" not in response.content.decode()


def test_no_token_is_accepted_when_none_is_configured(db, client, settings):
    settings.DUBAN_METRICS_TOKEN = None
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 401
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer None").status_code == 401


@pytest.mark.parametrize("role", ["leader_user", "liaison", "county_liaison", "finance_user"])
def test_other_signed_in_users_are_refused(city, client_for, role):
    response = client_for(getattr(city, role)).get(reverse("metrics"))
    assert response.status_code == 403
    assert "duban_" not in response.content.decode()


def test_a_wrong_token_does_not_fall_back_to_the_session(city, client_for):
    response = client_for(city.liaison).get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer guess")
    assert response.status_code == 401
