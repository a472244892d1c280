"""The ledger (台账) in Excel: the export follows the board's filters; the import checks every row and
saves all or nothing, from the page and from the command line."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from duban.directives import services
from duban.directives.models import Directive, State
from duban.tests.factories import ThemeFactory

from .factories import DirectiveFactory


def _sheet(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(services.LEDGER_COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def test_the_export_carries_the_filtered_list(city, client_for, directive):
    DirectiveFactory(lead_unit=city.county, title="别的事项")
    response = client_for(city.office).get(reverse("directives:export"), {"unit": city.finance.pk})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "事项名称") and len(rows) == 2
    assert rows[1][1] == "专项债券项目申报" and rows[1][6] == city.housing.name


def test_the_ledger_import_creates_every_row(city, client_for):
    ThemeFactory(code="bond", name="专项债券")
    upload = _sheet(
        [
            [
                "申报专项债券",
                "",
                "专项债券",
                "孙立华",
                "财政局",
                "市住建局",
                "2026-12-31",
                "重要",
                "",
                "",
                "",
            ],
            ["乡镇征地", "", "bond", "", "石桥镇", "", "2026年11月30日", "", "年度重点工作", "", ""],
        ]
    )
    response = client_for(city.office).post(reverse("directives:import"), {"file": upload, "assign": "on"})
    assert response.status_code == 302
    created = Directive.objects.get(title="申报专项债券")
    assert created.lead_unit == city.finance and created.state == State.ASSIGNED and created.priority == 2
    assert list(created.co_units.all()) == [city.housing]
    assert Directive.objects.get(title="乡镇征地").deadline == date(2026, 11, 30)


def test_a_ledger_with_a_bad_row_saves_nothing_and_names_every_bad_row(city, client_for):
    ThemeFactory(code="bond", name="专项债券")
    upload = _sheet(
        [
            ["好的一行", "", "专项债券", "", "财政局", "", "2026-12-31", "", "", "", ""],
            ["坏的一行", "", "不存在的主题", "", "不存在的单位", "", "明年", "", "", "", ""],
        ]
    )
    response = client_for(city.office).post(reverse("directives:import"), {"file": upload})
    assert response.status_code == 200
    errors = response.context["row_errors"]
    assert any("第 3 行" in e and "工作主题" in e for e in errors)
    assert any("第 3 行" in e and "牵头单位" in e for e in errors)
    assert any("第 3 行" in e and "办理时限" in e for e in errors)
    assert not Directive.objects.exists()


def test_the_ledger_goes_out_and_back_in_through_the_command_line(city, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    ThemeFactory(code="bond", name="专项债券")
    DirectiveFactory(
        lead_unit=city.finance, title="台账事项", theme=ThemeFactory(code="bond", name="专项债券")
    )
    out = tmp_path / "台账.xlsx"
    call_command("directives", "export", str(out))
    Directive.objects.all().delete()
    call_command("directives", "import", str(out), "--as", "office")
    assert Directive.objects.get().title == "台账事项"
    with pytest.raises(CommandError):
        call_command("directives", "import", str(tmp_path / "none.xlsx"), "--as", "office")
    with pytest.raises(CommandError, match="督查室"):
        call_command("directives", "import", str(out), "--as", "liaison")
