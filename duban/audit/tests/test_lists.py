"""The audit trail's one FilterSet: the page and the API answer the same query with the same entries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from duban.audit.models import AuditEntry, Channel
from duban.organisation import services
from duban.organisation.models import Unit
from duban.organisation.tests.sheets import import_units, unit_sheet
from duban.tests.lists import assert_queries_do_not_grow

PAGE, API = reverse("audit:entry_list"), "/api/audit/"


@pytest.fixture
def trail(city):
    services.unit_update(
        unit=city.finance, by=city.office, expected_version=city.finance.version, short_name="财政"
    )
    import_units(
        unit_sheet([["C-ZJ", "测试市住房和城乡建设局", "住建", "", "市直部门", "C", 0, "是"]]), by=city.office
    )
    return city


QUERIES = {
    "channel": lambda city: {"channel": Channel.IMPORT},
    "action": lambda city: {"action": AuditEntry.Action.CREATE},
    "action and actor": lambda city: {"action": AuditEntry.Action.UPDATE, "actor": "office"},
    "object type": lambda city: {"content_type": ContentType.objects.get_for_model(Unit).pk},
    "object": lambda city: {"object_pk": city.finance.pk},
    "dates": lambda city: {"since": "2000-01-01", "until": "2999-12-31", "channel": Channel.SYSTEM},
}


@pytest.mark.parametrize("name", QUERIES)
def test_the_page_and_the_api_filter_the_trail_alike(trail, page_and_api_agree, name):
    query = QUERIES[name](trail)
    rows = page_and_api_agree(trail.office, PAGE, API, query)
    assert rows
    entries = AuditEntry.objects.filter(pk__in=rows)
    for field in ("channel", "action", "object_pk"):
        if field in query:
            assert {str(getattr(e, field)) for e in entries} == {str(query[field])}


def test_an_invalid_action_is_a_400_through_the_api_and_left_out_on_the_page(
    trail, client_for, api_client_for
):
    response = api_client_for(trail.office).get(API, {"action": "explode"})
    assert response.status_code == 400
    assert "action" in response.json()["fields"]
    page = client_for(trail.office).get(PAGE, {"action": "explode", "channel": Channel.IMPORT})
    assert page.status_code == 200
    assert {e.channel for e in page.context["page_obj"]} == {Channel.IMPORT}


def test_a_date_the_api_cannot_read_is_a_400(trail, api_client_for):
    assert api_client_for(trail.office).get(API, {"since": "2026-02-30"}).status_code == 400


def test_the_object_types_offered_are_business_data_only(trail, client_for):
    form = client_for(trail.office).get(PAGE).context["filterset"].form
    labels = {ct.app_label for ct in form.fields["content_type"].queryset}
    assert "organisation" in labels
    assert not labels & {"audit", "notifications", "sessions", "auth"}


def test_audit_list_queries_do_not_grow_with_the_number_of_entries(city, client_for):
    def edit_thirty_times():
        for n in range(30):
            services.unit_update(
                unit=city.housing, by=city.office, expected_version=city.housing.version + n, sort_order=n + 1
            )

    assert_queries_do_not_grow(client_for(city.office), PAGE, add_rows=edit_thirty_times, most=20)


def filler_entries(n: int) -> None:
    unit_type = ContentType.objects.get_for_model(Unit)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            content_type=unit_type, object_pk=str(i), object_repr=f"单位{i}", action=AuditEntry.Action.UPDATE
        )
        for i in range(n)
    )


def test_the_page_size_is_capped_on_the_page_and_through_the_api(city, client_for, api_client_for):
    from duban.core.api.pagination import StandardPagination
    from duban.core.pagination import MAX_PAGE_SIZE

    filler_entries(MAX_PAGE_SIZE + 20)
    page = client_for(city.office).get(PAGE, {"page_size": 100000})
    assert page.status_code == 200 and len(page.context["page_obj"]) == MAX_PAGE_SIZE
    api = api_client_for(city.office).get(API, {"page_size": 100000})
    assert api.status_code == 200
    assert len(api.json()["results"]) == min(StandardPagination.max_page_size, AuditEntry.objects.count())
    assert len(api.json()["results"]) <= StandardPagination.max_page_size
