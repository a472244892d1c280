"""The automatic indicators read from hand-made records for March 2026: each reader's rates, a unit with
nothing to measure left out (not applicable), one aggregate query per source, and each records link
opening a list whose count is the denominator the figure used for the unit."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from duban.assessment import figures
from duban.assessment.models import Source
from duban.bonds.models import (
    ApplicationOutcome,
    BondApplication,
    DebtKind,
    ProjectDebt,
    Spending,
    SpendingTarget,
)
from duban.bonds.tests.factories import BatchFactory, BondProjectFactory
from duban.directives.models import Reminder, State, SupervisionNotice, SupervisionReply
from duban.directives.tests.factories import DirectiveFactory, MilestoneFactory
from duban.ppp.models import ContractReview, RectificationTask, ReviewCampaign
from duban.ppp.tests.factories import make_project
from duban.surveys.models import ResponseState, SurveyResponse, SurveyRound
from duban.surveys.tests.factories import make_form
from duban.weekly.models import ReportingCycle, ReportState, Timeliness, WeeklyReport

pytestmark = pytest.mark.django_db
START, END, TODAY = date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def read(source: str) -> dict[int, Decimal]:
    return figures.READERS[source](start=START, end=END, today=TODAY)


def listed(client, source: str, unit) -> int:
    """How many rows the unit's records link lists (the page's own count)."""
    url = figures.records_url(source, unit_id=unit.pk, start=START, end=END)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.context["page_obj"].paginator.count


# --- directives: the lead unit's directives due in the period, given to it -------------------------


@pytest.fixture
def directives(city):
    make = DirectiveFactory
    make(
        lead_unit=city.finance, deadline=date(2026, 3, 10), state=State.CLOSED, closed_at=at(date(2026, 3, 9))
    )
    make(lead_unit=city.finance, deadline=date(2026, 3, 20), state=State.IN_PROGRESS)
    make(lead_unit=city.finance, deadline=date(2026, 3, 15), state=State.CANCELLED)
    make(lead_unit=city.finance, deadline=date(2026, 3, 15), state=State.DRAFT)
    make(lead_unit=city.finance, deadline=date(2026, 4, 15), state=State.IN_PROGRESS)
    # The housing bureau leads, finance co-operates: counted for housing only.
    make(lead_unit=city.housing, deadline=date(2026, 3, 12), state=State.IN_PROGRESS, co_units=[city.finance])


def test_the_closure_rate_counts_the_lead_units_directives_due_in_the_period(city, directives):
    rates = read(Source.CLOSURE_RATE)

    assert rates[city.finance.pk] == Decimal("0.5")
    assert rates[city.housing.pk] == Decimal(0)
    assert city.county.pk not in rates


def test_a_period_computed_before_it_ends_counts_only_what_has_fallen_due(city, directives):
    rates = figures.source_figures([Source.CLOSURE_RATE], start=START, end=END, today=date(2026, 3, 15))

    # Finance's directive due on 20 March is not late on the 15th: only the one due on the 10th counts.
    assert rates[Source.CLOSURE_RATE][city.finance.pk] == Decimal(1)
    assert rates[Source.CLOSURE_RATE][city.housing.pk] == Decimal(0)


def test_overdue_days_are_per_directive_due_and_a_unit_with_none_due_has_no_value(city, directives):
    days = read(Source.OVERDUE_DAYS)

    assert days[city.finance.pk] > 0
    assert city.county.pk not in days


@pytest.mark.parametrize("source", [Source.CLOSURE_RATE, Source.OVERDUE_DAYS])
def test_the_directive_records_list_exactly_the_directives_counted(city, client_for, directives, source):
    client = client_for(city.office)

    assert listed(client, source, city.finance) == 2  # not the co-operated, cancelled, draft or April ones
    assert listed(client, source, city.housing) == 1


# --- milestones: the lead unit's milestones due in the period, done by their day --------------------


@pytest.fixture
def milestones(city):
    def directive(unit=city.finance, state=State.IN_PROGRESS, **fields):
        return DirectiveFactory(lead_unit=unit, deadline=date(2026, 6, 30), state=state, **fields)

    first, second = directive(), directive()
    MilestoneFactory(directive=first, due_on=date(2026, 3, 10), done_on=date(2026, 3, 9))  # on time
    MilestoneFactory(directive=first, due_on=date(2026, 3, 20), done_on=date(2026, 3, 25))  # late
    MilestoneFactory(directive=first, due_on=date(2026, 4, 20))  # April's: not counted
    MilestoneFactory(directive=second, due_on=date(2026, 3, 5))  # not done: late
    # One milestone before the period and one after it: the directive has none due in March.
    spanning = directive()
    MilestoneFactory(directive=spanning, due_on=date(2026, 2, 20), done_on=date(2026, 2, 20))
    MilestoneFactory(directive=spanning, due_on=date(2026, 4, 2))
    MilestoneFactory(directive=directive(state=State.DRAFT), due_on=date(2026, 3, 12))
    MilestoneFactory(directive=directive(state=State.CANCELLED), due_on=date(2026, 3, 12))
    # The housing bureau leads, finance co-operates: counted for housing only.
    shared = directive(city.housing, co_units=[city.finance])
    MilestoneFactory(directive=shared, due_on=date(2026, 3, 12), done_on=date(2026, 3, 12))


def test_milestone_punctuality_counts_the_lead_units_milestones_due_in_the_period(city, milestones):
    rates = read(Source.MILESTONE_RATE)

    assert rates[city.finance.pk] == Decimal("0.333333")  # 1 of 3 done by its day
    assert rates[city.housing.pk] == Decimal(1)
    assert city.county.pk not in rates


def test_the_milestone_records_are_the_directives_carrying_the_milestones_counted(
    city, client_for, milestones
):
    client = client_for(city.office)

    assert listed(client, Source.MILESTONE_RATE, city.finance) == 2  # not the spanning, draft or cancelled
    assert listed(client, Source.MILESTONE_RATE, city.housing) == 1


# --- replies: the reminders and supervision notices to answer by a day of the period ----------------


@pytest.fixture
def replies(city):
    directive = DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS)

    def reminder(unit, reply_by, *, answered):
        sent = Reminder.objects.create(unit=unit, message="请报送进展", reply_by=reply_by)
        sent.directives.set([directive])
        if answered:
            SupervisionReply.objects.create(reminder=sent, unit=unit, text="已报送")

    def notice(unit, reply_by, *, answered, sequence):
        issued = SupervisionNotice.objects.create(
            directive=directive, unit=unit, year=2026, sequence=sequence, matters="进度滞后",
            reply_by=reply_by, issued_on=date(2026, 3, 1),
        )  # fmt: skip
        if answered:
            SupervisionReply.objects.create(notice=issued, unit=unit, text="已整改")

    reminder(city.finance, date(2026, 3, 10), answered=True)
    reminder(city.finance, date(2026, 3, 20), answered=False)
    reminder(city.finance, date(2026, 4, 3), answered=False)  # April's: not counted
    reminder(city.finance, None, answered=False)  # sent before replies were asked for: not counted
    notice(city.finance, date(2026, 3, 15), answered=True, sequence=1)
    notice(city.housing, date(2026, 3, 15), answered=False, sequence=2)


def test_the_reply_rate_counts_reminders_and_notices_to_answer_in_the_period(city, replies):
    rates = read(Source.REPLY_RATE)

    assert rates[city.finance.pk] == Decimal("0.666667")  # 2 of 3: a reminder and the notice answered
    assert rates[city.housing.pk] == Decimal(0)
    assert city.county.pk not in rates


def test_the_reply_records_are_the_reminders_to_answer_in_the_period(city, client_for, replies):
    client = client_for(city.office)

    # The reminders counted; the notice counted with them is on the notice list, under the same filters.
    assert listed(client, Source.REPLY_RATE, city.finance) == 2
    notices = client.get(
        reverse("directives:notice_list"),
        {"unit": city.finance.pk, "reply_by_after": START, "reply_by_before": END},
    )
    assert notices.context["page_obj"].paginator.count == 1


def test_the_reply_rate_is_one_aggregate_query_per_kind(django_assert_num_queries):
    with django_assert_num_queries(2):  # the reminders, then the notices
        read(Source.REPLY_RATE)


# --- weekly reports: the unit's reports of the cycles ending in the period, timeliness settled -------


def cycle(week: int, ends_on: date) -> ReportingCycle:
    return ReportingCycle.objects.create(
        iso_year=2026,
        iso_week=week,
        issue_number=week,
        starts_on=date.fromordinal(ends_on.toordinal() - 6),
        ends_on=ends_on,
        due_at=at(ends_on, 17),
        remind_at=at(ends_on, 9),
        close_at=at(ends_on, 23),
    )


@pytest.fixture
def weekly(city):
    first, second, third, april = (
        cycle(10, date(2026, 3, 6)),
        cycle(11, date(2026, 3, 13)),
        cycle(13, date(2026, 3, 27)),
        cycle(14, date(2026, 4, 3)),
    )
    report = lambda c, unit, timeliness, state=ReportState.SUBMITTED: WeeklyReport.objects.create(  # noqa: E731
        cycle=c, unit=unit, timeliness=timeliness, state=state
    )
    report(first, city.finance, Timeliness.ON_TIME)
    report(second, city.finance, Timeliness.LATE)
    report(third, city.finance, Timeliness.PENDING, ReportState.PENDING)  # not settled: not counted
    report(april, city.finance, Timeliness.LATE)
    report(first, city.housing, Timeliness.MISSING, ReportState.PENDING)


def test_weekly_timeliness_counts_settled_reports_of_cycles_ending_in_the_period(city, weekly):
    rates = read(Source.WEEKLY_RATE)

    assert rates[city.finance.pk] == Decimal("0.5")
    assert rates[city.housing.pk] == Decimal(0)
    assert city.county.pk not in rates


def test_the_weekly_records_are_the_units_reports_counted(city, client_for, weekly):
    client = client_for(city.office)

    assert listed(client, Source.WEEKLY_RATE, city.finance) == 2
    assert listed(client, Source.WEEKLY_RATE, city.housing) == 1


# --- bonds: issuance against quota, spending against the month's target --------------------------


@pytest.fixture
def bonds(city):
    SpendingTarget.objects.create(year=2026, month=3, target_ratio=Decimal("0.5"))
    batch = BatchFactory(year=2026)
    issued = BondProjectFactory(applying_unit=city.finance)
    later = BondProjectFactory(applying_unit=city.finance)
    BondProjectFactory(applying_unit=city.housing)  # nothing allocated: no plan to measure
    BondApplication.objects.create(
        project=issued, batch=batch, applied_amount=Decimal(1500), outcome=ApplicationOutcome.APPROVED,
        submitted_at=at(date(2026, 1, 5)), allocated_amount=Decimal(1000), allocated_on=date(2026, 3, 5),
    )  # fmt: skip
    BondApplication.objects.create(
        project=later, batch=batch, applied_amount=Decimal(600), outcome=ApplicationOutcome.APPROVED,
        submitted_at=at(date(2026, 1, 5)), allocated_amount=Decimal(500), allocated_on=date(2026, 4, 10),
    )  # fmt: skip
    debt = {"kind": DebtKind.BOND, "rate": Decimal("0.025"), "issue_year": 2026, "term_years": 10}
    ProjectDebt.objects.create(
        project=issued, principal=Decimal(800), is_issued=True, issue_date=date(2026, 3, 20), **debt
    )
    ProjectDebt.objects.create(
        project=issued, principal=Decimal(200), is_issued=False, **debt
    )  # planned only
    Spending.objects.create(project=issued, amount=Decimal(300), spent_on=date(2026, 3, 25))
    Spending.objects.create(project=issued, amount=Decimal(100), spent_on=date(2026, 4, 2))


def test_issuance_is_issued_over_quota_as_at_the_period_end(city, bonds):
    rates = read(Source.BOND_ISSUANCE_RATE)

    assert rates == {city.finance.pk: Decimal("0.8")}  # 800 ÷ 1000; housing has no quota: not applicable


def test_spending_is_spent_over_issued_times_the_months_target(city, bonds):
    rates = read(Source.BOND_SPENDING_RATE)

    assert rates == {city.finance.pk: Decimal("0.75")}  # 300 ÷ (800 × 0.5)


def test_spending_has_no_value_in_a_month_without_a_target(city, bonds):
    SpendingTarget.objects.all().delete()

    assert read(Source.BOND_SPENDING_RATE) == {}
    assert read(Source.BOND_ISSUANCE_RATE) == {city.finance.pk: Decimal("0.8")}


def test_the_bond_progress_figures_are_one_query_over_all_units(city, bonds, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the month's target, then the sums
        read(Source.BOND_SPENDING_RATE)


@pytest.mark.parametrize("source", [Source.BOND_ISSUANCE_RATE, Source.BOND_SPENDING_RATE])
def test_the_bond_records_are_the_projects_behind_the_plan(city, client_for, bonds, source):
    assert listed(client_for(city.office), source, city.finance) == 1  # not the one allocated in April


# --- bond applications: decided (approved or returned) in the period ------------------------------


@pytest.fixture
def applications(city):
    batch = BatchFactory(year=2026)
    apply = lambda unit, outcome, decided, amount: BondApplication.objects.create(  # noqa: E731
        project=BondProjectFactory(applying_unit=unit), batch=batch, applied_amount=Decimal(amount),
        outcome=outcome, submitted_at=at(date(2026, 1, 5)), decided_at=decided and at(decided),
    )  # fmt: skip
    apply(city.finance, ApplicationOutcome.APPROVED, date(2026, 3, 5), 1500)
    apply(city.finance, ApplicationOutcome.RETURNED, date(2026, 3, 20), 500)
    apply(city.finance, ApplicationOutcome.APPROVED, date(2026, 4, 2), 900)  # decided after the period
    apply(city.finance, ApplicationOutcome.PENDING, None, 700)  # not decided yet
    apply(city.housing, ApplicationOutcome.RETURNED, date(2026, 3, 12), 300)


def test_bond_success_rates_count_the_applications_decided_in_the_period(city, applications):
    assert read(Source.BOND_COUNT_RATE) == {city.finance.pk: Decimal("0.5"), city.housing.pk: Decimal(0)}
    assert read(Source.BOND_AMOUNT_RATE) == {city.finance.pk: Decimal("0.75"), city.housing.pk: Decimal(0)}


@pytest.mark.parametrize("source", [Source.BOND_COUNT_RATE, Source.BOND_AMOUNT_RATE])
def test_the_bond_application_records_are_the_applications_decided(city, client_for, applications, source):
    assert listed(client_for(city.office), source, city.finance) == 2
    assert listed(client_for(city.housing_liaison), source, city.housing) == 1
    assert listed(client_for(city.office), source, city.county) == 0


# --- PPP: contract reviews rated in the period, rectification tasks due in it -----------------------


@pytest.fixture
def ppp(city):
    campaign = ReviewCampaign.objects.create(name="2026年度履约审查", year=2026, due_on=date(2026, 6, 30))
    finance = [make_project(implementing_agency=city.finance, by=city.office) for _ in range(3)]
    housing = make_project(implementing_agency=city.housing, by=city.office)
    rated = lambda project, rating, on: ContractReview.objects.create(  # noqa: E731
        campaign=campaign, project=project, state=ContractReview.State.RATED, rating=rating, rated_on=on
    )
    good = rated(finance[0], ContractReview.Rating.GOOD, date(2026, 3, 10))
    rated(finance[1], ContractReview.Rating.POOR, date(2026, 3, 20))
    rated(finance[2], ContractReview.Rating.BASIC, date(2026, 4, 2))  # after the period
    ContractReview.objects.create(campaign=campaign, project=housing)  # not rated yet: nothing to measure
    task = lambda deadline, state, done_on=None: RectificationTask.objects.create(  # noqa: E731
        review=good, project=finance[0], owner_unit=city.finance, title="整改", deadline=deadline,
        state=state, done_on=done_on,
    )  # fmt: skip
    task(date(2026, 3, 10), RectificationTask.State.DONE, date(2026, 3, 9))
    task(date(2026, 3, 20), RectificationTask.State.DONE, date(2026, 3, 25))
    task(date(2026, 3, 15), RectificationTask.State.CANCELLED)
    task(date(2026, 4, 15), RectificationTask.State.OPEN)


def test_the_ppp_rating_is_the_share_of_reviews_rated_good_or_basic(city, ppp):
    assert read(Source.PPP_REVIEW_RATE) == {city.finance.pk: Decimal("0.5")}


def test_ppp_rectification_counts_tasks_done_by_their_deadline_over_those_due(city, ppp):
    assert read(Source.PPP_RECTIFICATION_RATE) == {city.finance.pk: Decimal("0.5")}


@pytest.mark.parametrize("source", [Source.PPP_REVIEW_RATE, Source.PPP_RECTIFICATION_RATE])
def test_the_ppp_records_list_exactly_what_was_counted(city, client_for, ppp, source):
    client = client_for(city.office)

    assert listed(client, source, city.finance) == 2
    assert listed(client, source, city.housing) == 0


# --- surveys: responses due in the period, submitted by the round's deadline ------------------------


@pytest.fixture
def surveys(city):
    form = make_form(by=city.office)
    round_ = lambda deadline: SurveyRound.objects.create(form=form, title=f"{deadline}", deadline=deadline)  # noqa: E731
    early, late, april = round_(date(2026, 3, 10)), round_(date(2026, 3, 25)), round_(date(2026, 4, 10))
    answer = lambda r, unit, first=None, state=ResponseState.SUBMITTED: SurveyResponse.objects.create(  # noqa: E731
        round=r,
        unit=unit,
        state=state,
        first_submitted_at=first and at(first),
        submitted_at=first and at(first),
    )
    answer(early, city.finance, date(2026, 3, 10))  # on the deadline day: on time
    answer(late, city.finance, date(2026, 3, 27))
    answer(april, city.finance, date(2026, 4, 1))
    answer(early, city.housing, state=ResponseState.DRAFT)  # never sent


def test_survey_timeliness_counts_responses_first_submitted_by_the_rounds_deadline(city, surveys):
    rates = read(Source.SURVEY_RATE)

    assert rates == {city.finance.pk: Decimal("0.5"), city.housing.pk: Decimal(0)}


def test_the_survey_records_are_the_rounds_the_unit_was_to_answer(city, client_for, surveys):
    client = client_for(city.office)

    assert listed(client, Source.SURVEY_RATE, city.finance) == 2
    assert listed(client, Source.SURVEY_RATE, city.housing) == 1
    assert listed(client, Source.SURVEY_RATE, city.county) == 0


@pytest.mark.parametrize(
    "source",
    [
        Source.PPP_REVIEW_RATE,
        Source.PPP_RECTIFICATION_RATE,
        Source.SURVEY_RATE,
        Source.WEEKLY_RATE,
        Source.MILESTONE_RATE,
    ],
)
def test_each_counted_source_is_one_aggregate_query(source, django_assert_num_queries):
    with django_assert_num_queries(1):
        read(source)
