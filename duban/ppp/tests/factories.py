"""factory_boy factories for the PPP programme; projects come through the service so they get their steps."""

import datetime
from decimal import Decimal

import factory

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.ppp import services
from duban.ppp.models import BudgetYear, Contract, PPPProject, ReviewCampaign, ThresholdSet


def make_project(*, implementing_agency, by=None, **overrides) -> PPPProject:
    """A viability-gap BOT project registered through the service (steps, events and class included)."""
    fields = {
        "code": f"PPP-{PPPProject.objects.count() + 1:04d}",
        "name": f"测试PPP项目{PPPProject.objects.count() + 1}",
        "sector": "municipal",
        "implementing_agency": implementing_agency,
        "operation_mode": "BOT",
        "mechanism": "viability_gap",
        "total_investment": Decimal("120000"),
        "construction_cost": Decimal("100000"),
        "cooperation_years": 12,
        "profit_rate": Decimal("0.06"),
        "discount_rate": Decimal("0.035"),
        "subsidy_years": 10,
        "operation_start_year": 2021,
        "annual_operating_cost": Decimal("2000"),
        "annual_user_fees": Decimal("1500"),
    }
    fields.update(overrides)
    by = by or User.objects.filter(role=Role.OFFICE).first()
    return services.project_create(by=by, **fields)


def make_candidate(*, implementing_agency, by=None, **overrides) -> PPPProject:
    """A government-pay project not counted yet: the candidate of a "what if we add it" check."""
    fields = {
        "mechanism": "government_pay",
        "annual_user_fees": Decimal(0),
        "counted_in_affordability": False,
    }
    return make_project(implementing_agency=implementing_agency, by=by, **{**fields, **overrides})


def sign(project, *, by, signed_on=None) -> Contract:
    return services.contract_add(
        project=project,
        by=by,
        kind=Contract.Kind.MAIN,
        title=f"{project.name}PPP项目合同",
        signed_on=signed_on or datetime.date(2020, 6, 30),
    )


class ThresholdSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThresholdSet

    valid_from = factory.Sequence(lambda n: datetime.date(2015 + n, 1, 1))


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear
        django_get_or_create = ("year",)

    year = 2020
    expenditure = Decimal("300000")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCampaign

    name = factory.Sequence(lambda n: f"第{n}次合同履约审查")
    year = 2026
    due_on = factory.LazyFunction(lambda: datetime.date(2026, 12, 31))
