"""The office's pages to set a scheme up: the office creates and edits a scheme, its groups, indicators and
weights; a leader and a liaison are refused; errors land on the form in Chinese; a stale form is refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from duban.assessment.models import GroupWeight, Indicator, Member, Scheme

from .factories import make_scheme


@pytest.fixture
def scheme(city):
    return make_scheme(city)


def pages_of(scheme):
    group = scheme.groups.get(name="市直部门")
    indicator = scheme.indicators.get(key="closure")
    return [
        reverse("assessment:scheme_create"),
        reverse("assessment:scheme_edit", args=[scheme.pk]),
        reverse("assessment:group_create", args=[scheme.pk]),
        reverse("assessment:group_edit", args=[group.pk]),
        reverse("assessment:group_weights", args=[group.pk]),
        reverse("assessment:indicator_create", args=[scheme.pk]),
        reverse("assessment:indicator_edit", args=[indicator.pk]),
    ]


def test_the_office_opens_every_setup_page(city, client_for, scheme):
    client = client_for(city.office)
    for url in pages_of(scheme):
        assert client.get(url).status_code == 200, url


def test_a_leader_and_a_liaison_are_refused_every_setup_page(city, client_for, scheme):
    for user in (city.leader_user, city.liaison):
        client = client_for(user)
        for url in pages_of(scheme):
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, {"name": "改"}).status_code == 403, (user, url)
    assert Scheme.objects.get(pk=scheme.pk).version == 1


def test_the_scheme_page_shows_the_office_its_setup_links_and_not_a_liaison(city, client_for, scheme):
    office = client_for(city.office).get(reverse("assessment:scheme_detail", args=[scheme.pk])).text
    liaison = client_for(city.liaison).get(reverse("assessment:scheme_detail", args=[scheme.pk])).text

    edit = reverse("assessment:scheme_edit", args=[scheme.pk])
    assert edit in office and edit not in liaison
    assert "一级指标权重合计 100" in office


QUERIES = 14


def test_the_scheme_page_reads_in_a_fixed_number_of_queries(city, client_for, django_assert_max_num_queries):
    scheme = make_scheme(city)
    client = client_for(city.office)
    url = reverse("assessment:scheme_detail", args=[scheme.pk])
    client.get(url)
    with django_assert_max_num_queries(QUERIES):
        client.get(url)
    for n in range(3):
        client_for(city.office).post(reverse("assessment:indicator_create", args=[scheme.pk]), {
            "name": f"新增{n}", "key": f"extra{n}", "sort_order": 9, "weight": 0, "source": "manual",
            "frequency": "month", "valid_from": "2020-01-01",
        })  # fmt: skip
    group = scheme.groups.get(name="县区")
    client.post(
        reverse("assessment:group_edit", args=[group.pk]),
        {"name": "县区", "sort_order": 1, "units": [city.county.pk, city.township.pk], "expected_version": 1},
    )
    assert scheme.indicators.count() == 7 and group.members.count() == 2
    with django_assert_max_num_queries(QUERIES):
        client.get(url)


def test_the_office_creates_a_scheme_graded_by_quotas(city, client_for):
    response = client_for(city.office).post(
        reverse("assessment:scheme_create"),
        {
            "name": "年度综合考核",
            "period_type": "year",
            "visibility": "internal",
            "grading": "quotas",
            "grades_text": "20 优秀\n30 良好\n40 一般\n10 较差",
            "appeal_days": 5,
            "is_active": "on",
        },
    )

    scheme = Scheme.objects.get(name="年度综合考核")
    assert response.status_code == 302
    assert scheme.grades == [[20, "优秀"], [30, "良好"], [40, "一般"], [10, "较差"]]


def test_bad_quotas_are_shown_on_the_form_in_chinese(city, client_for, scheme):
    response = client_for(city.office).post(
        reverse("assessment:scheme_edit", args=[scheme.pk]),
        {
            "name": scheme.name, "period_type": "month", "visibility": "public", "grading": "quotas",
            "grades_text": "20 优秀\n30 良好", "appeal_days": 5, "expected_version": 1,
        },
    )  # fmt: skip

    assert response.status_code == 200
    assert "比例合计为 50%，应为 100%" in response.text
    assert Scheme.objects.get(pk=scheme.pk).grading == "bands"


def test_a_grade_line_that_is_not_a_number_and_a_grade_is_refused(city, client_for, scheme):
    response = client_for(city.office).post(
        reverse("assessment:scheme_edit", args=[scheme.pk]),
        {"name": scheme.name, "period_type": "month", "visibility": "public", "grading": "bands",
         "grades_text": "九十 优秀", "appeal_days": 5, "expected_version": 1},
    )  # fmt: skip

    assert "第 1 行应为“数值 等次”" in response.text


def test_a_stale_form_is_refused_and_nothing_is_saved(city, client_for, scheme):
    data = {"name": "改名", "period_type": "month", "visibility": "public", "grading": "bands",
            "grades_text": "90 优秀\n0 较差", "appeal_days": 5, "expected_version": 1}  # fmt: skip
    client = client_for(city.office)
    client.post(reverse("assessment:scheme_edit", args=[scheme.pk]), data)

    response = client.post(reverse("assessment:scheme_edit", args=[scheme.pk]), {**data, "name": "再改"})

    assert "其他人已修改了这条记录" in response.text
    assert Scheme.objects.get(pk=scheme.pk).name == "改名"


def test_the_office_edits_a_group_s_members_with_a_separate_unit(city, client_for, scheme):
    group = scheme.groups.get(name="市直部门")

    response = client_for(city.office).post(
        reverse("assessment:group_edit", args=[group.pk]),
        {"name": "市直部门", "sort_order": 2, "units": [city.finance.pk], "separate": [city.housing.pk],
         "expected_version": 1},
    )  # fmt: skip

    assert response.status_code == 302
    assert dict(Member.objects.filter(group=group).values_list("unit", "separate")) == {
        city.finance.pk: False,
        city.housing.pk: True,
    }


def test_the_office_adds_an_indicator_with_its_formula_parameters(city, client_for, scheme):
    work = scheme.indicators.get(key="work")

    response = client_for(city.office).post(
        reverse("assessment:indicator_create", args=[scheme.pk]),
        {"parent": work.pk, "key": "replies", "name": "回复率", "sort_order": 4, "scored": "on",
         "weight": 10, "formula": "bands", "bands": "1 1\n0.8 0.6", "source": "reply_rate",
         "frequency": "month", "valid_from": "2026-01-01", "data_owner": city.root.pk},
    )  # fmt: skip

    assert response.status_code == 302, response.context["form"].errors
    indicator = Indicator.objects.get(scheme=scheme, key="replies")
    assert (indicator.level, indicator.params) == (2, {"bands": [[1.0, 1.0], [0.8, 0.6]]})
    assert indicator.data_owner == city.root


def test_a_rank_indicator_without_its_direction_is_refused_on_the_form(city, client_for, scheme):
    closure = scheme.indicators.get(key="closure")

    response = client_for(city.office).post(
        reverse("assessment:indicator_edit", args=[closure.pk]),
        {"parent": closure.parent_id, "name": closure.name, "sort_order": 1, "scored": "on", "weight": 60,
         "formula": "rank", "step": 2, "source": "closure_rate", "frequency": "month",
         "valid_from": "2020-01-01", "expected_version": 1},
    )  # fmt: skip

    assert response.status_code == 200 and "缺少字段 计分参数.better。" in response.text


def test_the_office_sets_a_group_s_weights_and_an_unbalanced_top_level_is_refused(city, client_for, scheme):
    group = scheme.groups.get(name="县区")
    work = scheme.indicators.get(key="work")
    overdue = scheme.indicators.get(key="overdue")
    url = reverse("assessment:group_weights", args=[group.pk])
    client = client_for(city.office)

    refused = client.post(url, {f"w{work.pk}": "80", "expected_version": 1})
    saved = client.post(url, {f"w{overdue.pk}": "35", "expected_version": 1})

    assert "一级指标权重合计为 80，应为 100" in refused.text
    assert saved.status_code == 302
    assert list(GroupWeight.objects.filter(group=group).values_list("indicator", "weight")) == [
        (overdue.pk, Decimal(35))
    ]
