"""`duban ppp affordability FILE [--json]` on the worked example of 财金〔2015〕21号 and on broken files."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.ppp.management.commands.ppp import Command

WORKED_EXAMPLE = Path(__file__).parent / "data" / "worked_example.json"


def run(*args: str) -> str:
    out = StringIO()
    call_command("ppp", *args, stdout=out)
    return out.getvalue()


def written(tmp_path: Path, data: object) -> str:
    path = tmp_path / "programme.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def worked_example_with(**changes) -> dict:
    data = json.loads(WORKED_EXAMPLE.read_text(encoding="utf-8"))
    data["projects"][0].update(changes)
    return data


def test_json_output_reproduces_the_worked_subsidies():
    result = json.loads(run("affordability", str(WORKED_EXAMPLE), "--json"))

    subsidy = result["projects"][0]["subsidy"]
    assert subsidy["2021"] == 11591.00
    assert subsidy["2030"] == 15572.35


def test_json_output_reports_8_44_percent_and_refuses_new_government_pay_projects_in_year_one():
    years = {
        year["year"]: year
        for year in json.loads(run("affordability", str(WORKED_EXAMPLE), "--json"))["years"]
    }

    first = years[2021]
    assert round(first["ratio"] * 100, 2) == 8.44
    assert first["obligations"] == 26591.00
    assert first["by_type"] == {"equity": 0.0, "subsidy": 11591.0, "risk": 0.0, "supporting": 0.0}
    assert (first["within_cap"], first["warning"], first["gov_pay_allowed"]) == (True, True, False)
    assert round(years[2030]["ratio"] * 100, 2) == 6.26


def test_table_output_is_in_chinese_with_the_first_year_ratio():
    table = run("affordability", str(WORKED_EXAMPLE))

    assert "一般公共预算支出" in table
    assert "11,591.00" in table
    assert "8.44%" in table
    assert "不允许" in table


def test_malformed_field_exits_with_status_2_naming_the_field(tmp_path):
    path = written(tmp_path, worked_example_with(discount_rate=3.5))

    with pytest.raises(CommandError) as raised:
        run("affordability", path, "--json")

    assert raised.value.returncode == 2
    assert "projects[0].discount_rate" in str(raised.value)
    assert "超出范围" in str(raised.value)


def test_missing_field_is_named_in_chinese(tmp_path):
    data = worked_example_with()
    del data["projects"][0]["subsidy_years"]

    with pytest.raises(CommandError) as raised:
        run("affordability", written(tmp_path, data))

    assert str(raised.value) == "缺少字段 projects[0].subsidy_years。"


def test_unknown_payment_mechanism_lists_the_choices(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("affordability", written(tmp_path, worked_example_with(payment_mechanism="BOT")))

    assert "projects[0].payment_mechanism" in str(raised.value)
    assert "viability_gap" in str(raised.value)


def test_invalid_json_exits_with_status_2_giving_line_and_column(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("affordability", written(tmp_path, '{"cap": 0.10,\n "warning": }'))

    assert raised.value.returncode == 2
    assert "第 2 行" in str(raised.value)


def test_nan_is_not_a_number_the_command_accepts(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("affordability", written(tmp_path, '{"cap": NaN}'))

    assert raised.value.returncode == 2
    assert "cap" in str(raised.value)


def test_missing_file_exits_with_status_2(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("affordability", str(tmp_path / "absent.json"))

    assert raised.value.returncode == 2
    assert "absent.json" in str(raised.value)


def test_command_line_run_exits_with_status_2_and_writes_the_error_to_stderr(tmp_path, capsys):
    path = written(tmp_path, worked_example_with(discount_rate=-0.01))

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["duban", "ppp", "affordability", path, "--json"])

    assert exited.value.code == 2
    assert "projects[0].discount_rate" in capsys.readouterr().err


def test_a_subcommand_is_required():
    with pytest.raises(CommandError):
        run()


def test_project_subsidies_cover_the_subsidy_period_only():
    result = json.loads(run("affordability", str(WORKED_EXAMPLE), "--json"))

    assert list(result["projects"][0]["subsidy"]) == [str(year) for year in range(2021, 2031)]


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text(WORKED_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8-sig")

    assert "8.44%" in run("affordability", str(path))


def test_budget_without_a_year_names_the_field_and_the_year(tmp_path):
    data = worked_example_with()
    data["budget"] = {"expenditure": {"2021": 315000}}

    with pytest.raises(CommandError) as raised:
        run("affordability", written(tmp_path, data))

    assert raised.value.returncode == 2
    assert "budget.expenditure" in str(raised.value)
    assert "2020" in str(raised.value)


@pytest.mark.django_db
def test_reclassify_applies_the_rules_to_every_project(city):
    import datetime

    from duban.ppp.models import PPPProject
    from duban.ppp.tests.factories import make_project

    project = make_project(implementing_agency=city.finance, by=city.office)
    step = project.steps.first()
    step.planned_on = datetime.date.today() - datetime.timedelta(days=200)
    step.save()
    out = StringIO()
    call_command("ppp", "reclassify", stdout=out)
    assert "1" in out.getvalue()
    assert PPPProject.objects.get(pk=project.pk).project_class == "stalled"
