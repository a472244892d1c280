"""The history of a PPP object is readable exactly when the object's own page is (the same selector)."""

import pytest
from django.urls import reverse

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
