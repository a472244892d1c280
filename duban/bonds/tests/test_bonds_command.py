"""`duban bonds balance FILE [--json]`: output, and the exit status and wording of bad input."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .inputs import path

PROJECT_DIR = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    out = StringIO()
    call_command("bonds", "balance", *args, stdout=out)
    return out.getvalue()


def failure(file: Path) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        run(str(file))
    return excinfo.value


def write(tmp_path: Path, data: object) -> Path:
    file = tmp_path / "input.json"
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return file


def bullet_file() -> dict:
    return json.loads(path("worked_bullet").read_text(encoding="utf-8"))


def test_json_output_reproduces_the_bullet_example():
    out = json.loads(run(str(path("worked_bullet")), "--json"))
    assert out["coverage_ratio"] == 1.1307
    assert out["bond_coverage_ratio"] == 1.1307
    assert out["net_income"] == 21200
    assert out["debt_service"] == 18750
    assert out["min_cumulative_balance"] == -750
    assert out["passes"] is True
    assert out["years"][0] == {
        "year": 2021,
        "net": 0,
        "debt_service": 375,
        "ratio": 0.0,
        "cumulative_balance": -375,
    }


def test_json_output_reproduces_the_instalment_example():
    out = json.loads(run(str(path("worked_instalments")), "--json"))
    assert out["coverage_ratio"] == 1.1778
    assert out["debt_service"] == 18000
    assert out["min_cumulative_balance"] == -750


def test_json_output_carries_the_published_sensitivity_rows():
    out = json.loads(run(str(path("sensitivity_published_plan")), "--json"))
    revenue = [round(cell["bond_coverage_ratio"], 2) for cell in out["sensitivity"]["revenue"]]
    assert revenue == [1.14, 1.18, 1.22, 1.25, 1.29, 1.33, 1.37, 1.41, 1.45]
    principal = [round(cell["bond_coverage_ratio"], 2) for cell in out["sensitivity"]["principal"]]
    assert principal == [1.36, 1.35, 1.33, 1.31, 1.29, 1.28, 1.26, 1.25, 1.23]


def test_the_readable_output_is_a_chinese_table_with_verdict_and_sensitivity():
    text = run(str(path("worked_bullet")))
    assert "全部债务本息覆盖倍数：1.1307" in text
    assert "最低累计结余：-750.00（2022 年）" in text
    assert "结论：通过" in text
    assert "2030" in text and "15,375.00" in text
    assert "营业收入" in text and "专项债本金" in text


def test_the_readable_output_says_when_a_programme_fails(tmp_path):
    data = bullet_file()
    data["min_coverage"] = 1.2
    assert "结论：未通过" in run(str(write(tmp_path, data)))


def test_a_file_that_is_not_json_exits_with_status_2_and_says_where(tmp_path):
    file = tmp_path / "input.json"
    file.write_text('{"min_coverage": 1.1,\n "bonds": [}', encoding="utf-8")
    error = failure(file)
    assert error.returncode == 2
    assert "不是有效的 JSON" in str(error)
    assert "第 2 行" in str(error)


def test_a_missing_file_exits_with_status_2(tmp_path):
    error = failure(tmp_path / "nowhere.json")
    assert error.returncode == 2
    assert "无法读取文件" in str(error)


def test_a_missing_field_exits_with_status_2_naming_the_field(tmp_path):
    data = bullet_file()
    del data["bonds"][0]["term_years"]
    error = failure(write(tmp_path, data))
    assert error.returncode == 2
    assert "缺少字段 bonds[0].term_years" in str(error)


def test_an_ill_typed_field_exits_with_status_2_naming_the_field(tmp_path):
    data = bullet_file()
    data["years"][3]["revenue"] = "2400万"
    error = failure(write(tmp_path, data))
    assert error.returncode == 2
    assert "字段 years[3].revenue 应为数字" in str(error)


def test_fractions_not_summing_to_one_exit_with_status_2_and_give_the_total(tmp_path):
    data = json.loads(path("worked_instalments").read_text(encoding="utf-8"))
    data["bonds"][0]["repayment"]["2030"] = 0.25
    error = failure(write(tmp_path, data))
    assert error.returncode == 2
    assert "bonds[0].repayment 各年还本比例之和为 1.05，应为 1" in str(error)


def test_a_rate_in_percent_gets_an_explanation_of_the_expected_form(tmp_path):
    data = bullet_file()
    data["bonds"][0]["rate"] = 2.5
    assert "2.5% 写作 0.025" in str(failure(write(tmp_path, data)))


def test_a_gap_in_the_cash_flow_table_names_the_missing_year(tmp_path):
    data = bullet_file()
    del data["years"][9]
    assert "缺少 2030 年" in str(failure(write(tmp_path, data)))


def test_the_duban_command_line_exits_with_status_2_and_prints_the_field(tmp_path):
    data = bullet_file()
    data["bonds"][0]["rate"] = "2.5%"
    file = write(tmp_path, data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "duban.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "duban.cli", "bonds", "balance", str(file), "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert "bonds[0].rate" in done.stderr
    assert done.stdout == ""


def test_the_duban_command_line_prints_json_on_success():
    done = subprocess.run(
        [sys.executable, "-m", "duban.cli", "bonds", "balance", str(path("worked_instalments")), "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "duban.settings"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["coverage_ratio"] == 1.1778


def test_a_file_holding_a_list_is_told_the_document_must_be_an_object(tmp_path):
    error = failure(write(tmp_path, [1, 2]))
    assert error.returncode == 2
    assert "文件顶层应为 JSON 对象" in str(error)


def test_not_a_number_in_a_figure_is_refused_naming_the_field(tmp_path):
    file = tmp_path / "input.json"
    file.write_text(path("worked_bullet").read_text(encoding="utf-8").replace('"tax": 0', '"tax": NaN', 1))
    error = failure(file)
    assert error.returncode == 2
    assert "years[0].tax" in str(error)


def test_seven_shares_of_a_seventh_are_accepted_though_they_sum_to_one_only_within_rounding(tmp_path):
    data = json.loads(path("worked_instalments").read_text(encoding="utf-8"))
    # json writes 1/7 as 0.14285714285714285: seven of them sum to 0.99999999999999995.
    data["bonds"][0]["repayment"] = {str(year): 1 / 7 for year in range(2024, 2031)}
    out = json.loads(run(str(write(tmp_path, data)), "--json"))
    assert out["debt_service"] > 15000
    assert out["years"][-1]["cumulative_balance"] is not None
