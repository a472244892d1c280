"""The contract-performance review: campaigns and reviews through their life-cycle tables."""

import datetime

import pytest

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.ppp import services
from duban.ppp.models import ContractReview, ReviewCampaign
from duban.ppp.tests.factories import make_project, sign

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _all_checked(review, by):
    services.review_check(review=review, by=by, results={item.pk: ("ok", "") for item in review.items.all()})


def test_starting_a_campaign_takes_in_every_signed_project_with_the_checklist(city, project, housing_project):
    sign(project, by=city.office)
    campaign = services.campaign_create(by=city.finance_user, name="审查", year=2026, due_on=TODAY)
    assert services.campaign_start(campaign=campaign, by=city.finance_user) == 1
    review = ContractReview.objects.get()
    assert (review.project, review.items.count(), campaign.state) == (project, 23, "under_way")
    assert project.events.filter(kind="review", text="纳入履约审查：审查").exists()


def test_a_campaign_cannot_start_twice(city, project):
    campaign = ReviewCampaign.objects.create(name="审查", year=2026, due_on=TODAY)
    services.campaign_start(campaign=campaign, by=city.office)
    with pytest.raises(TransitionRefused):
        services.campaign_start(campaign=campaign, by=city.office)


def test_a_leader_follows_but_does_not_start_a_campaign(city):
    campaign = ReviewCampaign.objects.create(name="审查", year=2026, due_on=TODAY)
    with pytest.raises(NotPermitted):
        services.campaign_start(campaign=campaign, by=city.leader_user)


def test_a_campaign_whose_creator_is_gone_still_runs(city, project):
    campaign = services.campaign_create(by=city.finance_user, name="审查", year=2026, due_on=TODAY)
    ReviewCampaign.objects.filter(pk=campaign.pk).update(created_by=None)
    campaign.refresh_from_db()
    assert services.campaign_start(campaign=campaign, by=city.office) == 0


def test_a_campaign_closes_only_when_every_review_is_closed(city, review):
    campaign = review.campaign
    with pytest.raises(TransitionRefused) as refused:
        services.campaign_close(campaign=campaign, by=city.office)
    assert refused.value.message == "尚有项目未办结。"
    _all_checked(review, city.office)
    services.review_rate(review=review, by=city.office, rating="good")
    services.review_close(review=review, by=city.office)
    services.campaign_close(campaign=campaign, by=city.office)
    assert (campaign.state, campaign.closed_on) == ("closed", TODAY)


def test_rating_is_refused_while_checklist_items_are_unchecked(city, review):
    with pytest.raises(TransitionRefused) as refused:
        services.review_rate(review=review, by=city.finance_user, rating="good")
    assert refused.value.message == "审查清单尚有未检查的项目。"


def test_checking_a_pending_review_puts_it_under_way_by_its_reviewer(city, review):
    _all_checked(review, city.finance_user)
    review.refresh_from_db()
    assert (review.state, review.reviewer) == ("in_progress", city.finance_user)


def test_a_review_rated_with_tasks_open_is_rectifying(city, review):
    from duban.ppp.tests.conftest import create_task

    create_task(review, by=city.finance_user, unit=city.finance)
    _all_checked(review, city.finance_user)
    services.review_rate(review=review, by=city.finance_user, rating="basic", conclusion="基本履约")
    assert review.state == "rectifying"
    assert review.project.events.filter(kind="review", text="履约审查评定：基本履约").exists()


def test_a_review_with_an_unrectified_major_finding_cannot_be_closed(city, review):
    _all_checked(review, city.finance_user)
    services.finding_add(review=review, by=city.finance_user, severity="serious", description="明股实债")
    services.review_rate(review=review, by=city.finance_user, rating="failed", conclusion="严重违约")
    with pytest.raises(TransitionRefused):
        services.review_close(review=review, by=city.finance_user)
    review.project.refresh_from_db()
    assert review.project.project_class == "rectify"


def test_a_finding_names_an_item_of_its_own_review_only(city, review):
    other = make_project(implementing_agency=city.housing, by=city.office)
    sign(other, by=city.office)
    campaign = services.campaign_create(by=city.office, name="另一轮", year=2027, due_on=TODAY)
    services.campaign_start(campaign=campaign, by=city.office)
    foreign = ContractReview.objects.get(campaign=campaign, project=other).items.first()
    with pytest.raises(Invalid) as refused:
        services.finding_add(review=review, by=city.office, severity="minor", description="x", item=foreign)
    assert "item" in refused.value.fields


def test_nothing_is_recorded_on_a_closed_review(city, review):
    _all_checked(review, city.office)
    services.review_rate(review=review, by=city.office, rating="good")
    services.review_close(review=review, by=city.office)
    with pytest.raises(TransitionRefused):
        services.finding_add(review=review, by=city.office, severity="minor", description="x")
    with pytest.raises(NotPermitted):
        services.finding_add(review=review, by=city.liaison, severity="minor", description="x")


# A rating the findings make too good (issue 11, item 23) ------------------------------------------


def test_a_review_with_a_serious_finding_is_not_rated_basic_without_a_confirmation(city, review):
    _all_checked(review, city.finance_user)
    services.finding_add(review=review, by=city.finance_user, severity="serious", description="明股实债")
    with pytest.raises(Invalid, match="1 个严重问题") as refused:
        services.review_rate(review=review, by=city.finance_user, rating="basic")
    assert "confirmed" in refused.value.fields
    review.refresh_from_db()
    assert review.rating == ""


def test_a_confirmed_rating_at_odds_with_the_findings_is_recorded_with_the_confirmation(city, review):
    _all_checked(review, city.finance_user)
    services.finding_add(review=review, by=city.finance_user, severity="serious", description="明股实债")
    services.review_rate(review=review, by=city.finance_user, rating="basic", confirmed=True)
    assert review.rating == "basic"
    event = review.project.events.filter(kind="review").latest("pk")
    assert "审查人确认：尽管记录了1 个严重问题" in event.text


def test_a_major_finding_rules_out_good_but_not_basic(city, review):
    from duban.ppp import selectors

    _all_checked(review, city.finance_user)
    services.finding_add(review=review, by=city.finance_user, severity="major", description="欠付")
    assert selectors.findings_at_odds_with(review, "good") == "1 个重大问题"
    assert selectors.findings_at_odds_with(review, "basic") == ""
    assert selectors.findings_at_odds_with(review, "poor") == ""
