"""Fixtures the PPP tests share: a project of the finance bureau in the county, one of the housing
bureau, a signed project under review, and a rectification task the office made a directive."""

import datetime

import pytest

from duban.ppp import services
from duban.ppp.models import ContractReview

from .factories import make_project, sign

DEADLINE = datetime.date(2026, 12, 15)


@pytest.fixture
def project(city):
    return make_project(implementing_agency=city.finance, county=city.county, by=city.office)


@pytest.fixture
def housing_project(city):
    return make_project(implementing_agency=city.housing, by=city.office, name="城东污水处理厂PPP项目")


@pytest.fixture
def review(city, project):
    """The finance bureau's project, signed and taken into a campaign under way."""
    sign(project, by=city.office)
    campaign = services.campaign_create(
        by=city.office, name="2026年度PPP合同履约审查", year=2026, due_on=DEADLINE
    )
    services.campaign_start(campaign=campaign, by=city.office)
    return ContractReview.objects.get(campaign=campaign)


def create_task(review, *, by, unit, title="补足欠付的可用性付费", deadline=DEADLINE, severity="major"):
    """A finding of the review and the rectification task it calls for."""
    finding = services.finding_add(
        review=review, by=by, severity=severity, description="可用性付费欠付580万元"
    )
    return services.task_create(
        review=review, by=by, owner_unit=unit, title=title, deadline=deadline, finding=finding
    )


@pytest.fixture
def task(city, review):
    """The office's task for the finance bureau: a directive from the start."""
    return create_task(review, by=city.office, unit=city.finance)
