"""One FilterSet per weekly list: the cycles, a cycle's reports, a report's items and a meeting's
decisions answer the same query with the same rows on the page, in the export and through the API."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.tests.factories import UnitFactory
from duban.tests.lists import api_rows, assert_page_and_api_agree, assert_queries_do_not_grow, page_rows
from duban.weekly import services
from duban.weekly.filters import ReportFilterSet
from duban.weekly.models import AgendaKind, ReportingCycle, WeeklyReport

from .conftest import at, fill
from .factories import DirectiveFactory


@pytest.fixture
def weeks(city, work):
    """Three weekly cycles: two closed, this week's open; finance filed late in the first."""
    for day in (9, 16):
        services.run_cycle(now=at(2026, 11, day, 8))
    first = WeeklyReport.objects.get(cycle__starts_on=date(2026, 11, 9), unit=city.finance)
    services.run_cycle(now=at(2026, 11, 23, 13))
    services.report_reopen(report=first, by=city.office, reason="补报")
    fill(first, city.liaison)
    services.report_submit(report=first, by=city.liaison)
    return list(ReportingCycle.objects.order_by("starts_on"))


@pytest.mark.parametrize("who", ["office", "liaison", "leader_user"])
@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({}, 3),
        ({"state": "open"}, 1),
        ({"state": "closed"}, 2),
        ({"iso_year": 2026}, 3),
        ({"iso_year": 2025}, 0),
    ],
)
def test_the_cycle_page_and_the_api_list_the_same_cycles(city, weeks, who, query, count, page_and_api_agree):
    user = getattr(city, who)
    rows = page_and_api_agree(user, reverse("weekly:cycle_list"), "/api/weekly/cycles/", query)
    assert len(rows) == count


def _report_queries(city, cycle):
    base = {"cycle": cycle.pk}
    return [
        base,
        {**base, "state": "submitted"},
        {**base, "state": "pending"},
        {**base, "timeliness": "late"},
        {**base, "timeliness": "missing"},
        {**base, "q": "财政"},
        {**base, "q": "南屏"},
        {**base, "unit": city.county.pk},
    ]


def test_a_cycles_page_and_the_api_list_the_same_reports(city, weeks, client_for, api_client_for):
    first = weeks[0]
    page, api = client_for(city.office), api_client_for(city.office)
    for query in _report_queries(city, first):
        url = reverse("weekly:cycle_detail", args=[first.pk])
        assert_page_and_api_agree(page, url, api, "/api/weekly/reports/", query)
    late = api_rows(api, "/api/weekly/reports/", {"cycle": first.pk, "timeliness": "late"})
    assert late == [WeeklyReport.objects.get(cycle=first, unit=city.finance).pk]


def test_the_report_filters_keep_each_user_in_their_scope(city, weeks, api_client_for):
    ids = api_rows(api_client_for(city.liaison), "/api/weekly/reports/", {"q": "县"})
    assert ids == []
    response = api_client_for(city.liaison).get("/api/weekly/reports/", {"unit": city.county.pk})
    assert response.status_code == 400 and "unit" in response.json()["fields"]


def test_a_bad_filter_is_a_400_through_the_api_and_left_out_on_the_page(
    city, weeks, client_for, api_client_for
):
    for url, query in [
        ("/api/weekly/cycles/", {"state": "flying"}),
        ("/api/weekly/reports/", {"timeliness": "soon"}),
        ("/api/weekly/items/", {"report": "x"}),
        ("/api/weekly/decisions/", {"kind": "party"}),
    ]:
        response = api_client_for(city.office).get(url, query)
        assert response.status_code == 400 and set(query) <= set(response.json()["fields"]), url
    page = client_for(city.office).get(reverse("weekly:cycle_list"), {"state": "flying"})
    assert page.status_code == 200 and page.context["page_obj"].paginator.count == 3


def test_a_reports_page_and_the_api_list_the_same_items(city, weeks, client_for, api_client_for):
    report = WeeklyReport.objects.get(cycle=weeks[-1], unit=city.finance)
    page = client_for(city.liaison).get(reverse("weekly:report_detail", args=[report.pk]))
    shown = [item.pk for item, _form in page.context["rows"]]
    assert shown == api_rows(api_client_for(city.liaison), "/api/weekly/items/", {"report": report.pk})
    assert len(shown) == 2


