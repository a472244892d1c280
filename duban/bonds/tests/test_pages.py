"""The bond pages: who sees and does what, the grid, attachments, exports, and a finance reviewer taking
a project from draft to spent through the pages alone."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from duban.bonds.models import BondProject, CashFlowRow, ProjectState
from duban.bonds.workflow import WORKFLOW

from .factories import BondProjectFactory

S = ProjectState
PDF = b"%PDF-1.4 test document"


def url(name, *args):
    return reverse(f"bonds:{name}", args=args)


def do(client, project, name, **data):
    payload = {f"{name}-{key}": value for key, value in data.items()}
    return client.post(url("project_transition", project.pk, name), payload)


def test_library_lists_only_own_projects_for_a_unit(client_for, city, project):
    other = BondProjectFactory(applying_unit=city.housing, name="住建局的项目")
    response = client_for(city.liaison).get(url("project_list"))
    assert response.status_code == 200
    assert project.name in response.text and other.name not in response.text


def test_finance_reviewers_and_the_office_see_every_project(client_for, city, project):
    other = BondProjectFactory(applying_unit=city.housing, name="住建局的项目")
    for user in (city.finance_user, city.office):
        text = client_for(user).get(url("project_list")).text
        assert project.name in text and other.name in text


def test_library_filters_by_theme(client_for, city, project):
    other = BondProjectFactory(applying_unit=city.finance, theme="livelihood", name="民生项目")
    text = client_for(city.finance_user).get(url("project_list"), {"theme": "livelihood"}).text
    assert other.name in text and project.name not in text


def test_library_query_count_does_not_grow_with_projects(client_for, city, django_assert_max_num_queries):
    client = client_for(city.finance_user)
    BondProjectFactory.create_batch(
        3, applying_unit=city.finance, county=city.county, supervising_department=city.housing
    )
    with django_assert_max_num_queries(12) as few:
        client.get(url("project_list"))
    BondProjectFactory.create_batch(
        30, applying_unit=city.finance, county=city.county, supervising_department=city.housing
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("project_list"))
    assert response.status_code == 200


def test_another_unit_gets_404_for_a_project(client_for, city, project):
    assert client_for(city.housing_liaison).get(url("project_detail", project.pk)).status_code == 404


def test_project_page_shows_balance_and_sensitivity(client_for, city, project):
    response = client_for(city.liaison).get(url("project_detail", project.pk))
    assert response.status_code == 200
    assert "1.1307" in response.text  # the bullet worked example of §1.4
    assert 'id="sensitivity"' in response.text
    assert "还本付息计划" in response.text and "375.00" in response.text
    assert "实施方案" in response.text  # the document checklist


def test_the_office_sees_a_project_but_is_offered_no_action(client_for, city, project):
    response = client_for(city.office).get(url("project_detail", project.pk))
    assert response.status_code == 200
    assert url("project_transition", project.pk, "start_draft") not in response.text


@pytest.mark.parametrize("who", ["office", "leader_user"])
def test_the_office_and_leaders_are_refused_every_step_on_the_page(client_for, city, project, who):
    client = client_for(getattr(city, who))
    for name in WORKFLOW.table:
        response = do(client, project, name)
        assert response.status_code in (403, 404), name
    project.refresh_from_db()
    assert project.state == S.POOL


def test_a_liaison_is_refused_a_finance_step_on_the_page(client_for, city, project, batch):
    client = client_for(city.liaison)
    do(client, project, "start_draft")
    do(client, project, "submit", batch=batch.pk)
    project.refresh_from_db()
    assert project.state == S.UNIT_REVIEW
    client = client_for(city.liaison)
    assert (
        do(client, project, "unit_approve").status_code == 302
    )  # no supervising department: the unit reviews
    project.refresh_from_db()
    assert do(client, project, "finance_approve").status_code == 403
    project.refresh_from_db()
    assert project.state == S.FINANCE_REVIEW


def test_another_unit_cannot_act_on_the_page(client_for, city, project):
    assert do(client_for(city.housing_liaison), project, "start_draft").status_code == 404


def test_a_refused_guard_shows_a_message_and_changes_nothing(client_for, city, project, batch):
    project.not_on_negative_list = False
    project.state = S.DRAFT
    project.save()
    response = client_for(city.liaison).post(
        url("project_transition", project.pk, "submit"), {"submit-batch": batch.pk}, follow=True
    )
    assert "负面清单" in response.text
    project.refresh_from_db()
    assert project.state == S.DRAFT


def test_a_finance_reviewer_takes_a_project_from_draft_to_spent_through_the_pages(client_for, city, batch):
    client = client_for(city.finance_user)
    response = client.post(
        url("project_create"),
        {
            "name": "城区智慧停车场建设项目",
            "code": "ZX-2026-0001",
            "applying_unit": city.finance.pk,
            "county": city.county.pk,
            "theme": "city_functions",
            "category": "general",
            "not_on_negative_list": "on",
            "construction_kind": "new",
            "total_investment": "20000",
            "capital": "5000",
            "capital_from_bonds": "0",
            "bond_demand": "15000",
            "term_years": "10",
            "expected_rate": "2.5",
            "income_sources": "停车费",
            "market_financing": "0",
            "construction_status": "preparing",
            "planned_start": "2021-03-01",
        },
    )
    project = BondProject.objects.get(code="ZX-2026-0001")
    assert response.status_code == 302 and project.state == S.POOL
    for offset in range(10):
        income = 0 if offset < 2 else 2300 + 100 * (offset - 2)
        client.post(
            url("cashflow_create", project.pk),
            {"new-year": 2021 + offset, "new-income_0": income, "new-operating_cost": 0, "new-tax": 0},
            HTTP_HX_REQUEST="true",
        )
    assert project.cash_flows.count() == 10
    assert "1.1307" in client.get(url("balance_panel", project.pk)).text
    client.post(
        url("document_add", project.pk),
        {"kind": "implementation_plan", "file": SimpleUploadedFile("实施方案.pdf", PDF, "application/pdf")},
    )
    assert project.documents.count() == 1

    steps = [
        ("start_draft", {}, S.DRAFT),
        ("submit", {"batch": batch.pk}, S.UNIT_REVIEW),
        ("unit_approve", {"note": "同意"}, S.FINANCE_REVIEW),
        ("finance_approve", {}, S.PROVINCE_REVIEW),
        ("province_approve", {}, S.MINISTRY_REVIEW),
        ("ministry_approve", {}, S.APPROVED),
        ("allocate_quota", {"amount": "10000", "date": "2026-05-10"}, S.QUOTA_ALLOCATED),
        (
            "record_issuance",
            {
                "bond_code": "2126001",
                "issue_date": "2026-06-15",
                "term_years": 10,
                "rate": "2.35",
                "amount": "10000",
            },
            S.ISSUED,
        ),
        ("record_onlending", {"amount": "10000", "date": "2026-06-30"}, S.ONLENT),
        ("record_disbursement", {"amount": "6000", "date": "2026-07-10"}, S.DISBURSING),
        ("record_spending", {"amount": "6000", "date": "2026-08-10"}, S.SPENDING),
        ("record_disbursement", {"amount": "4000", "date": "2026-09-10"}, S.SPENDING),
        ("record_spending", {"amount": "4000", "date": "2026-10-10"}, S.SPENT),
    ]
    for name, data, state in steps:
        response = do(client, project, name, **data)
        assert response.status_code == 302, name
        project.refresh_from_db()
        assert project.state == state, (name, [m.message for m in response.wsgi_request._messages])
    page = client.get(url("project_detail", project.pk)).text
    assert "支出完毕" in page and "2126001" in page
    assert project.events.count() == 14


def test_grid_edit_row_and_save_through_htmx(client_for, city, project):
    client = client_for(city.liaison)
    row = project.cash_flows.get(year=2025)
    edit = client.get(url("cashflow_edit", project.pk, row.pk))
    assert edit.status_code == 200 and f"r{row.pk}-year" in edit.text
    response = client.post(
        url("cashflow_save", project.pk, row.pk),
        {
            f"r{row.pk}-year": 2025,
            f"r{row.pk}-income_0": "2700",
            f"r{row.pk}-operating_cost": "200",
            f"r{row.pk}-tax": "0",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "cashflow-changed"
    row.refresh_from_db()
    assert row.operating_cost == Decimal(200)


def test_grid_refuses_a_negative_amount(client_for, city, project):
    response = client_for(city.liaison).post(
        url("cashflow_create", project.pk),
        {"new-year": 2031, "new-income_0": "-5", "new-operating_cost": "0", "new-tax": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert not CashFlowRow.objects.filter(project=project, year=2031).exists()


def test_another_unit_cannot_edit_the_grid(client_for, city, project):
    row = project.cash_flows.first()
    client = client_for(city.housing_liaison)
    assert client.get(url("cashflow_edit", project.pk, row.pk)).status_code == 404
    assert client.post(url("cashflow_create", project.pk), {"new-year": 2031}).status_code == 404


def test_a_liaison_cannot_edit_a_submitted_project(client_for, city, project, batch):
    project.state = S.FINANCE_REVIEW
    project.save()
    client = client_for(city.liaison)
    assert client.get(url("project_edit", project.pk)).status_code == 403
    row = project.cash_flows.first()
    assert client.get(url("cashflow_edit", project.pk, row.pk)).status_code == 403


def test_uploading_a_document_fills_the_checklist_and_a_fake_file_is_refused(client_for, city, project):
    client = client_for(city.liaison)
    client.post(
        url("document_add", project.pk),
        {
            "kind": "legal_opinion",
            "file": SimpleUploadedFile("法律意见书.pdf", b"not a pdf", "application/pdf"),
        },
    )
    assert project.documents.count() == 0
    client.post(
        url("document_add", project.pk),
        {"kind": "legal_opinion", "file": SimpleUploadedFile("法律意见书.pdf", PDF, "application/pdf")},
    )
    assert project.documents.get().kind == "legal_opinion"


def test_library_export_contains_the_visible_projects(client_for, city, project):
    BondProjectFactory(applying_unit=city.housing, name="住建局的项目")
    response = client_for(city.liaison).get(url("project_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [project.name]


def test_the_library_export_names_the_unit_of_its_amounts_and_writes_them_as_numbers(
    client_for, city, project
):
    response = client_for(city.liaison).get(url("project_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("总投资（万元）") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.data_type == "n" and cell.value == float(project.total_investment)
    assert cell.number_format == "#,##0.00"
    assert "专项债券需求（万元）" in headers and "已支出（万元）" in headers


def test_balance_sheet_export_has_the_ratios(client_for, city, project):
    response = client_for(city.liaison).get(url("balance_export", project.pk))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert values["专项债券本息覆盖倍数"] == pytest.approx(1.1307)


def test_batch_pages_and_overview_render(client_for, city, project, batch):
    client = client_for(city.finance_user)
    assert client.get(url("batch_list")).status_code == 200
    assert client.get(url("batch_detail", batch.pk)).status_code == 200
    assert client.get(url("batch_export", batch.pk)).status_code == 200
    overview = client.get(url("overview"))
    assert overview.status_code == 200 and "echarts.min.js" in overview.text
    for by in ("batch", "county", "supervising_department", "theme"):
        assert client.get(url("overview_export"), {"by": by}).status_code == 200


def test_only_finance_creates_batches(client_for, city):
    assert client_for(city.liaison).get(url("batch_create")).status_code == 403
    client = client_for(city.finance_user)
    response = client.post(
        url("batch_create"),
        {
            "name": "2027年第一季度",
            "year": 2027,
            "quarter": 1,
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-31",
        },
    )
    assert response.status_code == 302


def test_the_office_cannot_create_a_project(client_for, city):
    assert client_for(city.office).get(url("project_create")).status_code == 403


def test_attachments_are_downloaded_through_the_access_rule(client_for, city, project):
    client = client_for(city.liaison)
    client.post(
        url("document_add", project.pk),
        {"kind": "legal_opinion", "file": SimpleUploadedFile("法律意见书.pdf", PDF, "application/pdf")},
    )
    document = project.documents.get()
    response = client.get(url("document_download", project.pk, document.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    other = client_for(city.housing_liaison).get(url("document_download", project.pk, document.pk))
    assert other.status_code == 404
    # A record whose file is gone from storage says so, instead of a server error.
    document.file.storage.delete(document.file.name)
    missing = client_for(city.liaison).get(url("document_download", project.pk, document.pk))
    assert missing.status_code == 404 and "已不在服务器存储中" in missing.content.decode()


def test_project_page_query_count_does_not_grow_with_rows(
    client_for, city, project, django_assert_max_num_queries
):
    client = client_for(city.finance_user)
    with django_assert_max_num_queries(40) as first:
        client.get(url("project_detail", project.pk))
    for year in range(2031, 2041):
        CashFlowRow.objects.create(project=project, year=year, income={"停车费": "100"})
    for index in range(5):
        project.events.create(
            transition="note", to_state=project.state, by=city.finance_user, note=str(index)
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url("project_detail", project.pk)).status_code == 200


def test_an_unknown_step_is_a_404_on_the_page(client_for, city, project):
    assert do(client_for(city.finance_user), project, "explode").status_code == 404


def test_a_refused_step_goes_back_to_the_project_with_the_reason(client_for, city, project):
    client = client_for(city.finance_user)
    page = url("project_detail", project.pk)
    response = client.post(
        url("project_transition", project.pk, "finance_approve"), HTTP_REFERER=page, follow=True
    )
    assert response.redirect_chain[-1][0] == page
    assert "不能执行" in response.text
    project.refresh_from_db()
    assert project.state == S.POOL


def test_the_edit_page_does_not_offer_another_units_library(client_for, city, project):
    client = client_for(city.liaison)
    form = client.get(url("project_edit", project.pk)).context["form"]
    assert set(form.fields["applying_unit"].queryset) == {city.finance}
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("not_on_negative_list", "ex_ante_assessment_done")
    }
    data.update(applying_unit=city.housing.pk, investment_area=project.investment_area_id)
    response = client.post(url("project_edit", project.pk), data)
    assert response.status_code == 200 and response.context["form"].errors.get("applying_unit")
    project.refresh_from_db()
    assert project.applying_unit == city.finance


def test_an_edit_over_someone_elses_shows_the_conflict_on_the_form(client_for, city, project):
    client = client_for(city.liaison)
    form = client.get(url("project_edit", project.pk)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update(
        investment_area=project.investment_area_id, name="新名称", expected_version=project.version - 1 or 99
    )
    response = client.post(url("project_edit", project.pk), data)
    assert response.status_code == 200 and "其他人已修改" in response.text


def test_the_overview_shows_the_current_year_for_an_impossible_one(client_for, city):
    from django.utils import timezone

    for year in ("0", "10000", "abc"):
        response = client_for(city.finance_user).get(url("overview"), {"year": year})
        assert response.status_code == 200 and response.context["year"] == timezone.localdate().year


def test_a_submitted_projects_cash_flows_are_not_imported_by_the_unit(client_for, city, project):
    project.state = S.FINANCE_REVIEW
    project.save()
    assert client_for(city.liaison).get(url("cashflow_import", project.pk)).status_code == 403


def test_the_office_sees_no_edit_button_and_the_unit_does(client_for, city, project):
    edit = url("project_edit", project.pk)
    assert edit not in client_for(city.office).get(url("project_detail", project.pk)).text
    assert edit in client_for(city.liaison).get(url("project_detail", project.pk)).text


def test_a_liaison_reads_the_history_of_its_projects_parts_only(client_for, city, project):
    row = project.cash_flows.first()
    history = reverse("audit:object_history", args=["bonds", "cashflowrow", row.pk])
    assert client_for(city.liaison).get(history).status_code == 200
    assert client_for(city.housing_liaison).get(history).status_code == 404


# --- numbers and the balance chart (issue 11, items 21 and 23) --------------------------------------


def test_the_balance_panel_draws_the_test_by_year(client_for, city, project):
    import json

    text = client_for(city.finance_user).get(url("balance_panel", project.pk)).text
    assert 'id="balance-chart"' in text
    data = json.loads(text.split('id="balance-chart-data" type="application/json">')[1].split("</script>")[0])
    assert data["years"][0] == 2021 and len(data["years"]) == 10
    assert data["cumulative"][0] == -375.0 and data["net"][2] == 2300.0


def test_the_project_page_loads_echarts_for_the_chart(client_for, city, project):
    text = client_for(city.liaison).get(url("project_detail", project.pk)).text
    assert "vendor/echarts/echarts.min.js" in text and 'id="balance-chart"' in text


def test_amount_headers_name_the_unit(client_for, city, project):
    text = client_for(city.finance_user).get(url("project_list")).text
    assert "债券需求（万元）" in text and "分配额度（万元）" in text
