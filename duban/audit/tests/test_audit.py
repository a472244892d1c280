"""Every change lands in the audit trail with its channel and field changes; nobody edits an entry."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.urls import reverse

from duban.audit.models import AuditEntry, Channel
from duban.organisation import services
from duban.organisation.tests.sheets import import_units, unit_sheet
from duban.tests.factories import TEST_PASSWORD


def entries_for(obj):
    return AuditEntry.objects.filter(content_type__model=type(obj)._meta.model_name, object_pk=str(obj.pk))


def latest_update(obj) -> AuditEntry:
    return entries_for(obj).filter(action=AuditEntry.Action.UPDATE).order_by("-pk").first()


def edit_form(unit, **changes):
    data = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "aliases": "、".join(unit.aliases),
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "sort_order": unit.sort_order,
        "is_active": "on" if unit.is_active else "",
        "expected_version": unit.version,
    }
    data.update(changes)
    return data


def test_an_update_through_a_page_is_recorded_with_the_web_channel_and_field_changes(city, client_for):
    response = client_for(city.office).post(
        reverse("organisation:unit_edit", args=[city.housing.pk]),
        edit_form(city.housing, short_name="住建局"),
    )
    assert response.status_code == 302
    entry = latest_update(city.housing)
    assert entry.channel == Channel.WEB
    assert entry.actor == city.office
    assert entry.changes_dict["short_name"] == ["市住建局", "住建局"]


def test_an_update_through_the_api_with_a_token_is_recorded_with_the_api_channel_and_actor(city, client):
    token = client.post("/api/auth/token/", {"username": "office", "password": TEST_PASSWORD}).json()["token"]
    response = client.patch(
        f"/api/units/{city.housing.pk}/",
        {"short_name": "住建"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200
    entry = latest_update(city.housing)
    assert entry.channel == Channel.API
    assert entry.actor == city.office
    assert entry.changes_dict["short_name"] == ["市住建局", "住建"]


def test_an_update_through_an_import_is_recorded_with_the_import_channel(city):
    sheet = unit_sheet([["C-ZJ", "测试市住房和城乡建设局", "住建", "", "市直部门", "C", 0, "是"]])
    import_units(sheet, by=city.office)
    entry = latest_update(city.housing)
    assert entry.channel == Channel.IMPORT
    assert entry.actor == city.office
    assert entry.changes_dict["short_name"] == ["市住建局", "住建"]


def test_a_leaders_portfolio_change_is_recorded(city):
    services.leader_update(
        leader=city.leader, by=city.office, expected_version=city.leader.version, units=[city.housing]
    )
    changes = [e.changes_dict for e in entries_for(city.leader)]
    assert any("units" in c for c in changes)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_an_attempt_to_change_an_entry_through_the_api_is_refused(city, api_client_for, method):
    entry = AuditEntry.objects.first()
    before = (entry.changes, entry.object_repr)
    response = getattr(api_client_for(city.office), method)(
        f"/api/audit/{entry.pk}/", {"object_repr": "x"}, format="json"
    )
    assert response.status_code == 405
    entry.refresh_from_db()
    assert (entry.changes, entry.object_repr) == before


def test_saving_a_changed_entry_is_refused_by_the_application(city):
    entry = AuditEntry.objects.first()
    entry.object_repr = "tampered"
    with pytest.raises(PermissionDenied):
        entry.save()


def test_deleting_an_entry_is_refused_by_the_application(city):
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.first().delete()


def test_a_bulk_update_of_entries_is_refused_by_the_database(city):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(object_repr="tampered")
    assert not AuditEntry.objects.filter(object_repr="tampered").exists()


def test_the_office_browses_the_audit_trail_and_filters_by_channel(city, client_for):
    import_units(
        unit_sheet([["C-ZJ", "测试市住房和城乡建设局", "住建", "", "市直部门", "C", 0, "是"]]), by=city.office
    )
    page = client_for(city.office).get(reverse("audit:entry_list"), {"channel": Channel.IMPORT})
    assert page.status_code == 200
    assert {e.channel for e in page.context["page_obj"]} == {Channel.IMPORT}


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_only_the_office_browses_the_audit_trail(city, client_for, api_client_for, who):
    user = getattr(city, who)
    assert client_for(user).get(reverse("audit:entry_list")).status_code == 403
    assert api_client_for(user).get("/api/audit/").status_code == 403


def test_each_object_shows_its_own_history(city, client_for):
    services.unit_update(
        unit=city.finance, by=city.office, expected_version=city.finance.version, short_name="财政"
    )
    page = client_for(city.office).get(
        reverse("audit:object_history", args=["organisation", "unit", city.finance.pk])
    )
    assert page.status_code == 200
    assert all(e.object_pk == str(city.finance.pk) for e in page.context["page_obj"])
    assert "财政" in page.content.decode()


def test_a_liaison_cannot_read_the_history_of_another_units_record(city, client_for):
    url = reverse("audit:object_history", args=["organisation", "unit", city.housing.pk])
    assert client_for(city.liaison).get(url).status_code == 404


def test_the_admin_site_offers_no_way_to_change_or_delete_an_entry(city, client_for):
    entry = AuditEntry.objects.first()
    client = client_for(city.admin)
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"object_repr": "x"}).status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
