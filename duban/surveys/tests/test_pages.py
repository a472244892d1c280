"""The pages: who may open each, what they show, the lists agreeing with the API and not growing
in queries with their rows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from duban.tests.lists import assert_queries_do_not_grow

from .. import services
from ..models import SurveyResponse
from .factories import GOOD, make_form, send

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"surveys:{name}", args=args)


def test_the_round_list_agrees_with_the_api(city, survey, page_and_api_agree):
    for user in (city.office, city.liaison, city.township_liaison, city.housing_liaison):
        page_and_api_agree(user, url("round_list"), "/api/surveys/", {})
    assert page_and_api_agree(city.office, url("round_list"), "/api/surveys/", {"state": "open"}) == [
        survey.pk
    ]


def test_the_round_list_finds_the_rounds_a_unit_was_to_answer_by_a_deadline(city, survey, page_and_api_agree):
    agree = lambda user, query: page_and_api_agree(user, url("round_list"), "/api/surveys/", query)  # noqa: E731
    day = survey.deadline.isoformat()
    assert agree(city.office, {"unit": city.finance.pk, "deadline_after": day, "deadline_before": day}) == [
        survey.pk
    ]
    assert agree(city.office, {"unit": city.housing.pk}) == []
    assert agree(city.office, {"deadline_after": (survey.deadline + timedelta(days=1)).isoformat()}) == []
    assert agree(city.liaison, {"unit": city.finance.pk}) == [survey.pk]
    assert agree(city.housing_liaison, {"unit": city.finance.pk}) == []


def test_a_rounds_responses_agree_with_the_api(city, survey, page_and_api_agree):
    api = f"/api/surveys/{survey.pk}/responses/"
    rows = page_and_api_agree(city.office, url("round_detail", survey.pk), api, {})
    assert len(rows) == 3
    assert len(page_and_api_agree(city.county_liaison, url("round_detail", survey.pk), api, {})) == 2
    assert page_and_api_agree(city.office, url("round_detail", survey.pk), api, {"state": "submitted"}) == []


def test_the_lists_queries_do_not_grow_with_their_rows(city, form, survey, client_for):
    client = client_for(city.office)
    assert_queries_do_not_grow(
        client,
        url("round_list"),
        add_rows=lambda: send(form, by=city.office, units=[city.housing], title="又一轮"),
        most=12,
    )
    assert_queries_do_not_grow(
        client,
        url("round_detail", survey.pk),
        add_rows=lambda: send(form, by=city.office, units=[city.housing, city.root], title="再一轮"),
        most=30,
    )
    assert_queries_do_not_grow(
        client, url("form_list"), add_rows=lambda: make_form(by=city.office, code="more"), most=12
    )


def test_another_units_liaison_gets_404_on_every_page_of_a_round_and_response(
    city, survey, responses, client_for
):
    client = client_for(city.housing_liaison)
    pk, r = survey.pk, responses.finance.pk
    for name, args in [
        ("round_detail", [pk]),
        ("round_export", [pk]),
        ("round_aggregates", [pk]),
        ("round_summary", [pk]),
        ("round_table_export", [pk, "firms"]),
        ("response_detail", [r]),
        ("response_fill", [r]),
        ("response_template", [r]),
        ("response_import", [r]),
    ]:
        assert client.get(url(name, *args)).status_code == 404, name
    for name, args in [("round_remind", [pk]), ("response_autosave", [r]), ("response_check", [r])]:
        assert client.post(url(name, *args)).status_code == 404, name
    for name in ("response_approve", "response_return", "response_rollup"):
        assert client.post(url(name, r)).status_code == 404, name


def test_the_catalogue_and_sending_are_the_offices_only(city, client_for):
    client = client_for(city.liaison)
    assert client.get(url("form_list")).status_code == 403
    assert client.get(url("round_create")).status_code == 403


def test_the_township_may_not_fill_or_approve_the_countys_response(city, responses, client_for):
    client = client_for(city.township_liaison)
    assert client.get(url("response_fill", responses.county.pk)).status_code == 404
    client = client_for(city.liaison)
    finance = services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    client.post(url("response_approve", finance.pk))
    finance.refresh_from_db()
    assert finance.state == "submitted"


def test_the_office_sees_the_burden_before_sending(city, form, survey, client_for):
    client = client_for(city.office)
    data = {
        "form": form.pk,
        "title": "第三轮",
        "deadline": survey.deadline.isoformat(),
        "units": [city.finance.pk, city.housing.pk],
    }
    page = client.post(url("round_create"), {**data, "preview": "1"})
    assert "burden-meter" in page.content.decode()
    assert page.context["preview"][0][1]["fields_per_year"] == form.field_count * 4
    response = client.post(url("round_create"), {**data, "send": "1"})
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(round__title="第三轮").count() == 2


def test_the_fill_page_shows_the_marks_and_a_bad_value_saves_nothing(city, responses, client_for):
    client = client_for(city.liaison)
    page = client.get(url("response_fill", responses.finance.pk)).content.decode()
    assert "测统01表" in page and "测统制〔2026〕1号" in page
    data = {"contact": "王明", "output": "一百", "firms.1.name": "甲公司", "submit": "1"}
    page = client.post(url("response_fill", responses.finance.pk), data).content.decode()
    assert "“总产值”须填写数字。" in page
    responses.finance.refresh_from_db()
    assert responses.finance.state == "draft" and "contact" not in responses.finance.answers


def test_the_fill_page_submits_tables_and_multiple_choices(city, responses, client_for):
    client = client_for(city.liaison)
    data = {
        **GOOD,
        "tags": ["land", "talent"],
        "note": "缺地",
        "firms.1.name": "甲公司",
        "firms.1.revenue": "30",
        "submit": "1",
    }
    data.pop("firms")
    assert client.post(url("response_fill", responses.finance.pk), data).status_code == 302
    responses.finance.refresh_from_db()
    assert responses.finance.state == "submitted" and responses.finance.answers["tags"] == ["land", "talent"]


def test_autosave_keeps_a_draft_and_check_runs_the_servers_validator(city, responses, client_for):
    client = client_for(city.liaison)
    saved = client.post(
        url("response_autosave", responses.finance.pk), {"contact": "王明"}, HTTP_HX_REQUEST="true"
    )
    assert "已自动保存" in saved.content.decode()
    responses.finance.refresh_from_db()
    assert responses.finance.answers["contact"] == "王明"
    checked = client.post(url("response_check", responses.finance.pk), {"contact": "王明"}).content.decode()
    assert "请填写“总产值”。" in checked


def test_review_buttons_return_and_approve(city, responses, client_for):
    services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    client = client_for(city.office)
    page = client.get(url("response_detail", responses.finance.pk)).content.decode()
    assert "退回修改" in page
    client.post(url("response_return", responses.finance.pk), {"reason": "请核实产值"})
    responses.finance.refresh_from_db()
    assert responses.finance.state == "returned" and responses.finance.return_reason == "请核实产值"


def test_the_county_rolls_up_from_its_page_and_sees_its_townships(city, responses, client_for):
    township = services.response_save(
        response=responses.township, by=city.township_liaison, answers=GOOD, submit=True
    )
    services.response_approve(response=township, by=city.county_liaison)
    client = client_for(city.county_liaison)
    page = client.get(url("response_detail", responses.county.pk)).content.decode()
    assert "石桥镇" in page and "汇总下级数据" in page
    client.post(url("response_rollup", responses.county.pk))
    responses.county.refresh_from_db()
    assert responses.county.answers["output"] == "100"


def test_the_round_page_shows_the_board_aggregates_and_chart(city, survey, responses, client_for):
    services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    page = client_for(city.office).get(url("round_detail", survey.pk))
    assert page.context["board"]["filed"] == 1 and page.context["board"]["total"] == 3
    entry = next(e for e in page.context["entries"] if e["key"] == "output")
    assert entry["total"] == 100
    assert page.context["chart"]["values"] == [100.0]


def test_the_late_count_includes_units_not_filed_after_the_deadline(city, survey, client_for):
    survey.deadline = date.today() - timedelta(days=1)
    survey.save()
    page = client_for(city.office).get(url("round_detail", survey.pk))
    assert page.context["board"]["late"] == 3


def test_the_office_reminds_from_the_round_page(city, survey, client_for):
    response = client_for(city.office).post(url("round_remind", survey.pk))
    assert response.status_code == 302
    assert client_for(city.liaison).post(url("round_remind", survey.pk)).status_code in (302, 403)
