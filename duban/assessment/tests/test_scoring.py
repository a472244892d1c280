"""The scoring of item 7 on examples computed by hand: each formula, ties, shared weight, groups, grades."""

from decimal import Decimal

import pytest

from duban.assessment.scoring import ScoringInputError, read, score

GRADES = [[90, "优秀"], [80, "良好"], [60, "一般"], [0, "较差"]]


def rows_of(data: dict) -> dict:
    scheme, values = read({"grades": GRADES, **data})
    return {row.unit: row for row in score(scheme, values)}


def points(row) -> dict:
    return {line.indicator: line.points for line in row.lines}


def test_a_target_indicator_scores_value_over_target_and_stops_at_the_cap():
    rows = rows_of(
        {
            "groups": {"县区": ["A", "B"]},
            "indicators": [
                {"key": "t", "weight": 60, "formula": "target", "target": 0.8, "cap": 1.2},
                {"key": "b", "weight": 40, "formula": "bands", "bands": [[0.9, 1], [0.8, 0.8], [0.6, 0.5]]},
            ],
            "values": {"A": {"t": 0.6, "b": 0.85}, "B": {"t": 1.0, "b": 0.5}},
        }
    )

    # A: 0.6 ÷ 0.8 = 0.75 × 60 = 45; 0.85 reaches the 0.8 band: 0.8 × 40 = 32.
    assert points(rows["A"]) == {"t": Decimal("45.0000"), "b": Decimal("32.0000")}
    assert rows["A"].score == Decimal("77.00")
    # B: 1.0 ÷ 0.8 = 1.25, capped at 1.2 × 60 = 72; 0.5 is past the last band: 0.
    assert points(rows["B"]) == {"t": Decimal("72.0000"), "b": Decimal("0.0000")}
    assert (rows["A"].rank, rows["B"].rank) == (1, 2)
    assert (rows["A"].grade, rows["B"].grade) == ("一般", "一般")


def test_bands_for_lower_is_better_count_a_value_at_or_below_the_threshold():
    rows = rows_of(
        {
            "groups": {"县区": ["A", "B", "C"]},
            "indicators": [
                {
                    "key": "d",
                    "weight": 10,
                    "formula": "bands",
                    "better": "lower",
                    "bands": [[1, 1], [3, 0.6]],
                },
            ],
            "values": {"A": {"d": 1}, "B": {"d": 3}, "C": {"d": 3.5}},
        }
    )

    assert [rows[unit].score for unit in "ABC"] == [Decimal("10.00"), Decimal("6.00"), Decimal("0.00")]


def test_a_rank_indicator_loses_a_step_per_place_and_ties_share_the_better_rank():
    rows = rows_of(
        {
            "groups": {"县区": ["A", "B", "C", "D"]},
            "indicators": [{"key": "r", "weight": 20, "formula": "rank", "better": "higher", "step": 5}],
            "values": {"A": {"r": 10}, "B": {"r": 8}, "C": {"r": 8}, "D": {"r": 5}},
        }
    )

    # places 1, 2, 2, 4: 20, 20 − 5, 20 − 5, 20 − 15.
    assert [rows[unit].score for unit in "ABCD"] == [Decimal(20), Decimal(15), Decimal(15), Decimal(5)]
    assert [rows[unit].rank for unit in "ABCD"] == [1, 2, 2, 4]


def test_a_rank_indicator_where_lower_is_better_never_goes_below_zero():
    rows = rows_of(
        {
            "groups": {"县区": ["A", "B", "C"]},
            "indicators": [{"key": "r", "weight": 10, "formula": "rank", "better": "lower", "step": 6}],
            "values": {"A": {"r": 1}, "B": {"r": 3}, "C": {"r": 4}},
        }
    )

    assert [rows[unit].score for unit in "ABC"] == [Decimal(10), Decimal(4), Decimal(0)]


def test_a_rank_indicator_places_only_units_with_a_value():
    rows = rows_of(
        {
            "groups": {"县区": ["A", "B", "C"]},
            "indicators": [
                {"key": "r", "weight": 50, "formula": "rank", "better": "higher", "step": 10},
                {"key": "t", "weight": 50, "formula": "target", "target": 1, "cap": 1},
            ],
            "values": {"A": {"r": None, "t": 1}, "B": {"r": 2, "t": 1}, "C": {"r": 1, "t": 1}},
        }
    )

    # A is not ranked on r: its 50 goes to t (100 × 1); B first (50), C second (40).
    assert points(rows["A"]) == {"r": Decimal(0), "t": Decimal(100)}
    assert points(rows["C"])["r"] == Decimal(40)
    assert [line.weight for line in rows["A"].lines] == [Decimal(0), Decimal(100)]


