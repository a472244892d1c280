"""Setting a scheme up: each validation error in Chinese, the audit lines, the version conflicts, and
snapshots that keep their own rules whatever the scheme becomes."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from duban.assessment import services
from duban.assessment.models import GroupWeight, Indicator, Member, Scheme, UnitGroup
from duban.audit.models import AuditEntry
from duban.core.concurrency import EditConflict
from duban.core.errors import Conflict, Invalid, NotPermitted

from .factories import draft_period, make_scheme, published_period

D = Decimal


def entries(obj_or_model, pk=None, action=None):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    found = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if pk is not None or not isinstance(obj_or_model, type):
        found = found.filter(object_pk=str(pk if pk is not None else obj_or_model.pk))
    return found if action is None else found.filter(action=action)


@pytest.fixture
def scheme(city):
    return make_scheme(city)


def groups_of(scheme):
    return {g.name: g for g in scheme.groups.all()}


# The scheme


def test_the_office_edits_a_scheme_and_the_change_is_audited(city, scheme):
    services.scheme_update(
        scheme=scheme,
        by=city.office,
        expected_version=1,
        name="月度工作落实考核",
        grading="quotas",
        grades=[[20, "优秀"], [30, "良好"], [40, "一般"], [10, "较差"]],
    )

    scheme.refresh_from_db()
    assert (scheme.name, scheme.grading, scheme.version) == ("月度工作落实考核", "quotas", 2)
    assert scheme.grades == [[20, "优秀"], [30, "良好"], [40, "一般"], [10, "较差"]]
    changes = entries(scheme, action=AuditEntry.Action.UPDATE).get().changes
    assert "name" in str(changes) and "grading" in str(changes)


def test_a_scheme_saved_by_someone_else_meanwhile_is_a_conflict(city, scheme):
    services.scheme_update(scheme=scheme, by=city.office, expected_version=1, description="甲")

    with pytest.raises(EditConflict) as raised:
        services.scheme_update(scheme=scheme, by=city.office, expected_version=1, description="乙")

    assert "说明：甲" in raised.value.message
    scheme.refresh_from_db()
    assert scheme.description == "甲"


@pytest.mark.parametrize(
    ("grading", "grades", "message"),
    [
        (
            "quotas",
            [[20, "优秀"], [30, "良好"]],
            "字段 等次划分 的比例合计为 50%，应为 100%（最后一个等次为其余单位）。",
        ),
        ("quotas", [[120, "优秀"]], "字段 第 1 行 的值 120 超出范围，应大于 0 且不大于 100。"),
        ("quotas", [[50, "优秀"], [50, "优秀"]], '字段 第 2 行："优秀" 重复出现。'),
        ("bands", [[60, "一般"], [90, "优秀"]], "分数段应从高到低排列，且分数线不重复。"),
        ("bands", [], "请至少设置一个等次。"),
    ],
)
def test_bad_grading_is_refused_on_the_grades_field(city, scheme, grading, grades, message):
    with pytest.raises(Invalid) as raised:
        services.scheme_update(
            scheme=scheme, by=city.office, expected_version=1, grading=grading, grades=grades
        )

    assert raised.value.fields == {"grades": [message]}
    scheme.refresh_from_db()
    assert scheme.version == 1


def test_the_period_type_of_a_scheme_with_periods_stays(city):
    period = draft_period(city)

    with pytest.raises(Invalid) as raised:
        services.scheme_update(
            scheme=period.scheme, by=city.office, expected_version=1, period_type="quarter"
        )

    assert raised.value.fields == {"period_type": ["方案已有考核期，不能修改考核周期；请另建方案。"]}


def test_a_leader_and_a_liaison_may_not_set_a_scheme_up(city, scheme):
    group = scheme.groups.first()
    indicator = scheme.indicators.get(key="closure")
    for user in (city.leader_user, city.liaison):
        with pytest.raises(NotPermitted):
            services.scheme_update(scheme=scheme, by=user, expected_version=1, name="改名")
        with pytest.raises(NotPermitted):
            services.group_update(group=group, by=user, expected_version=1, name="改", sort_order=0)
        with pytest.raises(NotPermitted):
            services.indicator_update(indicator=indicator, by=user, expected_version=1, name="改")
        with pytest.raises(NotPermitted):
            services.group_weights_set(group=group, by=user, expected_version=1, weights={})
        with pytest.raises(NotPermitted):
            services.scheme_create(by=user, name="新方案", period_type="month", visibility="public")


# Groups and members


def test_the_office_changes_a_group_s_members_one_audited_line_each(city, scheme):
    departments = groups_of(scheme)["市直部门"]
    housing = Member.objects.get(group=departments, unit=city.housing)

    services.group_update(
        group=departments,
        by=city.office,
        expected_version=1,
        name="市直部门",
        sort_order=2,
        units=[city.finance],
        separate=[city.township],
    )

    members = {m.unit: m.separate for m in departments.members.all()}
    assert members == {city.finance: False, city.township: True}
    departments.refresh_from_db()
    assert departments.version == 2  # the members changed: the group's version moves on
    assert entries(Member, pk=housing.pk, action=AuditEntry.Action.DELETE).count() == 1
    added = Member.objects.get(group=departments, unit=city.township)
    assert entries(added, action=AuditEntry.Action.CREATE).count() == 1


def test_a_unit_in_another_group_or_both_ranked_and_separate_is_refused(city, scheme):
    departments = groups_of(scheme)["市直部门"]

    with pytest.raises(Conflict) as clash:
        services.group_update(
            group=departments, by=city.office, expected_version=1, name="市直部门", sort_order=2,
            units=[city.finance, city.county],
        )  # fmt: skip
    with pytest.raises(Invalid) as both:
        services.group_update(
            group=departments, by=city.office, expected_version=1, name="市直部门", sort_order=2,
            units=[city.finance], separate=[city.finance],
        )  # fmt: skip

    assert "单位已在本方案的其他分组" in clash.value.message
    assert both.value.fields["separate"] == [f"单位不能既参与排名又单列：{city.finance}"]
    assert set(departments.members.values_list("unit", flat=True)) == {city.finance.pk, city.housing.pk}


def test_a_group_edited_meanwhile_is_a_conflict(city, scheme):
    county = groups_of(scheme)["县区"]
    services.group_update(group=county, by=city.office, expected_version=1, name="县（市、区）", sort_order=1,
                          units=[city.county])  # fmt: skip

    with pytest.raises(EditConflict):
        services.group_update(group=county, by=city.office, expected_version=1, name="县区", sort_order=1,
                              units=[])  # fmt: skip

    assert list(county.members.values_list("unit", flat=True)) == [city.county.pk]


# The indicator tree


def test_the_office_moves_an_indicator_and_its_level_follows(city, scheme):
    closure = scheme.indicators.get(key="closure")

    services.indicator_update(
        indicator=closure, by=city.office, expected_version=1, parent=None, name="按期办结率", weight=D(60)
    )

    closure.refresh_from_db()
    assert (closure.parent, closure.level, closure.name, closure.version) == (None, 1, "按期办结率", 2)
    assert entries(closure, action=AuditEntry.Action.UPDATE).count() == 1


def test_an_indicator_may_not_go_under_itself_nor_below_the_third_level(city, scheme):
    work = scheme.indicators.get(key="work")
    closure = scheme.indicators.get(key="closure")
    third = services.indicator_create(scheme=scheme, by=city.office, parent=closure, key="c3", name="三级",
                                      scored=False)  # fmt: skip

    with pytest.raises(Invalid) as cycle:
        services.indicator_update(indicator=work, by=city.office, expected_version=1, parent=closure)
    with pytest.raises(Exception) as deep:
        services.indicator_create(scheme=scheme, by=city.office, parent=third, key="c4", name="四级",
                                  scored=False)  # fmt: skip

    assert cycle.value.fields == {"parent": ["上级指标不能是本指标或其下级指标。"]}
    assert "指标最多分三级。" in str(deep.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"params": {"cap": 1}}, "缺少字段 计分参数.target。"),
        ({"params": {"target": 0, "cap": 1}}, "字段 计分参数.target 的值 0 超出范围，应大于 0。"),
        ({"formula": "rank", "params": {"step": 2}}, "缺少字段 计分参数.better。"),
        ({"formula": "bands", "params": {"bands": []}}, "缺少字段 计分参数.bands。"),
        ({"weight": D(0)}, "字段 计分参数.weight 的值 0 超出范围，应大于 0。"),
    ],
)
def test_bad_formula_parameters_are_refused_naming_the_parameter(city, scheme, changes, message):
    closure = scheme.indicators.get(key="closure")

    with pytest.raises(Invalid) as raised:
        services.indicator_update(indicator=closure, by=city.office, expected_version=1, **changes)

    assert raised.value.fields == {"params": [message]}
    closure.refresh_from_db()
    assert closure.params == {"target": 1, "cap": 1} and closure.version == 1


def test_an_indicator_edited_meanwhile_is_a_conflict_and_its_code_stays(city, scheme):
    closure = scheme.indicators.get(key="closure")
    services.indicator_update(indicator=closure, by=city.office, expected_version=1, key="other", name="甲")

    with pytest.raises(EditConflict):
        services.indicator_update(indicator=closure, by=city.office, expected_version=1, name="乙")

    closure.refresh_from_db()
    assert (closure.key, closure.name) == ("closure", "甲")


def test_valid_to_before_valid_from_is_refused(city, scheme):
    closure = scheme.indicators.get(key="closure")

    with pytest.raises(Exception) as raised:
        services.indicator_update(
            indicator=closure, by=city.office, expected_version=1, valid_to=date(2019, 12, 31)
        )

    assert "失效日期不能早于生效日期。" in str(raised.value)


# A group's weights


def test_a_group_s_weights_are_saved_when_its_top_level_weighs_100(city, scheme):
    departments = groups_of(scheme)["市直部门"]
    closure = scheme.indicators.get(key="closure")
    overdue = scheme.indicators.get(key="overdue")
    own = GroupWeight.objects.get(group=departments, indicator=closure)

    services.group_weights_set(
        group=departments, by=city.office, expected_version=1, weights={closure: None, overdue: D(30)}
    )

    assert dict(departments.weights.values_list("indicator__key", "weight")) == {"overdue": D(30)}
    departments.refresh_from_db()
    assert departments.version == 2
    assert entries(GroupWeight, pk=own.pk, action=AuditEntry.Action.DELETE).count() == 1
    assert entries(GroupWeight, action=AuditEntry.Action.CREATE).filter(changes__icontains="30").exists()


def test_top_level_weights_not_adding_up_to_100_are_refused_saying_the_rule(city, scheme):
    county = groups_of(scheme)["县区"]
    work = scheme.indicators.get(key="work")

    with pytest.raises(Invalid) as raised:
        services.group_weights_set(group=county, by=city.office, expected_version=1, weights={work: D(90)})

    assert (
        raised.value.message == "分组“县区”自 2000-01-01 起一级指标权重合计为 90，应为 100（加减分项计 0）。"
    )
    assert not county.weights.exists()


def test_a_dated_top_level_is_checked_on_each_day_the_tree_changes(city, scheme):
    county = groups_of(scheme)["县区"]
    services.indicator_create(scheme=scheme, by=city.office, key="y2027", name="2027 新增", weight=D(10),
                              scored=False, valid_from=date(2027, 1, 1))  # fmt: skip
    work = scheme.indicators.get(key="work")

    with pytest.raises(Invalid) as raised:
        services.group_weights_set(group=county, by=city.office, expected_version=1, weights={})
    services.indicator_update(indicator=work, by=city.office, expected_version=1, valid_to=date(2026, 12, 31))
    services.group_weights_set(
        group=county, by=city.office, expected_version=1, weights={scheme.indicators.get(key="y2027"): D(100)}
    )

    assert "自 2027-01-01 起一级指标权重合计为 110" in raised.value.message
    assert county.weights.get().weight == D(100)


def test_weights_saved_meanwhile_are_a_conflict(city, scheme):
    county = groups_of(scheme)["县区"]
    overdue = scheme.indicators.get(key="overdue")
    services.group_weights_set(group=county, by=city.office, expected_version=1, weights={overdue: D(20)})

    with pytest.raises(EditConflict):
        services.group_weights_set(group=county, by=city.office, expected_version=1, weights={overdue: D(10)})

    assert county.weights.get().weight == D(20)


# Snapshots keep their own rules


def test_editing_a_scheme_changes_no_published_snapshot(city):
    period = published_period(city)
    scheme = period.scheme
    snapshot = period.current
    before = (
        snapshot.rules,
        snapshot.rule_version,
        list(snapshot.rows.values_list("unit", "score", "grade")),
    )
    departments = groups_of(scheme)["市直部门"]
    closure = scheme.indicators.get(key="closure")

    services.scheme_update(scheme=scheme, by=city.office, expected_version=1, grading="quotas",
                           grades=[[50, "优秀"], [50, "一般"]])  # fmt: skip
    services.indicator_update(
        indicator=closure, by=city.office, expected_version=1, params={"target": 2, "cap": 1}
    )
    services.group_weights_set(group=departments, by=city.office, expected_version=1, weights={closure: None})

    snapshot.refresh_from_db()
    assert (snapshot.rules, snapshot.rule_version) == before[:2]
    assert list(snapshot.rows.values_list("unit", "score", "grade")) == before[2]
    # A revision after an appeal scores with the snapshot's rules, not the scheme's new ones.
    revised = services.snapshot_revise(period=period, corrections={}, by=city.office, note="复核")
    assert revised.rules == before[0] and revised.rule_version == before[1]
    assert list(revised.rows.values_list("unit", "score", "grade")) == before[2]


def test_a_period_of_a_scheme_graded_by_quotas_keeps_the_quotas_in_its_snapshot(city, scheme):
    services.scheme_update(scheme=scheme, by=city.office, expected_version=1, grading="quotas",
                           grades=[[50, "优秀"], [50, "一般"]])  # fmt: skip
    period = services.period_open(scheme=scheme, label="2026-03", by=city.office)

    snapshot = services.period_compute(period=period, by=city.office, today=date(2026, 4, 10))

    assert snapshot.rules["quotas"] == [[50, "优秀"], [50, "一般"]] and snapshot.rules["grades"] == []
    rows = {row.group: [] for row in snapshot.rows.all()}
    for row in snapshot.rows.all():
        rows[row.group].append(row.grade)
    # 县区 (one unit): 优秀 has its one place; 市直部门 (two): one 优秀 and the rest 一般, or both 一般 when tied.
    assert rows["县区"] == ["优秀"]
    assert sorted(rows["市直部门"]) in (["一般", "优秀"], ["一般", "一般"])


def test_a_scheme_is_created_with_its_grading_checked(city):
    with pytest.raises(Invalid):
        services.scheme_create(by=city.office, name="新方案", period_type="month", visibility="public",
                               grading="quotas", grades=[[30, "优秀"]])  # fmt: skip
    scheme = services.scheme_create(by=city.office, name="新方案", period_type="month", visibility="public",
                                    grading="quotas", grades=[[30, "优秀"], [70, "其他"]])  # fmt: skip

    assert Scheme.objects.get(pk=scheme.pk).grades == [[30, "优秀"], [70, "其他"]]
    assert entries(scheme, action=AuditEntry.Action.CREATE).count() == 1
    assert UnitGroup.objects.filter(scheme=scheme).count() == 0 and not Indicator.objects.filter(
        scheme=scheme
    )
