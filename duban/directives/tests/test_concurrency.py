"""Two people editing one directive: the second save is refused and says what changed."""

from datetime import date

import pytest
from django.urls import reverse

from duban.core.concurrency import EditConflict
from duban.directives import services
from duban.directives.models import Directive


def test_the_second_of_two_edits_is_refused_with_the_other_change_named(city, directive):
    started_at = directive.version
    services.directive_update(
        directive=directive, by=city.office, expected_version=started_at, deadline=date(2026, 11, 30)
    )
    with pytest.raises(EditConflict) as conflict:
        services.directive_update(
            directive=directive, by=city.admin, expected_version=started_at, deadline=date(2026, 10, 31)
        )
    assert "办理时限" in conflict.value.message and "2026-11-30" in conflict.value.message
    assert Directive.objects.get(pk=directive.pk).deadline == date(2026, 11, 30)


def test_a_transition_meanwhile_makes_an_open_edit_form_stale(city, directive, client_for):
    form_version = directive.version
    services.directive_start(directive=directive, by=city.liaison)
    response = client_for(city.office).post(
        reverse("directives:edit", args=[directive.pk]),
        {
            "title": "改了标题",
            "source": directive.source,
            "theme": directive.theme_id,
            "lead_unit": directive.lead_unit_id,
            "deadline": "2026-12-31",
            "priority": 1,
            "expected_version": form_version,
        },
    )
    assert response.status_code == 200
    assert "其他人已修改" in response.content.decode()
    assert Directive.objects.get(pk=directive.pk).title == directive.title


def test_the_edit_page_saves_when_nobody_else_did(city, directive, client_for):
    response = client_for(city.office).post(
        reverse("directives:edit", args=[directive.pk]),
        {
            "title": "改了标题",
            "source": directive.source,
            "theme": directive.theme_id,
            "lead_unit": directive.lead_unit_id,
            "co_units": [city.county.pk],
            "deadline": "2026-12-31",
            "priority": 1,
            "expected_version": directive.version,
        },
    )
    assert response.status_code == 302
    saved = Directive.objects.get(pk=directive.pk)
    assert saved.title == "改了标题" and list(saved.co_units.all()) == [city.county]


def test_the_api_answers_409_to_a_stale_version(city, api_client_for, directive):
    client = api_client_for(city.office)
    first = client.patch(
        f"/api/directives/{directive.pk}/", {"title": "甲", "version": directive.version}, format="json"
    )
    assert first.status_code == 200
    second = client.patch(
        f"/api/directives/{directive.pk}/", {"title": "乙", "version": directive.version}, format="json"
    )
    assert second.status_code == 409
    assert "甲" in second.json()["detail"]


def test_a_stale_transition_through_the_api_is_409(city, api_client_for, directive):
    stale = directive.version
    services.directive_start(directive=directive, by=city.liaison)
    response = api_client_for(city.office).post(
        f"/api/directives/{directive.pk}/transition/",
        {"name": "suspend", "note": "暂停", "version": stale},
        format="json",
    )
    assert response.status_code == 409
