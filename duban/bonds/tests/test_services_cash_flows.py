"""A project's cash flows: the grid's rows, the API's whole table, and the sheet a project unit keeps
(imported all or nothing, with row-level errors)."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from duban.bonds.services import CashFlowImport
from duban.core.errors import Invalid
from duban.core.excel import ImportRejected
from duban.core.imports import DeletionsNotConfirmed, run_import
from duban.core.models import ImportJob, JobState


def import_sheet(project, by, upload) -> int:
    return run_import(CashFlowImport(project), upload=upload, by=by)["years"]


def sheet(rows, headers=("年度", "停车费", "充电服务费", "经营成本", "税费")) -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("收支预算.xlsx", buffer.getvalue())


GOOD = [(2021 + i, 0 if i < 2 else 2000 + 100 * i, 300, 50, 10) for i in range(10)]


def test_a_good_sheet_replaces_the_table_and_the_sources(city, project):
    count = import_sheet(project, city.liaison, sheet(GOOD))
    assert count == 10
    project.refresh_from_db()
    assert project.income_sources == ["停车费", "充电服务费"]
    row = project.cash_flows.get(year=2023)
    assert row.income == {"停车费": "2200.00", "充电服务费": "300.00"}
    assert str(row.operating_cost) == "50.00"


def test_a_bad_row_saves_nothing_and_names_every_bad_row(city, project):
    before = list(project.cash_flows.values_list("year", "income"))
    rows = [
        *GOOD[:3],
        (2024, "很多", 0, 0, 0),
        (2023, 1, 1, 1, 1),
        ("二〇二五", 1, 1, 1, 1),
        (2026, 1, 1, -5, 0),
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_sheet(project, city.liaison, sheet(rows))
    messages = rejected.value.errors.messages()
    assert [m.split("：")[0] for m in messages] == ["第 5 行", "第 6 行", "第 7 行", "第 8 行"]
    assert list(project.cash_flows.values_list("year", "income")) == before


def test_a_sheet_without_the_year_column_is_refused(city, project):
    with pytest.raises(Invalid) as refused:
        import_sheet(project, city.liaison, sheet([(1, 2)], headers=("停车费", "税费")))
    assert "年度" in refused.value.message and "file" in refused.value.fields


def test_the_import_page_shows_row_errors_and_saves_nothing(client_for, city, project):
    client = client_for(city.liaison)
    response = client.post(
        reverse("bonds:cashflow_import", args=[project.pk]), {"file": sheet([(2021, -1, 0, 0, 0)])}
    )
    assert response.status_code == 200 and "第 2 行" in response.text
    assert project.cash_flows.count() == 10


def test_another_unit_cannot_import(client_for, city, project):
    response = client_for(city.housing_liaison).post(
        reverse("bonds:cashflow_import", args=[project.pk]), {"file": sheet(GOOD)}
    )
    assert response.status_code == 404


def test_the_export_reimports_unchanged(client_for, city, project):
    content = client_for(city.liaison).get(reverse("bonds:cashflow_export", args=[project.pk])).content

    def table():
        return [(r.year, r.income_amounts(), r.operating_cost, r.tax) for r in project.cash_flows.all()]

    before = table()
    import_sheet(project, city.liaison, SimpleUploadedFile("x.xlsx", content))
    assert table() == before


def test_an_import_that_lacks_stored_years_deletes_nothing_until_the_user_confirms(city, project):
    with pytest.raises(DeletionsNotConfirmed) as refused:
        import_sheet(project, city.liaison, sheet(GOOD[:2]))
    assert refused.value.deletions == [f"{year} 年" for year in range(2023, 2031)]
    assert "2030 年" in refused.value.message and "confirm" in refused.value.fields
    assert project.cash_flows.count() == 10

    result = run_import(CashFlowImport(project), upload=sheet(GOOD[:2]), by=city.liaison, confirm=True)
    assert result == {"years": 2}
    assert sorted(project.cash_flows.values_list("year", flat=True)) == [2021, 2022]


def test_a_sheet_whose_dimension_understates_its_rows_imports_every_year(city, project):
    eleven = [*GOOD, (2031, 3000, 300, 50, 10)]
    content = sheet(eleven).read()
    understated = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(understated, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:E3"', data)
            out.writestr(info.filename, data)

    count = import_sheet(project, city.liaison, SimpleUploadedFile("收支预算.xlsx", understated.getvalue()))

    assert count == 11
    assert project.cash_flows.count() == 11


def test_the_import_page_lists_the_years_it_would_delete_and_asks_to_confirm(client_for, city, project):
    client = client_for(city.liaison)
    url = reverse("bonds:cashflow_import", args=[project.pk])
    assert 'name="confirm"' in client.get(url).text

    refused = client.post(url, {"file": sheet(GOOD[:2])})
    assert refused.status_code == 200 and "2030 年" in refused.text
    assert project.cash_flows.count() == 10

    confirmed = client.post(url, {"file": sheet(GOOD[:2]), "confirm": "on"})
    assert confirmed.status_code == 302
    assert project.cash_flows.count() == 2


@pytest.fixture
def background(settings, monkeypatch):
    settings.DUBAN_IMPORT_INLINE_MAX_KB = 0
    settings.CACHES = {
        **settings.CACHES,
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)


def test_a_large_table_is_imported_by_the_worker_for_its_project_with_the_users_confirmation(
    client_for, city, project, background, django_capture_on_commit_callbacks
):
    client = client_for(city.liaison)
    url = reverse("bonds:cashflow_import", args=[project.pk])
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {"file": sheet(GOOD[:2])})
    job = ImportJob.objects.get()
    assert job.arguments == {"project": project.pk} and job.state == JobState.FAILED
    assert "2030 年" in job.message and project.cash_flows.count() == 10  # nothing deleted unconfirmed
    assert refused["Location"] == reverse("core:import_job", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"file": sheet(GOOD[:2]), "confirm": "on"})
    confirmed = ImportJob.objects.latest("pk")
    assert (confirmed.state, confirmed.options) == (JobState.DONE, {"confirm": True})
    assert sorted(project.cash_flows.values_list("year", flat=True)) == [2021, 2022]
    assert client_for(city.housing_liaison).get(refused["Location"]).status_code == 404
