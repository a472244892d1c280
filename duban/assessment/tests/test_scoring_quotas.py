"""Grades by quotas (按比例评定等次): each grade at most its percent of a ranked group's places, rounded down,
the first grade at least one unit; tied units share a grade, the better only if its places left hold them all."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.assessment.scoring import Indicator, Scheme, ScoringInputError, read, score
from duban.assessment.scoring.compute import quota_grades, quota_places

QUOTAS = [[20, "优秀"], [30, "良好"], [40, "一般"], [10, "较差"]]
D = Decimal
QUOTA_PAIRS = tuple((D(p), name) for p, name in QUOTAS)


def file_of(scores: dict, **extra) -> dict:
    return {
        "groups": {"县区": list(scores)},
        "indicators": [{"key": "k", "weight": 100, "formula": "target", "target": 100, "cap": 1}],
        "values": {unit: {"k": value} for unit, value in scores.items()},
        "quotas": QUOTAS,
        **extra,
    }


def grades_of(data: dict) -> dict:
    scheme, values = read(data)
    return {row.unit: row.grade for row in score(scheme, values)}


def test_each_grade_takes_its_percent_of_the_group_rounded_down_and_the_last_the_rest():
    assert quota_places(QUOTA_PAIRS, 10) == [2, 3, 4, None]
    # 7 units: 1.4 → 1, 2.1 → 2, 2.8 → 2, the rest (2) 较差.
    assert quota_places(QUOTA_PAIRS, 7) == [1, 2, 2, None]
    scores = dict(zip("ABCDEFG", [90, 80, 70, 60, 50, 40, 30], strict=True))

    assert list(grades_of(file_of(scores)).values()) == [
        "优秀",
        "良好",
        "良好",
        "一般",
        "一般",
        "较差",
        "较差",
    ]


def test_the_first_grade_has_one_place_even_in_a_small_group():
    assert quota_places(QUOTA_PAIRS, 3) == [1, 0, 1, None]
    assert grades_of(file_of({"A": 90, "B": 80, "C": 70})) == {"A": "优秀", "B": "一般", "C": "较差"}


def test_units_tied_at_a_boundary_both_take_the_lower_grade_when_the_quota_cannot_hold_them():
    scores = dict(zip("ABCDEFGHIJ", [99, 95, 95, 90, 80, 80, 80, 70, 60, 50], strict=True))

    grades = grades_of(file_of(scores))

    # 优秀 has two places: A takes one, B and C tie for the last one, so both are 良好 (one place of 优秀
    # stays empty). 良好 has three: B, C, D. 一般 four: E, F, G (tied) and H. The rest 较差.
    assert grades == {
        "A": "优秀",
        "B": "良好",
        "C": "良好",
        "D": "良好",
        "E": "一般",
        "F": "一般",
        "G": "一般",
        "H": "一般",
        "I": "较差",
        "J": "较差",
    }


def test_units_tied_within_the_quota_share_the_better_grade():
    scores = dict(zip("ABCDEFGHIJ", [99, 99, 90, 80, 70, 60, 50, 40, 30, 20], strict=True))

    grades = grades_of(file_of(scores))

    assert (grades["A"], grades["B"], grades["C"]) == ("优秀", "优秀", "良好")


def test_quotas_count_each_group_apart_and_give_a_separate_unit_no_grade():
    data = file_of({"A": 90, "B": 80})
    data["groups"]["市直部门"] = ["C"]
    data["separate"] = ["E"]
    data["values"].update({"C": {"k": 10}, "E": {"k": 100}})

    # 县区 of two: 优秀 one place, 良好 and 一般 none (30% and 40% of 2, rounded down), so B takes the rest.
    assert grades_of(data) == {"A": "优秀", "B": "较差", "C": "优秀", "E": None}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"quotas": [[60, "优秀"], [30, "良好"]]}, "quotas", "total"),
        ({"quotas": [[0, "优秀"], [100, "良好"]]}, "quotas[0][0]", "out_of_range"),
        ({"quotas": [[120, "优秀"], [-20, "良好"]]}, "quotas[0][0]", "out_of_range"),
        ({"quotas": [[50, "优秀"], [50, "优秀"]]}, "quotas[1][1]", "duplicate"),
        ({"quotas": [[50, "优秀"], [50]]}, "quotas[1]", "invalid_type"),
        ({"quotas": [["五成", "优秀"], [50, "良好"]]}, "quotas[0][0]", "invalid_type"),
        ({"quotas": []}, "quotas", "required"),
        ({"quotas": "20%"}, "quotas", "invalid_type"),
        ({"grades": [[90, "优秀"]]}, "quotas", "exclusive"),
    ],
)
def test_malformed_quotas_name_the_field(change, field, code):
    with pytest.raises(ScoringInputError) as raised:
        read({**file_of({"A": 1}), **change})

    assert (raised.value.field, raised.value.code) == (field, code)


def run(tmp_path, data) -> str:
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("assessment", "score", str(path), "--json", stdout=out)
    return out.getvalue()


def test_the_command_grades_by_quotas(tmp_path):
    rows = json.loads(run(tmp_path, file_of({"A": 90, "B": 80, "C": 70, "D": 60, "E": 50})))["rows"]

    assert [(row["unit"], row["rank"], row["grade"]) for row in rows] == [
        ("A", 1, "优秀"),
        ("B", 2, "良好"),
        ("C", 3, "一般"),
        ("D", 4, "一般"),
        ("E", 5, "较差"),
    ]


@pytest.mark.parametrize(
    ("quotas", "message"),
    [
        ([[60, "优秀"], [30, "良好"]], "字段 quotas 的比例合计为 90%，应为 100%（最后一个等次为其余单位）。"),
        ([[120, "优秀"]], "字段 quotas[0][0] 的值 120 超出范围，应大于 0 且不大于 100。"),
    ],
)
def test_the_command_refuses_malformed_quotas_with_status_two(tmp_path, quotas, message):
    with pytest.raises(CommandError) as raised:
        run(tmp_path, file_of({"A": 1}, quotas=quotas))

    assert raised.value.returncode == 2
    assert str(raised.value) == message


def test_the_command_refuses_grades_and_quotas_together(tmp_path):
    with pytest.raises(CommandError) as raised:
        run(tmp_path, file_of({"A": 1}, grades=[[90, "优秀"]]))

    assert raised.value.returncode == 2
    assert str(raised.value) == "字段 quotas 与 grades 只能给出其一。"


# Properties over any group and any quotas adding up to 100.

percents = st.lists(st.integers(1, 60), min_size=1, max_size=4).filter(lambda p: sum(p) <= 100)
scores = st.lists(st.integers(0, 6).map(D), min_size=0, max_size=25)


def quotas_of(parts: list[int]) -> tuple[tuple[Decimal, str], ...]:
    parts = [*parts, 100 - sum(parts)] if sum(parts) < 100 else parts
    return tuple((D(p), f"G{i}") for i, p in enumerate(parts))


@settings(max_examples=300, deadline=None)
@given(parts=percents, values=scores)
def test_no_grade_but_the_last_holds_more_than_its_places(parts, values):
    quotas = quotas_of(parts)
    grades = quota_grades(quotas, values)
    places = quota_places(quotas, len(values))
    for (_percent, name), room in zip(quotas, places, strict=True):
        if room is not None:
            assert grades.count(name) <= room


@settings(max_examples=300, deadline=None)
@given(parts=percents, values=scores)
def test_a_better_score_never_has_a_worse_grade_and_ties_share_one(parts, values):
    quotas = quotas_of(parts)
    names = [name for _, name in quotas]
    grades = quota_grades(quotas, values)
    assert all(grade in names for grade in grades)
    for a, grade_a in zip(values, grades, strict=True):
        for b, grade_b in zip(values, grades, strict=True):
            if a > b:
                assert names.index(grade_a) <= names.index(grade_b)
            if a == b:
                assert grade_a == grade_b


@settings(max_examples=200, deadline=None)
@given(parts=percents, values=scores)
def test_score_gives_every_ranked_unit_a_quota_grade(parts, values):
    units = [f"U{i}" for i in range(len(values))]
    indicator = Indicator("k", D(10), "target", target=D(6), cap=D(1))
    scheme = Scheme(groups={"甲": tuple(units)}, indicators=(indicator,), quotas=quotas_of(parts))
    rows = score(scheme, {unit: {"k": value} for unit, value in zip(units, values, strict=True)})
    names = {name for _, name in scheme.quotas}
    assert all(row.grade in names for row in rows)
