"""The programme figures other apps call: success rates, quota won, issuance and spending progress,
lagging projects."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from duban.bonds import selectors
from duban.bonds.models import ApplicationOutcome, BondApplication, SpendingTarget

from .factories import BatchFactory, BondProjectFactory


def application(project, batch, *, outcome, applied, allocated=0, allocated_on=None):
    return BondApplication.objects.create(
        project=project,
        batch=batch,
        applied_amount=Decimal(applied),
        outcome=outcome,
        submitted_at=timezone.now(),
        allocated_amount=Decimal(allocated),
        allocated_on=allocated_on,
    )


def test_success_rate_by_count_and_by_amount_per_batch(city):
    batch = BatchFactory(name="2025年第一季度")
    a = BondProjectFactory(applying_unit=city.finance, county=city.county)
    b = BondProjectFactory(applying_unit=city.finance)
    c = BondProjectFactory(applying_unit=city.housing, theme="livelihood")
    application(a, batch, outcome=ApplicationOutcome.APPROVED, applied=6000)
    application(b, batch, outcome=ApplicationOutcome.RETURNED, applied=3000)
    application(c, batch, outcome=ApplicationOutcome.PENDING, applied=1000)
    [row] = selectors.success_rates(user=city.finance_user, by="batch")
    assert (row["submitted"], row["approved"], row["returned"]) == (3, 1, 1)
    assert row["count_rate"] == Decimal(1) / Decimal(3)
    assert row["amount_rate"] == Decimal("0.6")
    by_theme = {
        r["label"]: r["submitted"] for r in selectors.success_rates(user=city.finance_user, by="theme")
    }
    assert by_theme == {"完善城市功能": 2, "改善民生": 1}
    by_county = {
        r["label"]: r["approved"] for r in selectors.success_rates(user=city.finance_user, by="county")
    }
    assert by_county["南屏县"] == 1


def test_a_unit_sees_only_its_own_figures(city):
    batch = BatchFactory()
    application(
        BondProjectFactory(applying_unit=city.housing), batch, outcome=ApplicationOutcome.APPROVED, applied=1
    )
    assert selectors.success_rates(user=city.liaison, by="batch") == []


def test_quota_won_and_its_change_on_last_year(city):
    for year, applied, allocated in ((2025, 9000, 8000), (2026, 12000, 10000)):
        application(
            BondProjectFactory(applying_unit=city.finance),
            BatchFactory(year=year),
            outcome=ApplicationOutcome.APPROVED,
            applied=applied,
            allocated=allocated,
            allocated_on=date(year, 5, 1),
        )
    quota = selectors.quota_won(user=city.finance_user, year=2026)
    assert (quota["quota"], quota["last_year"], quota["change"]) == (
        Decimal(10000),
        Decimal(8000),
        Decimal(2000),
    )
    assert quota["change_rate"] == Decimal("0.25")


def test_issuance_and_spending_progress_and_lagging_projects(city):
    on = date(2026, 9, 15)
    SpendingTarget.objects.create(year=2026, month=9, target_ratio=Decimal("0.6"))
    fast = BondProjectFactory(
        applying_unit=city.finance, quota_allocated=10000, issued_amount=10000, spent_amount=8000
    )
    slow = BondProjectFactory(
        applying_unit=city.finance, quota_allocated=10000, issued_amount=5000, spent_amount=1000
    )
    totals = selectors.programme_totals(user=city.finance_user)
    assert totals["issuance_progress"] == Decimal("0.75")
    assert totals["spending_progress"] == Decimal("0.6")
    spending = selectors.spending_progress(user=city.finance_user, on=on)
    assert spending["target"] == Decimal("0.6") and spending["behind"] is False
    assert selectors.lagging_projects(user=city.finance_user, on=on) == [slow]
    assert fast not in selectors.lagging_projects(user=city.finance_user, on=on)


def test_weekly_figures_in_one_call(city):
    figures = selectors.weekly_figures(user=city.office)
    assert set(figures) == {"totals", "quota", "spending", "lagging", "success_by_batch"}
