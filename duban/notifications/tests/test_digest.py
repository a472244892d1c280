"""The leader's daily digest: informational notices (a directive assigned in his portfolio, progress
reported) wait for one summary a working day, at the configured local time, for those who read them so
(leaders by default); what needs him (a coordination request addressed to him, a closure) comes at once."""

import re
from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from duban.audit.models import AuditEntry
from duban.core.errors import Invalid, NotPermitted
from duban.directives import services as directives
from duban.directives.models import State
from duban.directives.tests.factories import DirectiveFactory
from duban.notifications import selectors, services
from duban.notifications.models import Cadence, DeliveryPreference, Notification


def at(day, hour, minute=0):
    return timezone.make_aware(datetime(2026, 11, day, hour, minute))


FRIDAY, SATURDAY, MONDAY = 27, 28, 30  # November 2026: Friday and Monday are working days


@pytest.fixture
def leader(city):
    city.leader_user.email = "sun@example.gov.cn"
    city.leader_user.save()
    return city.leader_user


def assigned(city, title="推进专项债券申报"):
    draft = DirectiveFactory(
        lead_unit=city.finance, state=State.DRAFT, responsible_leader=city.leader, title=title
    )
    return directives.directive_assign(directive=draft, by=city.office)


def test_a_leader_reads_assignments_in_the_digest_and_the_units_at_once(city, leader):
    assigned(city)
    held = Notification.objects.get(recipient=leader)
    assert held.held and held.digest is None
    assert selectors.unread_count(user=leader) == 0
    assert not selectors.notification_list(user=leader).exists()
    unit = Notification.objects.get(recipient=city.liaison)
    assert not unit.held and selectors.unread_count(user=city.liaison) == 1


def test_no_mail_goes_out_for_a_held_notice(city, leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assigned(city)
    assert leader.email not in [address for m in mail.outbox for address in m.to]


def test_a_leader_who_chose_at_once_is_told_at_once(city, leader):
    services.delivery_save(user=leader, informational=Cadence.IMMEDIATE)
    assigned(city)
    assert selectors.unread_count(user=leader) == 1


def test_what_needs_the_leader_is_never_held(city, leader):
    directive = assigned(city)
    directive = directives.directive_start(directive=directive, by=city.liaison)
    directive = directives.directive_request_completion(directive=directive, by=city.liaison, note="已完成")
    directives.directive_close(directive=directive, by=city.office)
    closed = Notification.objects.get(recipient=leader, kind="closed")
    assert not closed.held
    assert selectors.unread_count(user=leader) == 1


def test_progress_reported_is_an_informational_notice_for_the_leader(city, leader):
    directive = assigned(city)
    directives.progress_report_add(directive=directive, by=city.liaison, text="完成项目初审", percent=40)
    progress = Notification.objects.get(recipient=leader, kind="progress")
    assert progress.held and "40%" in progress.body


def test_the_digest_goes_out_once_a_working_day_after_its_time(city, leader, settings):
    settings.DUBAN_DIGEST_TIME = "08:30"
    assigned(city, "推进专项债券申报")
    assigned(city, "加快PPP项目清理")
    assert services.send_digests(now=at(FRIDAY, 8, 29)) == 0  # not yet
    assert services.send_digests(now=at(FRIDAY, 8, 31)) == 1
    summary = Notification.objects.get(recipient=leader, kind="digest")
    assert "2 条" in summary.title
    assert "推进专项债券申报" in summary.body and "加快PPP项目清理" in summary.body
    assert "/directives/" in summary.body  # each with its link
    assert summary.url == f"{reverse('notifications:inbox')}?digest={summary.pk}"
    assert set(summary.entries.values_list("title", flat=True)) == {
        "新交办督办事项：推进专项债券申报",
        "新交办督办事项：加快PPP项目清理",
    }
    assert selectors.unread_count(user=leader) == 1  # the summary, not its two notices
    # Once a day: what comes later waits for the next working day (not the weekend).
    assigned(city, "编制乡村振兴规划")
    assert services.send_digests(now=at(FRIDAY, 16)) == 0
    assert services.send_digests(now=at(SATURDAY, 9)) == 0
    assert services.send_digests(now=at(MONDAY, 9)) == 1
    assert Notification.objects.filter(recipient=leader, kind="digest").count() == 2


def test_the_digest_is_mailed_and_reading_it_reads_its_notices(
    city, leader, client_for, django_capture_on_commit_callbacks
):
    assigned(city)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digests(now=at(FRIDAY, 9))
    mailed = [m for m in mail.outbox if leader.email in m.to]
    assert len(mailed) == 1 and "新交办督办事项" in mailed[0].body
    summary = Notification.objects.get(recipient=leader, kind="digest")
    page = client_for(leader).get(summary.url)
    assert [n.kind for n in page.context["page_obj"]] == ["assigned"]
    client_for(leader).post(reverse("notifications:open", args=[summary.pk]))
    assert not Notification.objects.filter(recipient=leader, read_at__isnull=True).exists()


def test_nobody_reads_anothers_digest(city, leader, client_for):
    assigned(city)
    services.send_digests(now=at(FRIDAY, 9))
    summary = Notification.objects.get(recipient=leader, kind="digest")
    page = client_for(city.office).get(summary.url)
    assert page.status_code == 200 and list(page.context["page_obj"]) == []
    assert page.context["digest"] is None
    assert client_for(city.office).post(reverse("notifications:open", args=[summary.pk])).status_code == 404


def test_each_user_sets_his_own_delivery_on_his_settings_page(city, leader, client_for):
    page = client_for(leader).get(reverse("notifications:preferences")).content.decode()
    assert re.search(r'value="digest"[^>]* checked', page)  # leaders read them daily by default
    assert not re.search(r'value="immediate"[^>]* checked', page)
    response = client_for(leader).post(reverse("notifications:preferences"), {"informational": "immediate"})
    assert response.status_code == 302
    assert selectors.delivery(user=leader) == Cadence.IMMEDIATE
    assert selectors.delivery(user=city.liaison) == Cadence.IMMEDIATE  # nobody else's changed
    preference = DeliveryPreference.objects.get(user=leader)
    assert AuditEntry.objects.filter(
        content_type__model="deliverypreference", object_pk=str(preference.pk)
    ).exists()
    client_for(city.liaison).post(reverse("notifications:preferences"), {"informational": "digest"})
    assert selectors.delivery(user=city.liaison) == Cadence.DIGEST
    assert selectors.delivery(user=leader) == Cadence.IMMEDIATE


def test_a_bad_choice_is_refused_and_only_a_signed_in_user_chooses(city):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Invalid):
        services.delivery_save(user=city.liaison, informational="hourly")
    with pytest.raises(NotPermitted):
        services.delivery_save(user=AnonymousUser(), informational=Cadence.DIGEST)


def test_a_coordination_request_reaches_the_leader_at_once(city, leader):
    from duban.weekly import services as weekly
    from duban.weekly.models import WeeklyReport

    DirectiveFactory(lead_unit=city.finance, title="专项债券项目申报")
    weekly.run_cycle(now=at(23, 8))
    report = WeeklyReport.objects.get(unit=city.finance)
    for item in report.items.all():
        weekly.item_save(
            item=item,
            by=city.liaison,
            done_this_week="完成初审",
            percent=50,
            coordination_request="请协调新增债券额度",
            coordination_leader=city.leader,
        )
    weekly.report_submit(report=report, by=city.liaison)
    asked = Notification.objects.get(recipient=leader, kind="coordination")
    assert not asked.held and "请协调新增债券额度" in asked.body
    assert asked.url == reverse("weekly:bulletin", args=[report.cycle_id])
