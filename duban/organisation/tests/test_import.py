import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from duban.core.excel import ImportRejected
from duban.core.uploads import SPREADSHEET, check_upload
from duban.organisation import services
from duban.organisation.models import Unit

from .sheets import unit_sheet


def test_a_good_sheet_creates_units_with_parents_from_later_rows(city):
    sheet = unit_sheet(
        [
            ["C-NP-CZ", "南屏县财政局", "县财政局", "南屏财政、县财政", "县区部门", "C-NP2", 1, "是"],
            ["C-NP2", "南屏县新区管委会", "南屏新区", "", "开发区", "C", 2, "是"],
        ]
    )
    result = services.units_import_excel(upload=sheet, by=city.office)
    assert result == {"created": 2, "updated": 0}
    unit = Unit.objects.get(code="C-NP-CZ")
    assert unit.parent.code == "C-NP2"
    assert unit.aliases == ["南屏财政", "县财政"]
    assert unit.tree_path.startswith(city.root.tree_path)


def test_a_sheet_with_one_bad_row_saves_nothing_and_names_the_row_and_reason(city):
    before = Unit.objects.count()
    sheet = unit_sheet(
        [
            ["N1", "新单位一", "", "", "市直部门", "C", 1, "是"],
            ["N2", "新单位二", "", "", "不存在的类型", "C", 2, "是"],
            ["N3", "新单位三", "", "", "市直部门", "C", 3, "是"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        services.units_import_excel(upload=sheet, by=city.office)
    messages = rejected.value.errors.messages()
    assert len(messages) == 1
    assert messages[0].startswith("第 3 行")
    assert "不存在的类型" in messages[0]
    assert Unit.objects.count() == before


def test_every_bad_row_is_reported_in_one_run(city):
    sheet = unit_sheet(
        [
            ["", "无编码", "", "", "市直部门", "", 1, "是"],
            ["N2", "", "", "", "市直部门", "NOPE", 2, "也许"],
            ["C-CZ", "测试市住房和城乡建设局", "", "", "市直部门", "C", 3, "是"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        services.units_import_excel(upload=sheet, by=city.office)
    text = "\n".join(rejected.value.errors.messages())
    assert "第 2 行：单位编码不能为空" in text
    assert "第 3 行：单位全称不能为空" in text
    assert "第 3 行：上级单位编码“NOPE”不存在" in text
    assert "第 3 行：“启用”一栏只能填" in text
    assert "第 4 行：单位全称“测试市住房和城乡建设局”已被编码为 C-ZJ 的单位使用" in text


def test_a_cycle_of_parents_is_refused(city):
    sheet = unit_sheet(
        [["A", "甲", "", "", "市直部门", "B", 1, "是"], ["B", "乙", "", "", "市直部门", "A", 2, "是"]]
    )
    with pytest.raises(ImportRejected) as rejected:
        services.units_import_excel(upload=sheet, by=city.office)
    assert "循环" in rejected.value.errors.messages()[0]
    assert not Unit.objects.filter(code__in=["A", "B"]).exists()


def test_a_missing_required_column_is_named(city):
    sheet = unit_sheet([["X", "某单位"]], header=["单位编码", "单位全称"])
    with pytest.raises(ValidationError) as error:
        services.units_import_excel(upload=sheet, by=city.office)
    assert "类型" in error.value.messages[0]


def test_an_export_can_be_edited_and_imported_back(city):
    content = services.units_to_excel(Unit.objects.all())
    workbook = load_workbook(__import__("io").BytesIO(content))
    sheet = workbook.active
    assert [c.value for c in sheet[1]][:3] == ["单位编码", "单位全称", "简称"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "C-CZ":
            row[2].value = "财政"
    buffer = __import__("io").BytesIO()
    workbook.save(buffer)
    result = services.units_import_excel(
        upload=SimpleUploadedFile("u.xlsx", buffer.getvalue()), by=city.office
    )
    assert result == {"created": 0, "updated": 5}
    assert Unit.objects.get(code="C-CZ").short_name == "财政"


def test_a_file_that_is_not_a_workbook_is_refused_before_reading():
    fake = SimpleUploadedFile("units.xlsx", b"this is not a zip file at all")
    with pytest.raises(ValidationError) as error:
        check_upload(fake, allowed=SPREADSHEET)
    assert "不符" in error.value.messages[0]
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("units.csv", b"a,b"), allowed=SPREADSHEET)


def test_the_import_page_reports_row_errors_and_saves_nothing(city, client_for):
    sheet = unit_sheet(
        [["N1", "新单位一", "", "", "市直部门", "C", 1, "是"], ["N2", "新单位二", "", "", "错", "C", 2, "是"]]
    )
    response = client_for(city.office).post(reverse("organisation:unit_import"), {"file": sheet})
    assert response.status_code == 200
    assert "第 3 行" in response.content.decode()
    assert not Unit.objects.filter(code="N1").exists()


def test_the_import_page_imports_a_good_sheet(city, client_for):
    sheet = unit_sheet([["N1", "新单位一", "", "", "市直部门", "C", 1, "是"]])
    response = client_for(city.office).post(reverse("organisation:unit_import"), {"file": sheet})
    assert response.status_code == 302
    assert Unit.objects.filter(code="N1", parent=city.root).exists()


def test_the_command_line_import_refuses_a_bad_sheet_with_status_2(city, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(unit_sheet([["N1", "", "", "", "市直部门", "", 1, "是"]]).read())
    with pytest.raises(CommandError) as error:
        call_command("units", "import", str(path), "--as", "office")
    assert error.value.returncode == 2
    assert "第 2 行：单位全称不能为空" in str(error.value)
    assert not Unit.objects.filter(code="N1").exists()
