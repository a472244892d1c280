"""The `minutes extract` management command: JSON and summary output, directories, and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from duban.minutes.management.commands import minutes as command_module

from .helpers import TEXTS, seed_path


@pytest.fixture
def no_database(monkeypatch):
    def unavailable():
        raise OperationalError("no such table: organisation_unit")

    monkeypatch.setattr("duban.organisation.selectors.unit_directory", unavailable)
    monkeypatch.setattr("duban.organisation.selectors.leader_directory", unavailable)


def run(*args: str) -> str:
    out = StringIO()
    call_command("minutes", *args, stdout=out)
    return out.getvalue()


def test_extract_json_prints_the_meeting_and_directives(no_database):
    data = json.loads(run("extract", str(seed_path()), "--json", "--meeting-date", "2018-12-25"))
    assert data["meeting"]["type"] == "市长议事会"
    assert data["meeting"]["date"] == "2018-12-25"
    assert len(data["directives"]) == 11
    assert data["directives"][0]["units"][0]["name"] == "各级各有关部门"


def test_extract_without_json_prints_a_chinese_summary(no_database):
    out = run("extract", str(seed_path()))
    assert "会议类型：市长议事会" in out
    assert "督办事项：11 项" in out
    assert "1. 各级各有关部门要强化责任" in out


def test_extract_uses_the_directories_when_the_database_has_them(monkeypatch):
    monkeypatch.setattr(
        "duban.organisation.selectors.unit_directory",
        lambda: [
            {"id": 7, "name": "驻马店市人民政府各有关部门", "short_name": "", "aliases": ["各级各有关部门"]}
        ],
    )
    monkeypatch.setattr(
        "duban.organisation.selectors.leader_directory",
        lambda: [{"id": 1, "name": "朱是西", "title": "市长"}],
    )
    data = json.loads(run("extract", str(seed_path()), "--json"))
    assert data["directives"][0]["units"][0]["id"] == 7
    assert data["meeting"]["chair"] == "朱是西"


@pytest.mark.django_db
def test_extract_works_with_an_empty_migrated_database():
    data = json.loads(run("extract", str(seed_path()), "--json"))
    assert len(data["directives"]) == 11


def test_unmigrated_database_falls_back_to_plain_names(no_database):
    assert command_module._directories() == (None, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (bytes(range(256)) * 8, "文件不是文本"),
        (b"\x81\xff\x82\xfe\x83\xff" * 60, "无法识别文件的文字编码"),
    ],
)
def test_bad_input_is_a_clear_chinese_error_with_status_2(tmp_path, no_database, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        run("extract", str(path))
    assert message in str(caught.value)
    assert caught.value.returncode == 2


def test_missing_file_is_a_clear_chinese_error_with_status_2(tmp_path, no_database):
    with pytest.raises(CommandError) as caught:
        run("extract", str(tmp_path / "missing.txt"))
    assert "找不到文件" in str(caught.value)
    assert caught.value.returncode == 2


def test_command_line_exits_with_status_2_on_an_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "duban.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "minutes", "extract", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        timeout=120,
    )
    assert result.returncode == 2
    assert "文件是空的" in result.stderr


def test_extract_reads_a_gbk_encoded_file(tmp_path, no_database):
    path = tmp_path / "gbk.txt"
    path.write_bytes((TEXTS / "changwu_numbered.txt").read_text(encoding="utf-8").encode("gbk"))
    data = json.loads(run("extract", str(path), "--json", "--meeting-date", "2025-03-02"))
    assert data["meeting"]["chair"] == "张建国"
    assert len(data["directives"]) == 11


def test_extract_reads_a_docx_file(tmp_path, no_database):
    import docx

    document = docx.Document()
    for line in (TEXTS / "jiyao_items.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "纪要.docx"
    document.save(path)
    data = json.loads(run("extract", str(path), "--json"))
    assert data["meeting"]["date"] == "2024-01-08"
    assert [d["deadline"] for d in data["directives"] if d["deadline"]] == [
        "2024-01-15",
        "2024-02-09",
        "2024-02-29",
    ]
