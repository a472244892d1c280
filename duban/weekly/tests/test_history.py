"""The audit history of the weekly models is readable exactly when the page that shows the object is:
a leader never reads the items of a draft report through `/audit/weekly/reportitem/<id>/`, nor another
unit its report (issue 10, item 3)."""

import pytest
from django.urls import reverse

from duban.weekly import services

from .conftest import fill

USERS = ["office", "liaison", "housing_liaison", "county_liaison", "leader_user", "finance_user"]


def history(obj) -> str:
    meta = obj._meta
    return reverse("audit:object_history", args=[meta.app_label, meta.model_name, obj.pk])


def pages(finance_report, weekly=None):
    """(object, the page that shows it) for each weekly model whose history may be opened."""
    report, item = finance_report, finance_report.items.first()
    shown = [
        (report, reverse("weekly:report_detail", args=[report.pk])),
        (item, reverse("weekly:report_detail", args=[report.pk])),
    ]
    if weekly is not None:
        shown += [
            (weekly, reverse("weekly:meeting_detail", args=[weekly.pk])),
            (weekly.agenda.first(), reverse("weekly:meeting_detail", args=[weekly.pk])),
        ]
    return shown


def assert_history_follows_the_page(client, user, shown):
    client.force_login(user)
    for obj, page in shown:
        page_status = client.get(page).status_code
        history_status = client.get(history(obj)).status_code
        assert page_status in (200, 404), (user.username, page, page_status)
        assert history_status == page_status, (user.username, type(obj).__name__, page_status, history_status)


def test_a_leader_reads_no_history_of_a_draft_reports_items(city, finance_report, client_for):
    item = finance_report.items.first()
    services.item_save(item=item, by=city.liaison, done_this_week="草稿内容", percent=5)
    client = client_for(city.leader_user)
    assert client.get(reverse("weekly:report_detail", args=[finance_report.pk])).status_code == 404
    assert client.get(history(item)).status_code == 404
    assert client.get(history(finance_report)).status_code == 404


@pytest.mark.parametrize("who", USERS)
def test_the_history_of_a_draft_is_read_by_whoever_reads_the_draft(city, finance_report, client, who):
    fill(finance_report, city.liaison)
    assert_history_follows_the_page(client, getattr(city, who), pages(finance_report))


@pytest.mark.parametrize("who", USERS)
def test_the_history_of_a_submitted_report_and_the_meeting_follows_their_pages(
    city, finance_report, weekly, client, who
):
    assert_history_follows_the_page(client, getattr(city, who), pages(finance_report, weekly))


def test_the_bulletin_history_is_for_its_readers(city, cycle, client_for):
    bulletin = services.bulletin_request(cycle=cycle, by=city.office)
    assert client_for(city.leader_user).get(history(bulletin)).status_code == 200
    assert client_for(city.liaison).get(history(bulletin)).status_code == 404


def test_a_cycles_history_is_open_to_all_who_see_the_cycles(city, cycle, client_for):
    for user in (city.office, city.liaison, city.leader_user):
        assert client_for(user).get(history(cycle)).status_code == 200


def test_the_report_page_links_its_history(city, finance_report, client_for):
    page = client_for(city.liaison).get(reverse("weekly:report_detail", args=[finance_report.pk]))
    assert history(finance_report) in page.content.decode()