def test_a_not_applicable_weight_is_shared_in_proportion_to_the_other_weights():
    rows = rows_of(
        {
            "groups": {"市直部门": ["A"]},
            "indicators": [
                {"key": "x", "weight": 50, "formula": "target", "target": 1, "cap": 1},
                {"key": "y", "weight": 30, "formula": "target", "target": 1, "cap": 1},
                {"key": "z", "weight": 20, "formula": "target", "target": 1, "cap": 1},
            ],
            "values": {"A": {"x": 1, "y": 0.5, "z": None}},
        }
    )

    # x: 50 × 100 ÷ 80 = 62.5; y: 37.5 × 0.5 = 18.75; z not applicable, never zero-scored.
    assert [line.weight for line in rows["A"].lines] == [Decimal("62.5"), Decimal("37.5"), Decimal(0)]
    assert rows["A"].score == Decimal("81.25")
    assert rows["A"].grade == "良好"


def test_a_deduction_takes_per_times_value_up_to_its_maximum_and_is_never_shared():
    rows = rows_of(
        {
            "groups": {"县区": ["A", "B", "C"]},
            "indicators": [
                {"key": "t", "weight": 100, "formula": "target", "target": 1, "cap": 1},
                {"key": "d", "formula": "deduction", "per": 2, "max": 5},
            ],
            "values": {"A": {"t": 1, "d": 2}, "B": {"t": 1, "d": 4}, "C": {"t": 1, "d": None}},
        }
    )

    assert [rows[unit].score for unit in "ABC"] == [Decimal(96), Decimal(95), Decimal(100)]
    assert rows["C"].lines[0].weight == Decimal(100)
    assert [rows[unit].rank for unit in "CAB"] == [1, 2, 3]
    assert rows["C"].grade == "优秀"


def test_the_score_is_rounded_half_up_to_the_cent():
    rows = rows_of(
        {
            "groups": {"县区": ["A"]},
            "indicators": [{"key": "t", "weight": 1, "formula": "target", "target": 1, "cap": 10}],
            "values": {"A": {"t": 2.345}},
        }
    )

    assert rows["A"].score == Decimal("2.35")


def test_groups_are_ranked_separately_and_a_separate_unit_is_scored_but_not_ranked():
    rows = rows_of(
        {
            "groups": {"县区": ["A", "B"], "市直部门": ["C"]},
            "separate": ["E"],
            "indicators": [{"key": "t", "weight": 100, "formula": "target", "target": 1, "cap": 1}],
            "values": {"A": {"t": 0.9}, "B": {"t": 0.7}, "C": {"t": 0.5}, "E": {"t": 1}},
        }
    )

    assert [(rows[u].group, rows[u].rank) for u in "ABC"] == [("县区", 1), ("县区", 2), ("市直部门", 1)]
    assert (rows["E"].group, rows["E"].rank, rows["E"].score) == (None, None, Decimal(100))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"indicators": [{"key": "t", "weight": 1, "formula": "target", "cap": 1}]}, "indicators[0].target"),
        ({"indicators": [{"key": "t", "weight": 1, "formula": "guess"}]}, "indicators[0].formula"),
        (
            {"indicators": [{"key": "t", "weight": 0, "formula": "target", "target": 1, "cap": 1}]},
            "indicators[0].weight",
        ),
        ({"values": {"A": {}}}, "values.A.t"),
        ({"values": {"A": {"t": "x"}}}, "values.A.t"),
        ({"values": {"A": {"t": 1}, "Z": {"t": 1}}}, "values.Z"),
        ({"groups": {"县区": ["A", "A"]}}, "groups.县区[1]"),
        ({"grades": [[90]]}, "grades[0]"),
    ],
)
def test_a_malformed_input_names_its_field(change, field):
    data = {
        "groups": {"县区": ["A"]},
        "indicators": [{"key": "t", "weight": 1, "formula": "target", "target": 1, "cap": 1}],
        "values": {"A": {"t": 1}},
        **change,
    }

    with pytest.raises(ScoringInputError) as raised:
        read(data)

    assert raised.value.field == field
