"""Sending, filling, review and roll-up through the services."""

from datetime import date, timedelta

import pytest

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.notifications.models import Notification

from .. import selectors, services
from ..models import ResponseEvent, ResponseState, SurveyResponse, SurveyValue
from .factories import GOOD, deadline, make_form, send

pytestmark = pytest.mark.django_db


def test_sending_with_rollup_gives_the_township_a_response_under_its_county(city, responses):
    assert responses.township.parent_id == responses.county.pk
    assert responses.finance.parent_id is None
    assert Notification.objects.filter(recipient=city.township_liaison).exists()


def test_the_form_starts_prefilled_with_the_units_details_and_platform_figures(responses, city):
    assert responses.finance.answers["name"] == city.finance.name
    assert responses.finance.answers["bonds"] == 0
    assert "name" in responses.finance.prefilled


def test_the_next_round_carries_the_previous_answers_forward(city, form, responses):
    services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    second = send(form, by=city.office, units=[city.finance], title="第二轮")
    response = SurveyResponse.objects.get(round=second, unit=city.finance)
    assert response.answers["contact"] == "王明"
    assert response.answers["last_output"] == "100"


def test_a_deadline_on_a_rest_day_is_refused(city, form):
    day = deadline()
    while day.weekday() < 5:
        day += timedelta(days=1)
    with pytest.raises(Invalid, match="工作日"):
        services.round_send(by=city.office, form=form, title="x", deadline=day, units=[city.finance])


def test_only_the_office_sends_a_round(city, form):
    with pytest.raises(NotPermitted):
        send(form, by=city.liaison, units=[city.finance])


def test_a_bad_value_saves_nothing(city, responses):
    before, version = responses.finance.answers, responses.finance.version
    with pytest.raises(Invalid) as refused:
        services.response_save(response=responses.finance, by=city.liaison, answers={**GOOD, "output": "abc"})
    assert refused.value.extra["answers"] == {"output": ["“总产值”须填写数字。"]}
    responses.finance.refresh_from_db()
    assert responses.finance.answers == before and responses.finance.version == version


def test_another_units_liaison_may_not_fill(city, responses):
    with pytest.raises(NotPermitted):
        services.response_save(response=responses.finance, by=city.housing_liaison, answers=GOOD)


def test_an_expired_form_refuses_data(city, form, responses):
    form.valid_until = date.today() - timedelta(days=1)
    form.save()
    with pytest.raises(TransitionRefused, match="已过有效期"):
        services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)


def test_an_expired_form_cannot_be_sent(city):
    form = make_form(by=city.office, code="old", valid_until=date.today() - timedelta(days=1))
    with pytest.raises(Invalid, match="已过有效期"):
        send(form, by=city.office, units=[city.finance])


def test_return_and_resubmit_are_each_logged(city, responses):
    response = services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    response = services.response_return(response=response, by=city.office, reason="产值有误")
    assert response.state == ResponseState.RETURNED and response.return_reason == "产值有误"
    response = services.response_save(response=response, by=city.liaison, answers=GOOD, submit=True)
    response = services.response_approve(response=response, by=city.office)
    kinds = list(ResponseEvent.objects.filter(response=response).values_list("kind", "to_state"))
    assert kinds == [
        ("submit", "submitted"),
        ("return", "returned"),
        ("submit", "submitted"),
        ("approve", "approved"),
    ]


def test_returning_needs_a_reason(city, responses):
    response = services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    with pytest.raises(Invalid):
        services.response_return(response=response, by=city.office, reason=" ")


def test_the_county_reviews_its_township_but_not_the_office_reviewed_units(city, responses):
    township = services.response_save(
        response=responses.township, by=city.township_liaison, answers=GOOD, submit=True
    )
    with pytest.raises(NotPermitted):
        services.response_approve(response=township, by=city.liaison)
    assert (
        services.response_approve(response=township, by=city.county_liaison).state == ResponseState.APPROVED
    )
    finance = services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    with pytest.raises(NotPermitted):
        services.response_approve(response=finance, by=city.county_liaison)


def test_the_county_rolls_up_only_once_its_townships_are_approved(city, responses):
    with pytest.raises(TransitionRefused, match="尚未审核通过"):
        services.response_rollup(response=responses.county, by=city.county_liaison)
    township = services.response_save(
        response=responses.township, by=city.township_liaison, answers=GOOD, submit=True
    )
    services.response_approve(response=township, by=city.county_liaison)
    county = services.response_rollup(response=responses.county, by=city.county_liaison)
    assert county.answers["output"] == "100" and county.answers["firms"] == [
        {"name": "甲公司", "revenue": "30"}
    ]
    assert county.rolled_up_at is not None


def test_the_summary_counts_a_rolled_up_township_once(city, responses):
    township = services.response_save(
        response=responses.township, by=city.township_liaison, answers=GOOD, submit=True
    )
    services.response_approve(response=township, by=city.county_liaison)
    county = services.response_rollup(response=responses.county, by=city.county_liaison)
    services.response_save(
        response=county, by=city.county_liaison, answers={**county.answers, "contact": "李"}, submit=True
    )
    services.response_save(
        response=responses.finance,
        by=city.liaison,
        answers={**GOOD, "output": "50", "part_a": "10"},
        submit=True,
    )
    counted = selectors.counted_responses(user=city.office, survey_round=responses.finance.round)
    assert set(counted.values_list("unit_id", flat=True)) == {city.finance.pk, city.county.pk}
    assert selectors.totals(user=city.office, survey_round=responses.finance.round)["output"] == 150


def test_drafts_are_not_counted(city, responses):
    services.response_save(response=responses.finance, by=city.liaison, answers=GOOD)
    assert selectors.totals(user=city.office, survey_round=responses.finance.round) == {}
    assert SurveyValue.objects.filter(response=responses.finance, key="output").exists()


def test_the_reminder_tells_only_the_units_not_yet_filed(city, responses):
    services.response_save(response=responses.finance, by=city.liaison, answers=GOOD, submit=True)
    Notification.objects.all().delete()
    services.round_remind(survey_round=responses.finance.round, by=city.office)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert "liaison" not in told and {"county", "township"} <= told


def test_the_schedule_reminds_rounds_due_soon_once_a_day(city, responses):
    Notification.objects.all().delete()
    survey_round = responses.finance.round
    survey_round.deadline = deadline(1)
    survey_round.save()
    assert services.remind_due() > 0
    assert services.remind_due() == 0
    assert services.ensure_schedule() is True and services.ensure_schedule() is False


def test_the_burden_meter_counts_forms_fields_and_frequency(city, form, survey):
    other = make_form(by=city.office, code="other", frequency_per_year=12)
    meter = selectors.burden([city.finance.pk, city.housing.pk], extra_form=other)
    assert meter[city.finance.pk]["fields_per_year"] == form.field_count * 4
    assert meter[city.finance.pk]["after"] == form.field_count * 4 + other.field_count * 12
    assert meter[city.housing.pk] == {
        "forms": 0,
        "fields_per_year": 0,
        "after": other.field_count * 12,
        "forms_after": 1,
    }
