"""What the management commands share: one status and one wording for bad input."""

import argparse
from datetime import date
from decimal import Decimal

import pytest
from django.core.management.base import CommandError

from duban.core.commands import acting_user, date_argument, import_file, read_json, text_width
from duban.core.errors import NotPermitted


def test_a_json_file_is_read_with_exact_decimals(tmp_path):
    path = tmp_path / "input.json"
    path.write_text('{"rate": 0.035}', encoding="utf-8-sig")
    assert read_json(path) == {"rate": Decimal("0.035")}


def test_a_missing_json_file_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(CommandError) as raised:
        read_json(tmp_path / "absent.json")
    assert raised.value.returncode == 2
    assert "absent.json" in str(raised.value) and "找不到文件" in str(raised.value)


def test_an_account_that_is_inactive_cannot_be_acted_as(city):
    city.liaison.is_active = False
    city.liaison.save()
    with pytest.raises(CommandError, match="不存在或已停用") as raised:
        acting_user("liaison")
    assert raised.value.returncode == 2
    assert acting_user("office") == city.office


def test_a_refusal_within_an_import_becomes_the_commands_error(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="只有督查室") as raised, import_file(path) as upload:
        assert upload.name == "sheet.xlsx"
        raise NotPermitted("只有督查室可以导入。")
    assert raised.value.returncode == 2


def test_chinese_characters_take_two_columns():
    assert text_width("债券A") == 5


def test_a_day_is_read_as_the_pages_read_one_and_a_bad_one_is_a_usage_error():
    assert date_argument("2026-03-31") == date_argument("2026年3月31日") == date(2026, 3, 31)
    with pytest.raises(argparse.ArgumentTypeError, match="2026-13-01"):
        date_argument("2026-13-01")
