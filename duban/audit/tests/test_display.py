"""The audit trail reads as the pages do: Chinese names and actions, values as shown elsewhere, long
changes folded; a page of entries names its linked rows with one query per linked model."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from duban.audit.display import readable_entries
from duban.audit.models import AuditEntry
from duban.organisation import services
from duban.tests.lists import assert_queries_do_not_grow

PAGE = reverse("audit:entry_list")


def _entries(obj):
    return AuditEntry.objects.filter(
        content_type__model=type(obj)._meta.model_name, object_pk=str(obj.pk)
    ).select_related("content_type", "actor")


def _change(entry, field):
    (row,) = readable_entries([entry])
    return next(c for c in row.changes if c.field == field)


def test_an_update_reads_in_chinese_with_names_labels_yes_no_and_empty(city):
    unit = city.township
    services.unit_update(
        unit=unit,
        by=city.office,
        expected_version=unit.version,
        parent=city.root,
        kind="other",
        is_active=False,
        aliases=["镇政府", "镇里"],
    )
    entry = _entries(unit).filter(action=AuditEntry.Action.UPDATE).latest("pk")
    (row,) = readable_entries([entry])
    assert row.action == "修改"
    assert row.model == "单位"
    parent = _change(entry, "上级单位")
    assert parent.after == str(city.root)
    assert _change(entry, "类型").after == "其他单位"
    active = _change(entry, "启用")
    assert (active.before, active.after) == ("是", "否")
    assert _change(entry, "别名").after == "镇政府、镇里"


def test_a_new_row_lists_what_it_holds_and_leaves_out_what_is_empty(city):
    unit = services.unit_create(
        by=city.office, code="C-NEW", name="市新设局", kind="city_department", parent=city.root
    )
    (row,) = readable_entries(_entries(unit).filter(action=AuditEntry.Action.CREATE))
    assert row.action == "新增"
    fields = {c.field: c.after for c in row.changes}
    assert fields["全称"] == "市新设局" and fields["上级单位"] == str(city.root)
    assert "简称" not in fields  # empty
    assert all(c.only_after for c in row.changes)


def test_a_portfolio_change_says_what_was_added_not_a_dict(city):
    services.leader_update(
        leader=city.leader, by=city.office, expected_version=city.leader.version, units=[city.housing]
    )
    entry = next(e for e in _entries(city.leader) if "units" in (e.changes or {}))
    text = " ".join(c.after for c in readable_entries([entry])[0].changes)
    assert str(city.housing) in text and ("添加" in text or "移除" in text)
    assert "{" not in text and "m2m" not in text


def test_the_audit_page_speaks_chinese_not_python(city, client_for):
    services.unit_update(
        unit=city.township, by=city.office, expected_version=city.township.version, parent=city.root
    )
    html = client_for(city.office).get(PAGE, {"object_pk": city.township.pk}).content.decode()
    assert "修改" in html and "上级单位" in html
    assert f"→ {city.root}" in html
    for python in ("None", ">update<", ">create<", "True", "False", "'type'"):
        assert python not in html, python


def test_a_long_value_is_folded(city, client_for):
    long_name = "市" + "很长的名称" * 20
    services.unit_update(
        unit=city.housing, by=city.office, expected_version=city.housing.version, name=long_name
    )
    html = client_for(city.office).get(PAGE, {"object_pk": city.housing.pk}).content.decode()
    assert "<details" in html and long_name in html
    assert "…</summary>" in html


def test_the_days_filter_reads_local_days(city, client_for):
    from django.contrib.contenttypes.models import ContentType

    # 23:30 UTC on 1 March is 07:30 on 2 March in Beijing.
    entry = AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(city.housing)),
        object_pk=str(city.housing.pk),
        object_repr=str(city.housing),
        action=AuditEntry.Action.UPDATE,
        changes={"short_name": ["市住建局", "住建"]},
        timestamp=datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
    )
    client = client_for(city.office)

    def shown(day):
        page = client.get(PAGE, {"since": day, "until": day, "object_pk": city.housing.pk})
        return [e.pk for e in page.context["page_obj"]]

    assert shown("2026-03-02") == [entry.pk]
    assert shown("2026-03-01") == []


def test_the_audit_page_names_linked_rows_without_a_query_each(city, client_for):
    parents = [city.root, city.county, city.finance]

    def add_units_under_several_parents():
        for n in range(12):
            services.unit_create(
                by=city.office, code=f"C-N{n}", name=f"新设单位{n}", kind="other", parent=parents[n % 3]
            )

    assert_queries_do_not_grow(
        client_for(city.office), PAGE, add_rows=add_units_under_several_parents, most=25
    )


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_only_the_office_reads_the_trail(city, client_for, who):
    assert client_for(getattr(city, who)).get(PAGE).status_code == 403
