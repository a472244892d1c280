"""versioned_update: the one way to edit a versioned object — lock, compare, set, validate, save, say what changed."""

import pytest
from django.core.exceptions import ValidationError

from duban.core.concurrency import EditConflict, parse_version, versioned_update
from duban.core.errors import Invalid
from duban.tests.factories import LeaderFactory, ThemeFactory


def test_an_edit_from_the_current_version_saves_and_says_what_changed(city):
    unit = city.housing
    update = versioned_update(
        unit, expected_version=unit.version, fields={"short_name": "住建局", "sort_order": 3}
    )
    unit.refresh_from_db()
    assert (unit.short_name, unit.sort_order, unit.version) == ("住建局", 3, 2)
    assert update.changed == ["short_name", "sort_order"]
    assert update.summary() == "修改了：简称、排序"


def test_an_edit_that_changes_nothing_writes_nothing(city):
    unit = city.housing
    update = versioned_update(unit, expected_version=1, fields={"name": unit.name})
    unit.refresh_from_db()
    assert not update and unit.version == 1
    assert update.summary() == "未修改任何内容"


def test_an_edit_over_someone_elses_change_of_the_same_field_is_refused(city):
    unit = city.housing
    versioned_update(unit, expected_version=1, fields={"short_name": "甲"})
    with pytest.raises(EditConflict) as conflict:
        versioned_update(unit, expected_version=1, fields={"short_name": "乙"})
    assert "简称：甲" in conflict.value.message
    unit.refresh_from_db()
    assert unit.short_name == "甲" and unit.version == 2


def test_a_stale_edit_is_refused_even_when_it_sets_other_fields(city):
    # Without the values the edit started from, "the other person changed something else" cannot be
    # told apart from "this edit changes it back": the safe answer is to refuse and show the record.
    unit = city.housing
    versioned_update(unit, expected_version=1, fields={"short_name": "甲"})
    with pytest.raises(EditConflict):
        versioned_update(unit, expected_version=1, fields={"sort_order": 9})
    unit.refresh_from_db()
    assert (unit.short_name, unit.sort_order, unit.version) == ("甲", 0, 2)


def test_many_to_many_fields_are_compared_and_set(city):
    leader = LeaderFactory()
    theme = ThemeFactory()
    update = versioned_update(leader, expected_version=1, fields={"units": [city.finance], "themes": [theme]})
    assert update.changed == ["units", "themes"]
    assert list(leader.units.all()) == [city.finance]
    with pytest.raises(EditConflict):
        versioned_update(leader, expected_version=1, fields={"units": [city.housing]})


def test_an_invalid_edit_saves_nothing(city):
    unit = city.county
    with pytest.raises(ValidationError):
        versioned_update(unit, expected_version=1, fields={"parent": city.township})
    unit.refresh_from_db()
    assert unit.parent == city.root and unit.version == 1


@pytest.mark.parametrize("value", ["abc", None, [1], "1e400", "-1", True, 1.5, ""])
def test_a_version_that_is_not_a_whole_number_is_refused_in_words(value):
    with pytest.raises(Invalid) as refused:
        parse_version(value)
    assert refused.value.fields == {"version": ["应为非负整数。"]}


@pytest.mark.parametrize(("value", "version"), [(3, 3), ("3", 3), (" 0 ", 0)])
def test_a_version_sent_as_text_or_number_is_read(value, version):
    assert parse_version(value) == version
