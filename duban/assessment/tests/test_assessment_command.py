"""`duban assessment score FILE [--json]` on a hand-computed file and on broken ones."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FILE = {
    "groups": {"县区": ["甲县", "乙县"], "市直部门": ["财政局"]},
    "indicators": [
        {"key": "closure", "weight": 60, "formula": "target", "target": 0.9, "cap": 1},
        {"key": "overdue", "weight": 40, "formula": "rank", "better": "lower", "step": 10},
        {"key": "criticised", "formula": "deduction", "per": 1, "max": 3},
    ],
    "values": {
        "甲县": {"closure": 0.9, "overdue": 2, "criticised": None},
        "乙县": {"closure": 0.45, "overdue": 1, "criticised": 1},
        "财政局": {"closure": 0.72, "overdue": None, "criticised": None},
    },
    "grades": [[90, "优秀"], [80, "良好"], [60, "一般"], [0, "较差"]],
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("assessment", *args, stdout=out)
    return out.getvalue()


def written(tmp_path: Path, data) -> str:
    path = tmp_path / "scheme.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_json_output_gives_the_hand_computed_scores_ranks_and_shared_weights(tmp_path):
    result = json.loads(run("score", written(tmp_path, FILE), "--json"))
    rows = {row["unit"]: row for row in result["rows"]}

    # 甲县: 60 × 1 + 40 × (40 − 10) ÷ 40 = 90; 乙县: 60 × 0.5 + 40 − 1 = 69; 财政局: 100 × 0.8 = 80.
    assert [(rows[u]["score"], rows[u]["rank"], rows[u]["grade"]) for u in ("甲县", "乙县", "财政局")] == [
        (90.0, 1, "优秀"),
        (69.0, 2, "一般"),
        (80.0, 1, "良好"),
    ]
    assert rows["财政局"]["breakdown"][0] == {
        "indicator": "closure",
        "value": 0.72,
        "weight": 100.0,
        "points": 80.0,
    }
    assert rows["乙县"]["breakdown"][2]["points"] == -1.0


def test_the_table_lists_every_unit_with_its_rank(tmp_path):
    text = run("score", written(tmp_path, FILE))

    assert "甲县" in text and "90.00" in text and "财政局" in text


def test_a_malformed_file_names_the_field_and_exits_with_status_two(tmp_path):
    data = {**FILE, "indicators": [{**FILE["indicators"][0], "cap": -1}, *FILE["indicators"][1:]]}

    with pytest.raises(CommandError) as raised:
        run("score", written(tmp_path, data), "--json")

    assert raised.value.returncode == 2
    assert "indicators[0].cap" in str(raised.value)


def test_a_missing_value_is_named_by_unit_and_indicator(tmp_path):
    data = {**FILE, "values": {**FILE["values"], "甲县": {"closure": 1}}}

    with pytest.raises(CommandError) as raised:
        run("score", written(tmp_path, data))

    assert str(raised.value) == "缺少字段 values.甲县.overdue。"


def test_a_file_that_is_not_json_exits_with_status_two(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("score", written(tmp_path, "{"))

    assert raised.value.returncode == 2
