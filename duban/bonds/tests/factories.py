"""Factories for the bond programme, and the worked example of finance-domain.md §1.4 as cash flows."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from duban.bonds.models import (
    BondBatch,
    BondProject,
    CashFlowRow,
    InvestmentArea,
    ListKind,
    ProjectCategory,
    ProjectTheme,
)
from duban.tests.factories import UserFactory


def area(code: str = "07") -> InvestmentArea:
    """A positive-list area of the seeded code table (07 市政和产业园区基础设施 allows capital use)."""
    return InvestmentArea.objects.filter(list_kind=ListKind.POSITIVE, code=code).first()


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BondBatch

    name = factory.Sequence(lambda n: f"测试批次{n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    quarter = None
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class BondProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BondProject

    name = factory.Sequence(lambda n: f"测试专项债券项目{n}")
    code = factory.Sequence(lambda n: f"ZX{n:06d}")
    theme = ProjectTheme.CITY_FUNCTIONS
    category = ProjectCategory.GENERAL
    investment_area = factory.LazyFunction(area)
    not_on_negative_list = True
    total_investment = Decimal(20000)
    capital = Decimal(5000)
    capital_from_bonds = Decimal(0)
    bond_demand = Decimal(15000)
    term_years = 10
    expected_rate = Decimal("0.025")
    income_sources = factory.LazyFunction(lambda: ["停车费"])
    planned_start = date(2021, 3, 1)
    created_by = factory.SubFactory(UserFactory)


def worked_example(project: BondProject, *, first_year: int = 2021) -> None:
    """Ten years: two construction years without income, then net 2,300 rising 100 a year (Σ 21,200)."""
    for offset in range(10):
        income = Decimal(0) if offset < 2 else Decimal(2300 + 100 * (offset - 2))
        CashFlowRow.objects.create(
            project=project, year=first_year + offset, income={"停车费": str(income)}, operating_cost=0, tax=0
        )
