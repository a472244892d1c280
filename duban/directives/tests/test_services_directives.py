"""Two people editing one directive: the second save is refused and says what changed."""

from datetime import date

import pytest
from django.urls import reverse

from duban.core.concurrency import EditConflict
from duban.directives import services
from duban.directives.models import Directive

from .factories import directive_input


def post_edit(client, directive, **fields):
    """The office's edit page of the directive, posted with its title changed (and `fields`)."""
    data = directive_input(
        theme=directive.theme,
        lead_unit=directive.lead_unit,
        source=directive.source,
        title="改了标题",
        **fields,
    )
    return client.post(reverse("directives:edit", args=[directive.pk]), data)


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
    response = post_edit(client_for(city.office), directive, expected_version=form_version)
    assert response.status_code == 200
    assert "其他人已修改" in response.content.decode()
    assert Directive.objects.get(pk=directive.pk).title == directive.title


def test_the_edit_page_saves_when_nobody_else_did(city, directive, client_for):
    response = post_edit(
        client_for(city.office), directive, co_units=[city.county.pk], expected_version=directive.version
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


def test_an_edit_writes_what_changed_on_the_timeline_and_no_change_writes_nothing(city, directive):
    from duban.directives.models import EventKind

    version = directive.version
    edited = services.directive_update(
        directive=directive, by=city.office, expected_version=version, deadline=date(2026, 11, 30)
    )
    assert edited.version == version + 1
    assert directive.events.get(kind=EventKind.EDITED).note == "修改了：办理时限"
    same = services.directive_update(
        directive=directive, by=city.office, expected_version=edited.version, deadline=date(2026, 11, 30)
    )
    assert same.version == edited.version and directive.events.filter(kind=EventKind.EDITED).count() == 1


def test_a_closed_directive_is_not_edited(city, directive):
    from duban.core.errors import Invalid
    from duban.directives.models import State

    Directive.objects.filter(pk=directive.pk).update(state=State.CLOSED)
    with pytest.raises(Invalid, match="已办结"):
        services.directive_update(
            directive=directive, by=city.office, expected_version=directive.version, title="改"
        )


def test_another_capability_names_the_source_and_priority_of_the_directive_it_opens(city):
    from duban.core.errors import Invalid
    from duban.directives.models import Priority, Source, State
    from duban.tests.factories import ThemeFactory

    fields = {
        "title": "整改",
        "theme": ThemeFactory(),
        "lead_unit": city.finance,
        "deadline": date(2026, 12, 31),
    }
    directive = services.directive_create_from(
        by=city.office, source="key_work", priority="important", **fields
    )
    assert (directive.source, directive.priority, directive.state) == (
        Source.KEY_WORK,
        Priority.IMPORTANT,
        State.ASSIGNED,
    )
    with pytest.raises(Invalid):
        services.directive_create_from(by=city.office, source="rumour", **fields)
    with pytest.raises(Invalid):
        services.directive_create_from(by=city.office, source="key_work", priority="very", **fields)