@pytest.mark.parametrize("who", ["office", "leader_user"])
def test_a_meetings_page_and_the_api_list_the_same_decisions(city, weeks, who, page_and_api_agree):
    cycle = weeks[0]
    weekly = services.weekly_meeting_create(cycle=cycle, by=city.office, held_on=date(2026, 11, 16))
    services.agenda_add(weekly_meeting=weekly, by=city.office, title="其他议题")
    services.agenda_decide(item=weekly.agenda.get(kind=AgendaKind.OTHER), by=city.office, decision="记录")
    user = getattr(city, who)
    url = reverse("weekly:meeting_detail", args=[weekly.pk])
    for query in [{}, {"kind": "red"}, {"kind": "other"}, {"action": "note"}, {"kind": "coordination"}]:
        rows = page_and_api_agree(user, url, "/api/weekly/decisions/", {"weekly_meeting": weekly.pk, **query})
        if query == {"kind": "other"}:
            assert len(rows) == 1


def test_the_exports_follow_the_same_filters(city, weeks, client_for):
    office = client_for(city.office)
    sheet = load_workbook(
        io.BytesIO(office.get(reverse("weekly:cycles_export"), {"state": "open"}).content)
    ).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [weeks[-1].issue_number]
    url = reverse("weekly:cycle_reports_export", args=[weeks[0].pk])
    sheet = load_workbook(io.BytesIO(office.get(url, {"timeliness": "late"}).content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [city.finance.name]


def test_the_cycle_page_offers_only_the_filters_it_does_not_fix(city, weeks, client_for):
    page = client_for(city.office).get(reverse("weekly:cycle_detail", args=[weeks[0].pk]))
    assert set(page.context["filterset"].page_form.fields) == {"q", "state", "timeliness", "missing"}
    assert set(ReportFilterSet(user=city.office).form.fields) == {
        "q",
        "state",
        "timeliness",
        "cycle",
        "unit",
        "missing",
        "ends_after",
        "ends_before",
        "settled",
    }


def test_cycle_list_queries_do_not_grow_with_the_number_of_cycles(city, work, client_for):
    services.run_cycle(now=at(2026, 11, 2, 8))

    def more_weeks():
        for day in (9, 16, 23):
            services.run_cycle(now=at(2026, 11, day, 8))

    for user in (city.office, city.liaison):
        assert_queries_do_not_grow(
            client_for(user), reverse("weekly:cycle_list"), add_rows=more_weeks, most=12
        )


def test_cycle_page_queries_do_not_grow_with_the_number_of_reports(city, work, client_for):
    services.run_cycle(now=at(2026, 11, 23, 8))
    cycle = ReportingCycle.objects.get()

    def more_units():
        for i in range(20):
            DirectiveFactory(lead_unit=UnitFactory(parent=city.root), title=f"批量事项{i}")
        services.cycle_sync(cycle=cycle)

    url = reverse("weekly:cycle_detail", args=[cycle.pk])
    assert_queries_do_not_grow(client_for(city.office), url, add_rows=more_units, most=20)


@pytest.mark.parametrize("who", ["office", "liaison", "leader_user"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"ends_after": "2026-11-14", "ends_before": "2026-11-30"},
        {"settled": "true"},
        {"settled": "false"},
        {"timeliness": "late"},
    ],
)
def test_the_report_list_and_the_api_list_the_same_reports(city, weeks, who, query, page_and_api_agree):
    query = {**query, "unit": city.finance.pk} if who != "leader_user" else query
    page_and_api_agree(getattr(city, who), reverse("weekly:report_list"), "/api/weekly/reports/", query)


def test_the_report_list_finds_a_units_settled_reports_of_the_cycles_ending_in_a_period(
    city, weeks, client_for
):
    query = {
        "unit": city.finance.pk,
        "ends_after": "2026-11-01",
        "ends_before": "2026-11-22",
        "settled": "true",
    }
    rows = page_rows(client_for(city.office), reverse("weekly:report_list"), query)

    expected = WeeklyReport.objects.filter(unit=city.finance, cycle__ends_on__lte=date(2026, 11, 22))
    assert sorted(rows) == sorted(expected.exclude(timeliness="pending").values_list("pk", flat=True))
    assert rows


def test_a_liaison_sees_no_other_units_reports_in_the_report_list(city, weeks, client_for):
    rows = page_rows(client_for(city.liaison), reverse("weekly:report_list"), {"unit": city.housing.pk})
    assert not WeeklyReport.objects.filter(pk__in=rows).exclude(unit=city.finance).exists()
    other = WeeklyReport.objects.exclude(unit=city.finance).first()
    assert client_for(city.liaison).get(reverse("weekly:report_detail", args=[other.pk])).status_code == 404


def test_report_list_queries_do_not_grow_with_the_number_of_reports(city, work, client_for):
    services.run_cycle(now=at(2026, 11, 2, 8))

    def more_weeks():
        for day in (9, 16, 23):
            services.run_cycle(now=at(2026, 11, day, 8))

    for user in (city.office, city.liaison):
        assert_queries_do_not_grow(
            client_for(user), reverse("weekly:report_list"), add_rows=more_weeks, most=12
        )
