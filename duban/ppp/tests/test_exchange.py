"""The register in Excel: export, re-import, and all-or-nothing imports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from duban.ppp.exchange import REGISTER_COLUMNS
from duban.ppp.models import PPPProject
from duban.ppp.tests.factories import make_project

pytestmark = pytest.mark.django_db


def _sheet(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(REGISTER_COLUMNS))
    for row in rows:
        sheet.append([row.get(label) for label in REGISTER_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def _row(code, name, **extra):
    row = {
        "项目编号": code,
        "项目名称": name,
        "所属行业": "市政工程",
        "实施机构": "市财政局",
        "所属县区": "南屏县",
        "运作方式": "BOT",
        "回报机制": "使用者付费",
        "总投资（万元）": 50000,
        "合作期限（年）": 20,
    }
    row.update(extra)
    return row


def test_an_import_creates_projects_with_their_steps(city, client_for):
    response = client_for(city.finance_user).post(
        reverse("ppp:project_import"),
        {"file": _sheet([_row("NP-01", "南屏县供水PPP项目"), _row("NP-02", "南屏县停车场PPP项目")])},
    )
    assert response.status_code == 302
    project = PPPProject.objects.get(code="NP-01")
    assert project.county == city.county and project.implementing_agency == city.finance
    assert project.steps.count() == 19


def test_an_import_with_one_bad_row_saves_nothing_and_names_the_row(city, client_for):
    existing = make_project(implementing_agency=city.finance, by=city.office, code="OLD-1", name="旧名称")
    rows = [
        _row("NP-01", "南屏县供水PPP项目"),
        _row("OLD-1", "新名称", **{"回报机制": "使用者付费"}),
        _row("NP-03", "坏行", **{"实施机构": "不存在的局", "运作方式": "XYZ"}),
    ]
    response = client_for(city.office).post(reverse("ppp:project_import"), {"file": _sheet(rows)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "第 4 行" in page and "不存在的局" in page
    assert not PPPProject.objects.filter(code="NP-01").exists()
    existing.refresh_from_db()
    assert existing.name == "旧名称"


def test_a_model_error_found_while_saving_still_saves_nothing(city, client_for):
    rows = [_row("NP-01", "甲"), _row("NP-02", "乙", **{"建设成本（万元）": 90000})]  # above total investment
    response = client_for(city.office).post(reverse("ppp:project_import"), {"file": _sheet(rows)})
    assert "第 3 行" in response.content.decode()
    assert PPPProject.objects.count() == 0


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"总投资（万元）": "很多"}, "“总投资（万元）”必须是非负数。"),
        ({"合作期限（年）": -3}, "“合作期限（年）”必须是非负整数。"),
        ({"已入库": "也许"}, "“已入库”一栏只能填“是”或“否”。"),
        ({"项目名称": ""}, "“项目名称”不能为空。"),
        ({"回报机制": "BOT"}, "“回报机制”的取值“BOT”无效"),
    ],
)
def test_each_bad_cell_is_named_with_its_row(city, client_for, cells, message):
    response = client_for(city.office).post(
        reverse("ppp:project_import"), {"file": _sheet([_row("A-1", "甲", **cells)])}
    )
    page = response.content.decode()
    assert "第 2 行" in page and message in page
    assert not PPPProject.objects.exists()


def test_a_code_twice_in_the_sheet_is_refused(city, client_for):
    response = client_for(city.office).post(
        reverse("ppp:project_import"), {"file": _sheet([_row("A-1", "甲"), _row("A-1", "乙")])}
    )
    assert "项目编号“A-1”与第 2 行重复。" in response.content.decode()


def test_a_liaison_cannot_import(city, client_for):
    response = client_for(city.liaison).post(
        reverse("ppp:project_import"), {"file": _sheet([_row("A", "甲")])}
    )
    assert response.status_code == 403
    assert PPPProject.objects.count() == 0


def test_the_export_can_be_reimported_unchanged(city, client_for):
    make_project(implementing_agency=city.finance, county=city.county, by=city.office, code="R-1")
    client = client_for(city.office)
    content = client.get(reverse("ppp:project_export")).content
    sheet = load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[: len(REGISTER_COLUMNS)] == list(REGISTER_COLUMNS)
    assert "分类" in headers
    response = client.post(
        reverse("ppp:project_import"), {"file": SimpleUploadedFile("x.xlsx", content)}, follow=True
    )
    assert "新增 0 个项目，更新 0 个项目" in response.content.decode()
    # Nothing changed, so nothing was written: the project is as it was.
    assert PPPProject.objects.get(code="R-1").version == 1


def test_a_reimport_with_a_change_updates_the_project(city, client_for):
    make_project(implementing_agency=city.finance, by=city.office, code="R-1", name="旧名称")
    response = client_for(city.office).post(
        reverse("ppp:project_import"), {"file": _sheet([_row("R-1", "新名称")])}
    )
    assert response.status_code == 302
    project = PPPProject.objects.get(code="R-1")
    assert (project.name, project.version) == ("新名称", 2)


def test_the_export_holds_only_what_the_user_sees(city, client_for):
    make_project(implementing_agency=city.finance, by=city.office, code="F-1")
    make_project(implementing_agency=city.housing, by=city.office, code="H-1")
    content = client_for(city.liaison).get(reverse("ppp:project_export")).content
    codes = [row[0].value for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2)]
    assert codes == ["F-1"]
