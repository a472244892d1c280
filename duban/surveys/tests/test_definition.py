"""The pure validator: one set of checks for the server, the page and the import; Chinese messages
naming the field."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..definition import DefinitionInvalid, check_definition, numeric_values, validate_answers
from ..industry import DEFINITION as INDUSTRY
from .factories import GOOD, SMALL


def test_the_shipped_forms_hold_to_the_schema():
    check_definition(SMALL)
    check_definition(INDUSTRY)


def test_a_definition_with_an_unknown_type_or_a_repeated_key_is_refused():
    bad = {"sections": [{"key": "a", "title": "A", "fields": [{"key": "x", "label": "X", "type": "money"}]}]}
    with pytest.raises(DefinitionInvalid):
        check_definition(bad)
    twice = {
        "sections": [{"key": "a", "title": "A", "fields": [{"key": "x", "label": "X", "type": "text"}] * 2}]
    }
    with pytest.raises(DefinitionInvalid, match="重复"):
        check_definition(twice)


def test_a_check_naming_a_text_field_is_refused():
    bad = {
        "sections": [{"key": "a", "title": "A", "fields": [{"key": "x", "label": "X", "type": "text"}]}],
        "checks": [{"kind": "sum", "parts": ["x"], "total": "x"}],
    }
    with pytest.raises(DefinitionInvalid, match="数值"):
        check_definition(bad)


def test_good_answers_are_cleaned_to_decimal_text():
    cleaned, errors = validate_answers(SMALL, GOOD)
    assert errors == {}
    assert cleaned["output"] == "100" and cleaned["firms"] == [{"name": "甲公司", "revenue": "30"}]


def test_a_bad_number_is_named_in_chinese():
    _cleaned, errors = validate_answers(SMALL, {**GOOD, "output": "一百"})
    assert errors["output"] == ["“总产值”须填写数字。"]


def test_a_missing_required_field_a_range_and_a_pattern_are_each_named():
    _cleaned, errors = validate_answers(SMALL, {**GOOD, "contact": "", "staff": -1, "phone": "12345"})
    assert errors["contact"] == ["请填写“联系人”。"]
    assert errors["staff"] == ["“从业人员”不能小于 0。"]
    assert errors["phone"] == ["“联系电话”须为11位手机号。"]


def test_an_integer_refuses_a_fraction_and_a_date_must_be_a_date():
    _cleaned, errors = validate_answers(SMALL, {**GOOD, "staff": "3.5", "day": "明天"})
    assert "须填写整数" in errors["staff"][0]
    assert "须填写日期" in errors["day"][0]


def test_parts_that_do_not_add_up_to_the_total_are_refused_on_the_total():
    _cleaned, errors = validate_answers(SMALL, {**GOOD, "part_a": "70"})
    assert "之和（110）与“总产值”（100）不一致" in errors["output"][0]


def test_a_change_beyond_the_band_needs_a_reason():
    answers = {**GOOD, "last_output": "50"}
    _cleaned, errors = validate_answers(SMALL, answers)
    assert "超出 ±30%" in errors["reason"][0] and "“变动原因”" in errors["reason"][0]
    _cleaned, errors = validate_answers(SMALL, {**answers, "reason": "新投产两家企业"})
    assert errors == {}


def test_a_hidden_field_is_dropped_and_shows_when_its_condition_holds():
    cleaned, _errors = validate_answers(SMALL, {**GOOD, "note": "x"})
    assert "note" not in cleaned
    cleaned, _errors = validate_answers(SMALL, {**GOOD, "tags": ["land"], "note": "x"})
    assert cleaned["note"] == "x"


def test_a_table_cell_error_names_the_table_row_and_column():
    _cleaned, errors = validate_answers(SMALL, {**GOOD, "firms": [{"name": "甲"}, {"revenue": "x"}]})
    assert any("“规上企业”第 2 行的“企业名称”" in m for m in errors["firms"])
    assert any("第 2 行的“营业收入”" in m and "须填写数字" in m for m in errors["firms"])


def test_a_draft_skips_required_and_cross_checks_but_not_bad_values():
    _cleaned, errors = validate_answers(SMALL, {"part_a": "5"}, complete=False)
    assert errors == {}
    _cleaned, errors = validate_answers(SMALL, {"output": "abc"}, complete=False)
    assert errors == {"output": ["“总产值”须填写数字。"]}


def test_an_unknown_key_is_refused():
    _cleaned, errors = validate_answers(SMALL, {**GOOD, "bogus": 1})
    assert errors["bogus"] == ["本表没有“bogus”这一项。"]


def test_the_values_rows_are_one_per_number_and_chosen_option():
    cleaned, _ = validate_answers(SMALL, {**GOOD, "tags": ["land", "talent"], "note": "n"})
    rows = list(numeric_values(SMALL, cleaned))
    assert ("output", 0, Decimal("100"), "") in rows
    assert ("firms.revenue", 1, Decimal("30"), "") in rows
    assert ("tags", 0, None, "land") in rows and ("tags", 0, None, "talent") in rows


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(a=amounts, b=amounts)
def test_parts_that_add_up_always_pass_and_any_other_total_fails(a, b):
    answers = {**GOOD, "part_a": str(a), "part_b": str(b), "output": str(a + b)}
    assert "output" not in validate_answers(SMALL, answers)[1]
    answers["output"] = str(a + b + 1)
    assert "output" in validate_answers(SMALL, answers)[1]


@pytest.mark.parametrize("value", ["1e999999", "-1e40", "NaN", "Infinity", {"a": 1}, [1, 2], True])
def test_absurd_values_are_refused_with_a_message_not_an_error(value):
    _cleaned, errors = validate_answers(SMALL, {**GOOD, "output": value, "staff": value})
    assert errors["output"] and errors["staff"]


def test_a_condition_on_a_list_of_objects_does_not_break_the_check():
    definition = {
        "sections": [
            {
                "key": "a",
                "title": "A",
                "fields": [
                    {
                        "key": "x",
                        "label": "X",
                        "type": "multichoice",
                        "choices": [{"value": "1", "label": "一"}],
                    },
                    {"key": "y", "label": "Y", "type": "text", "visible_if": {"field": "x", "in": ["1"]}},
                ],
            }
        ]
    }
    cleaned, errors = validate_answers(definition, {"x": [{"a": 1}], "y": "z"})
    assert errors["x"] == ["“X”含无效的选项。"] and "y" not in cleaned
    cleaned, errors = validate_answers(definition, {"x": ["1"], "y": "z"})
    assert errors == {} and cleaned["y"] == "z"
