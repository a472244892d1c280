import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from duban.core.errors import Invalid, NotPermitted
from duban.organisation.excel import units_workbook
from duban.organisation.models import Unit

from .sheets import import_units, refused_rows, unit_sheet


def test_a_good_sheet_creates_units_with_parents_from_later_rows(city):
    sheet = unit_sheet(
        [
            ["C-NP-CZ", "南屏县财政局", "县财政局", "南屏财政、县财政", "县区部门", "C-NP2", 1, "是"],
            ["C-NP2", "南屏县新区管委会", "南屏新区", "", "开发区", "C", 2, "是"],
        ]
    )
    result = import_units(sheet, by=city.office)
    assert result == {"created": 2, "updated": 0}
    unit = Unit.objects.get(code="C-NP-CZ")
    assert unit.parent.code == "C-NP2"
    assert unit.aliases == ["南屏财政", "县财政"]
    assert unit.tree_path.startswith(city.root.tree_path)


def test_a_sheet_with_one_bad_row_saves_nothing_and_names_the_row_and_reason(city):
    messages = refused_rows(
        [
            ["N1", "新单位一", "", "", "市直部门", "C", 1, "是"],
            ["N2", "新单位二", "", "", "不存在的类型", "C", 2, "是"],
            ["N3", "新单位三", "", "", "市直部门", "C", 3, "是"],
        ],
        by=city.office,
    )
    assert len(messages) == 1
    assert messages[0].startswith("第 3 行")
    assert "不存在的类型" in messages[0]


def test_every_bad_row_is_reported_in_one_run(city):
    rows = [
        ["", "无编码", "", "", "市直部门", "", 1, "是"],
        ["N2", "", "", "", "市直部门", "NOPE", 2, "也许"],
        ["C-CZ", "测试市住房和城乡建设局", "", "", "市直部门", "C", 3, "是"],
        ["C-CZ", "又一个", "", "", "市直部门", "C", -3, "是"],
    ]
    assert set(refused_rows(rows, by=city.office)) >= {
        "第 2 行：单位编码不能为空。",
        "第 3 行：单位全称不能为空。",
        "第 3 行：上级单位编码“NOPE”不存在。",
        "第 3 行：“启用”一栏只能填“是”或“否”。",
        "第 4 行：单位全称“测试市住房和城乡建设局”已被编码为 C-ZJ 的单位使用。",
        "第 5 行：单位编码“C-CZ”与第 4 行重复。",
        "第 5 行：排序必须是非负整数。",
    }


def test_a_cycle_of_parents_is_refused(city):
    messages = refused_rows(
        [["A", "甲", "", "", "市直部门", "B", 1, "是"], ["B", "乙", "", "", "市直部门", "A", 2, "是"]],
        by=city.office,
    )
    assert "循环" in messages[0]


def test_a_missing_required_column_is_named(city):
    sheet = unit_sheet([["X", "某单位"]], header=["单位编码", "单位全称"])
    with pytest.raises(Invalid) as error:
        import_units(sheet, by=city.office)
    assert "类型" in error.value.fields["file"][0]


def test_an_export_can_be_edited_and_imported_back(city):
    workbook = load_workbook(io.BytesIO(units_workbook(Unit.objects.all())))
    sheet = workbook.active
    assert [c.value for c in sheet[1]][:3] == ["单位编码", "单位全称", "简称"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "C-CZ":
            row[2].value = "财政"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_units(SimpleUploadedFile("u.xlsx", buffer.getvalue()), by=city.office)
    assert result == {"created": 0, "updated": 5}
    assert Unit.objects.get(code="C-CZ").short_name == "财政"


def test_a_file_that_is_not_a_workbook_is_refused_before_reading(city):
    with pytest.raises(Invalid) as error:
        import_units(SimpleUploadedFile("units.xlsx", b"this is not a zip file at all"), by=city.office)
    assert "不符" in error.value.message
    with pytest.raises(Invalid):
        import_units(SimpleUploadedFile("units.csv", b"a,b"), by=city.office)


def test_a_row_without_a_parent_is_refused_while_the_city_exists(city):
    messages = refused_rows([["N1", "新单位一", "", "", "市直部门", "", 1, "是"]], by=city.office)
    assert messages[0].startswith("第 2 行") and "只有一个最高级单位" in messages[0]


def test_the_first_sheet_of_an_empty_directory_brings_its_root(db):
    from duban.tests.factories import UserFactory

    office = UserFactory(role="office")
    sheet = unit_sheet(
        [
            ["C-A", "某局", "", "", "市直部门", "C", 1, "是"],
            ["C", "某市人民政府", "市政府", "", "市", "", 0, "是"],
        ]
    )
    assert import_units(sheet, by=office) == {"created": 2, "updated": 0}
    assert Unit.objects.get(code="C-A").parent.code == "C"


def test_a_unit_moved_by_the_sheet_takes_its_sub_units_along(city):
    sheet = unit_sheet(
        [
            ["C-NP-SQ", city.township.name, "石桥", "", "乡镇/街道", "C-NP", 0, "是"],
            ["C-NP", city.county.name, "南屏县", "", "县区", "C-CZ", 0, "是"],
        ]
    )
    assert import_units(sheet, by=city.office) == {"created": 0, "updated": 2}
    city.township.refresh_from_db()
    assert city.township.tree_path == f"{city.finance.tree_path}{city.county.pk}/{city.township.pk}/"
    assert city.township.short_name == "石桥"


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_only_the_office_imports_the_directory(city, who):
    with pytest.raises(NotPermitted):
        import_units(
            unit_sheet([["N1", "新单位一", "", "", "市直部门", "C", 1, "是"]]), by=getattr(city, who)
        )
    assert not Unit.objects.filter(code="N1").exists()


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


def test_a_row_below_a_refused_row_is_not_saved_either(city):
    long_name = "长" * 200
    messages = refused_rows(
        [
            ["N1", long_name, "", "", "市直部门", "C", 1, "是"],
            ["N2", "新单位二", "", "", "市直部门", "N1", 2, "是"],
        ],
        by=city.office,
    )
    assert len(messages) == 1 and messages[0].startswith("第 2 行")
