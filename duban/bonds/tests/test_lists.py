"""The bond lists: the page, its export and the API answer the same query with the same rows, through
one FilterSet per list; list pages do not query more as they grow."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from duban.bonds.models import ApplicationOutcome, BondApplication, DebtKind, ProjectDebt, ProjectState

from .factories import BatchFactory, BondProjectFactory, area


@pytest.fixture
def library(city, batch):
    """Projects of two units, in several themes, states, counties, batches and areas."""
    return [
        BondProjectFactory(
            applying_unit=city.finance, county=city.county, theme="livelihood", name="民生停车"
        ),
        BondProjectFactory(
            applying_unit=city.finance,
            supervising_department=city.housing,
            state=ProjectState.DRAFT,
            batch=batch,
        ),
        BondProjectFactory(applying_unit=city.housing, theme="livelihood", code="ZX-PARK-9"),
        BondProjectFactory(
            applying_unit=city.county, investment_area=area("04"), construction_status="completed"
        ),
    ]


QUERIES = [
    {},
    {"theme": "livelihood"},
    {"state": "draft"},
    {"q": "停车"},
    {"q": "park"},
    {"construction_status": "completed"},
    {"category": "general", "theme": "city_functions"},
    {"theme": "not-a-theme"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
@pytest.mark.parametrize("who", ["finance_user", "liaison", "office"])
def test_the_library_page_and_the_api_agree(api_client_for, city, library, query, who, page_and_api_agree):
    user = getattr(city, who)
    if query == {"theme": "not-a-theme"}:
        # The page leaves an invalid filter out; the API says it is invalid.
        assert api_client_for(user).get("/api/bonds/projects/", query).status_code == 400
        return
    rows = page_and_api_agree(user, reverse("bonds:project_list"), "/api/bonds/projects/", query)
    if who == "liaison":
        assert {p.applying_unit_id for p in library if p.pk in rows} <= {city.finance.pk}


@pytest.mark.parametrize(
    "query",
    [
        lambda city, batch, area_: {"county": city.county.pk},
        lambda city, batch, area_: {"supervising_department": city.housing.pk},
        lambda city, batch, area_: {"batch": batch.pk},
        lambda city, batch, area_: {"applying_unit": city.housing.pk},
        lambda city, batch, area_: {"investment_area": area_.pk},
    ],
    ids=["county", "supervising_department", "batch", "applying_unit", "investment_area"],
)
def test_the_library_filters_on_its_units_batch_and_area_alike(
    city, batch, library, query, page_and_api_agree
):
    query = query(city, batch, area("04"))
    rows = page_and_api_agree(city.finance_user, reverse("bonds:project_list"), "/api/bonds/projects/", query)
    assert len(rows) == 1


def test_the_library_finds_the_projects_with_quota_or_bonds_by_a_day(city, library, page_and_api_agree):
    allocated, issued = library[0], library[1]
    batch = issued.batch
    BondApplication.objects.create(
        project=allocated, batch=batch, applied_amount=Decimal(100), submitted_at=timezone.now(),
        allocated_amount=Decimal(80), allocated_on=date(2026, 3, 5),
    )  # fmt: skip
    ProjectDebt.objects.create(
        project=issued, kind=DebtKind.BOND, principal=Decimal(50), rate=Decimal("0.02"), issue_year=2026,
        term_years=10, is_issued=True, issue_date=date(2026, 3, 20),
    )  # fmt: skip

    def agree(query):
        return page_and_api_agree(city.office, reverse("bonds:project_list"), "/api/bonds/projects/", query)

    assert agree({"quota_by": "2026-03-31"}) == [allocated.pk]
    assert agree({"quota_by": "2026-03-04"}) == []
    assert agree({"issued_by": "2026-03-31", "applying_unit": city.finance.pk}) == [issued.pk]
    assert agree({"issued_by": "2026-03-19"}) == []


def test_the_export_and_the_totals_follow_the_page_filters(client_for, city, library):
    client = client_for(city.finance_user)
    page = client.get(reverse("bonds:project_list"), {"theme": "livelihood"})
    assert page.context["totals"]["count"] == 2
    content = client.get(reverse("bonds:project_export"), {"theme": "livelihood"}).content
    names = [
        row[1] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(names) == sorted(p.name for p in library if p.theme == "livelihood")


def test_a_liaison_chooses_among_its_own_units_as_applying_unit(client_for, city):
    form = client_for(city.liaison).get(reverse("bonds:project_list")).context["filterset"].form
    assert set(form.fields["applying_unit"].queryset) == {city.finance}


@pytest.fixture
def applications(city, batch):
    other = BatchFactory()
    rows = []
    for index, outcome in enumerate(
        [ApplicationOutcome.APPROVED, ApplicationOutcome.RETURNED, ApplicationOutcome.PENDING]
    ):
        for unit, in_batch in ((city.finance, batch), (city.housing, batch), (city.finance, other)):
            project = BondProjectFactory(applying_unit=unit, name=f"申报{index}{unit.pk}{in_batch.pk}")
            rows.append(
                BondApplication.objects.create(
                    project=project,
                    batch=in_batch,
                    applied_amount=100,
                    outcome=outcome,
                    submitted_at=timezone.now(),
                )
            )
    return rows


@pytest.mark.parametrize("query", [{}, {"outcome": "approved"}, {"outcome": "returned"}])
@pytest.mark.parametrize("who", ["finance_user", "liaison"])
def test_a_batchs_applications_page_and_the_api_agree(
    city, batch, applications, query, who, page_and_api_agree
):
    user = getattr(city, who)
    rows = page_and_api_agree(
        user,
        reverse("bonds:batch_detail", args=[batch.pk]),
        "/api/bonds/applications/",
        {**query, "batch": batch.pk},
    )
    expected = [
        a.pk
        for a in applications
        if a.batch == batch
        and (not query or a.outcome == query["outcome"])
        and (who != "liaison" or a.project.applying_unit == city.finance)
    ]
    assert sorted(rows) == sorted(expected)


def test_the_batch_pages_query_count_does_not_grow(client_for, city, batch, django_assert_max_num_queries):
    client = client_for(city.finance_user)
    for _ in range(3):
        BondApplication.objects.create(
            project=BondProjectFactory(applying_unit=city.finance),
            batch=batch,
            applied_amount=1,
            submitted_at=timezone.now(),
        )
    for name, args in (("batch_detail", [batch.pk]), ("batch_list", [])):
        with django_assert_max_num_queries(20) as few:
            client.get(reverse(f"bonds:{name}", args=args))
        BatchFactory()
        BondApplication.objects.create(
            project=BondProjectFactory(applying_unit=city.finance),
            batch=batch,
            applied_amount=1,
            submitted_at=timezone.now(),
        )
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse(f"bonds:{name}", args=args)).status_code == 200


@pytest.mark.parametrize("query", [{}, {"outcome": "returned"}, {"decided": "true"}])
@pytest.mark.parametrize("who", ["finance_user", "liaison", "housing_liaison"])
def test_every_application_across_batches_page_and_api_agree_and_a_unit_sees_only_its_own(
    city, applications, query, who, page_and_api_agree
):
    user = getattr(city, who)
    rows = page_and_api_agree(user, reverse("bonds:application_list"), "/api/bonds/applications/", query)
    own = {"liaison": city.finance, "housing_liaison": city.housing}.get(who)
    decided = (ApplicationOutcome.APPROVED, ApplicationOutcome.RETURNED)
    expected = [
        a.pk
        for a in applications
        if (own is None or a.project.applying_unit == own)
        and a.outcome == query.get("outcome", a.outcome)
        and (not query.get("decided") or a.outcome in decided)
    ]
    assert sorted(rows) == sorted(expected)


def test_the_application_list_and_its_export_query_count_does_not_grow(
    client_for, city, applications, django_assert_max_num_queries
):
    client = client_for(city.finance_user)
    for name in ("bonds:application_list", "bonds:application_export"):
        with django_assert_max_num_queries(20) as few:
            assert client.get(reverse(name)).status_code == 200
        BondApplication.objects.create(
            project=BondProjectFactory(applying_unit=city.finance, batch=BatchFactory()),
            batch=BatchFactory(),
            applied_amount=1,
            submitted_at=timezone.now(),
        )
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse(name)).status_code == 200


def test_the_application_list_is_for_signed_in_users(client):
    assert client.get(reverse("bonds:application_list")).status_code == 302
