"""An object's history is readable exactly when the object's own page is: a wrong user gets a 404."""

import pytest
from django.urls import reverse

from duban.notifications.models import EmailPreference
from duban.notifications.tests.factories import NotificationFactory
from duban.workcalendar.models import CalendarOverride


def history(obj) -> str:
    meta = obj._meta
    return reverse("audit:object_history", args=[meta.app_label, meta.model_name, obj.pk])


def other_units_unit(city):
    return city.liaison, city.housing


def someone_elses_notification(city):
    return city.office, NotificationFactory(recipient=city.liaison)


def someone_elses_email_choice(city):
    return city.office, EmailPreference.objects.create(user=city.liaison, kind="comment", email=True)


def an_account_outside_the_office(city):
    return city.liaison, city.liaison


def a_calendar_override_outside_the_office(city):
    return city.leader_user, CalendarOverride.objects.create(day="2099-01-01", is_working_day=False)


@pytest.mark.parametrize(
    "case",
    [
        other_units_unit,
        someone_elses_notification,
        someone_elses_email_choice,
        an_account_outside_the_office,
        a_calendar_override_outside_the_office,
    ],
)
def test_a_wrong_user_gets_404_from_the_history_of_what_they_cannot_open(city, client_for, case):
    user, obj = case(city)
    assert client_for(user).get(history(obj)).status_code == 404


def test_the_owner_reads_the_history_of_their_own_notification(city, client_for):
    notification = NotificationFactory(recipient=city.liaison)
    assert client_for(city.liaison).get(history(notification)).status_code == 200


def test_whoever_sees_a_unit_reads_its_history(city, client_for):
    assert client_for(city.liaison).get(history(city.finance)).status_code == 200
    page = client_for(city.liaison).get(reverse("organisation:unit_detail", args=[city.finance.pk]))
    assert history(city.finance) in page.content.decode()


def test_every_signed_in_user_reads_a_leaders_history_as_they_read_the_leaders_list(city, client_for):
    assert client_for(city.county_liaison).get(history(city.leader)).status_code == 200


def test_each_apps_declared_readers_are_found_when_the_apps_are_ready():
    from duban.audit.registry import _READERS
    from duban.bonds import selectors as bonds
    from duban.bonds.models import BondProject, Spending
    from duban.directives import selectors as directives
    from duban.directives.models import Directive

    assert _READERS[Directive] is directives.directive_list
    assert _READERS[BondProject] is bonds.project_list
    assert _READERS[Spending] is bonds.HISTORY_READERS[Spending]
