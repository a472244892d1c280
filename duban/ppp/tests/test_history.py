"""The history of a PPP object is readable exactly when the object's own page is (the same selector)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from duban.audit.models import AuditEntry
from duban.audit.tests.test_lists import filler_entries

pytestmark = pytest.mark.django_db
ROLES = ["office", "finance_user", "leader_user", "liaison", "county_liaison", "housing_liaison"]


def history(obj) -> str:
    meta = obj._meta
    return reverse("audit:object_history", args=[meta.app_label, meta.model_name, obj.pk])


@pytest.mark.parametrize(
    ("target", "page"),
    [
        ("project", "ppp:project_detail"),
        ("review", "ppp:review_detail"),
        ("task", "ppp:task_detail"),
        ("campaign", "ppp:campaign_detail"),
    ],
)
def test_whoever_opens_the_page_reads_the_history_and_nobody_else(city, client_for, task, target, page):
    obj = {"project": task.project, "review": task.review, "task": task, "campaign": task.review.campaign}[
        target
    ]
    for role in ROLES:
        client = client_for(getattr(city, role))
        opens_page = client.get(reverse(page, args=[obj.pk])).status_code == 200
        assert (client.get(history(obj)).status_code == 200) is opens_page, role


def test_every_page_of_the_trail_and_a_reviews_history_render_an_entry_naming_items(city, client_for, review):
    """auditlog writes a review's reverse relation `items` down as a change: a template reading
    `changes.items` would take that key for the dict's method and fail (issue 12 item 7)."""
    review_type = ContentType.objects.get_for_model(review)
    entry = AuditEntry.objects.get(
        content_type=review_type, object_pk=str(review.pk), action=AuditEntry.Action.CREATE
    )
    assert "items" in entry.changes
    filler_entries(120)  # the review's entry is on page 3 of 50
    assert list(AuditEntry.objects.values_list("pk", flat=True)).index(entry.pk) // 50 + 1 == 3
    client = client_for(city.office)
    page = client.get(reverse("audit:entry_list"), {"page": 3})
    assert page.status_code == 200 and entry in page.context["page_obj"]
    response = client.get(history(review))
    assert response.status_code == 200 and entry in response.context["page_obj"]
