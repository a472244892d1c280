"""The demo: the industry survey sent to the counties and districts, some filled, one returned, one
rolled up from its township; loading it twice changes nothing."""

import pytest

from duban.accounts.demo import load_demo as load_users
from duban.organisation.demo import load_demo as load_units
from duban.surveys.demo import PAST_ROUND_TITLE, ROUND_TITLE, load_demo
from duban.surveys.models import ResponseState, SurveyResponse, SurveyRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_units()
    load_users()
    load_demo()


def test_the_industry_survey_is_sent_to_the_counties_and_districts_with_their_townships(demo):
    survey_round = SurveyRound.objects.get(title=ROUND_TITLE)
    tops = SurveyResponse.objects.filter(round=survey_round, parent=None)
    assert set(tops.values_list("unit__kind", flat=True)) == {"county"}
    assert SurveyResponse.objects.filter(round=survey_round).exclude(parent=None).exists()


def test_some_are_filled_one_returned_one_rolled_up(demo):
    states = dict(SurveyResponse.objects.filter(round__title=ROUND_TITLE).values_list("unit__code", "state"))
    assert states["YZ-NPX"] == ResponseState.APPROVED
    assert states["YZ-DHQ-XJ"] == ResponseState.RETURNED
    county = SurveyResponse.objects.get(round__title=ROUND_TITLE, unit__code="YZ-QSX")
    assert county.rolled_up_at is not None and county.state == ResponseState.SUBMITTED
    township = SurveyResponse.objects.get(unit__code="YZ-QSX-SQZ")
    assert county.answers["output_value"] == township.answers["output_value"]


def test_loading_the_demo_twice_changes_nothing(demo):
    before = list(SurveyResponse.objects.order_by("pk").values_list("pk", "state", "version"))
    load_demo()
    assert list(SurveyResponse.objects.order_by("pk").values_list("pk", "state", "version")) == before


def test_last_quarters_round_is_past_its_deadline_with_one_answer_on_time_and_one_late(demo):
    past = SurveyRound.objects.get(title=PAST_ROUND_TITLE)
    answers = SurveyResponse.objects.filter(round=past)
    late = {response.unit.code: response.is_late for response in answers if response.first_submitted_at}
    assert past.deadline < SurveyRound.objects.get(title=ROUND_TITLE).deadline
    assert late == {"YZ-NPX": False, "YZ-QSX": True}
    assert answers.filter(first_submitted_at=None).exists()
