"""Computing a period from the records, publishing it, appealing a line and revising it as a new version."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from duban.assessment import services
from duban.assessment.models import AppealState, PeriodState, SnapshotRow
from duban.core.errors import Invalid, NotPermitted
from duban.directives.models import State
from duban.directives.tests.factories import DirectiveFactory
from duban.workcalendar.selectors import working_days_between

from .factories import make_scheme

APRIL = date(2026, 4, 10)


def closed_at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 17, 0))


@pytest.fixture
def march(city):
    """Finance: one directive closed on time, one still open past its deadline; the county one closed a
    working day late; housing nothing due."""
    DirectiveFactory(
        lead_unit=city.finance,
        deadline=date(2026, 3, 10),
        state=State.CLOSED,
        closed_at=closed_at(date(2026, 3, 9)),
    )
    DirectiveFactory(lead_unit=city.finance, deadline=date(2026, 3, 20), state=State.ASSIGNED)
    DirectiveFactory(
        lead_unit=city.county,
        deadline=date(2026, 3, 16),
        state=State.CLOSED,
        closed_at=closed_at(date(2026, 3, 17)),
    )
    DirectiveFactory(lead_unit=city.county, deadline=date(2026, 4, 16), state=State.ASSIGNED)  # another month
    scheme = make_scheme(city)
    return services.period_open(scheme=scheme, label="2026-03", by=city.office)


def rows(snapshot) -> dict:
    return {row.unit_id: row for row in SnapshotRow.objects.filter(snapshot=snapshot)}


def test_a_period_scores_each_unit_from_its_directives_with_the_group_weights(city, march):
    snapshot = services.period_compute(period=march, by=city.office, today=APRIL)
    found = rows(snapshot)

    late_days = working_days_between(date(2026, 3, 20), APRIL)
    assert snapshot.inputs[str(city.finance.pk)] == {
        "closure": "0.5",
        "overdue": str(Decimal(late_days) / 2).rstrip("0").rstrip("."),
        "criticised": None,
    }
    # Finance (市直部门: closure 50, overdue 40): 50 × 0.5 = 25; {late_days}/2 days is past the 5-day band.
    assert found[city.finance.pk].score == Decimal("25.00")
    # County (县区: closure 60, overdue 40): not closed on time, 1 day late on average: 0.5 × 40 = 20.
    assert found[city.county.pk].score == Decimal("20.00")
    # Housing had nothing due: nothing applies, nothing is scored.
    assert found[city.housing.pk].score == Decimal("0.00")
    assert (found[city.finance.pk].rank, found[city.housing.pk].rank, found[city.county.pk].rank) == (1, 2, 1)


def test_every_row_breakdown_adds_up_to_its_score(city, march):
    snapshot = services.period_compute(period=march, by=city.office, today=APRIL)

    for row in rows(snapshot).values():
        assert abs(sum(Decimal(line["points"]) for line in row.lines) - row.score) <= Decimal("0.01")


def test_an_approved_deduction_counts_and_an_unapproved_one_does_not(city, march):
    criticised = march.scheme.indicators.get(key="criticised")
    entry = services.entry_create(
        period=march,
        indicator=criticised,
        unit=city.county,
        value=Decimal(1),
        note="通报批评一次",
        by=city.leader_user,
    )
    before = rows(services.period_compute(period=march, by=city.office, today=APRIL))
    services.entry_decide(entry=entry, by=city.office, approve=True)
    after = rows(services.period_compute(period=march, by=city.office, today=APRIL))

    assert before[city.county.pk].score == Decimal("20.00")
    assert after[city.county.pk].score == Decimal("18.00")


def test_a_reviewer_may_not_approve_his_own_entry(city, march):
    criticised = march.scheme.indicators.get(key="criticised")
    entry = services.entry_create(
        period=march,
        indicator=criticised,
        unit=city.county,
        value=Decimal(1),
        note="通报批评",
        by=city.office,
    )

    with pytest.raises(NotPermitted):
        services.entry_decide(entry=entry, by=city.office, approve=True)


def test_a_liaison_may_not_compute_a_period(city, march):
    with pytest.raises(NotPermitted):
        services.period_compute(period=march, by=city.liaison, today=APRIL)


def test_an_upheld_appeal_makes_a_new_version_and_keeps_the_old_one(city, march):
    first = services.period_compute(period=march, by=city.office, today=APRIL)
    services.period_publish(period=march, by=city.office)
    closure = march.scheme.indicators.get(key="closure")
    appeal = services.appeal_create(
        period=march,
        indicator=closure,
        by=city.liaison,
        reason="第二项已于3月19日办结，系统未及时更新",
        claimed_value=Decimal(1),
    )

    services.appeal_decide(appeal=appeal, by=city.office, upheld=True, decision="经核实，情况属实")
    march.refresh_from_db()
    appeal.refresh_from_db()

    assert appeal.state == AppealState.UPHELD
    assert march.current == appeal.revision and appeal.revision.version == first.version + 1
    assert rows(first)[city.finance.pk].score == Decimal("25.00")
    assert rows(march.current)[city.finance.pk].score == Decimal("50.00")
    assert march.current.inputs[str(city.county.pk)] == first.inputs[str(city.county.pk)]


def test_a_rejected_appeal_leaves_the_version_as_it_was(city, march):
    first = services.period_compute(period=march, by=city.office, today=APRIL)
    services.period_publish(period=march, by=city.office)
    closure = march.scheme.indicators.get(key="closure")
    appeal = services.appeal_create(period=march, indicator=closure, by=city.liaison, reason="有误")

    services.appeal_decide(appeal=appeal, by=city.office, upheld=False, decision="数据准确")
    march.refresh_from_db()

    assert march.current == first


def test_an_appeal_needs_a_published_period(city, march):
    services.period_compute(period=march, by=city.office, today=APRIL)
    closure = march.scheme.indicators.get(key="closure")

    with pytest.raises(NotPermitted):
        services.appeal_create(period=march, indicator=closure, by=city.liaison, reason="有误")


def test_the_rank_change_compares_with_the_previous_period(city, march):
    services.period_compute(period=march, by=city.office, today=APRIL)
    services.period_publish(period=march, by=city.office)
    DirectiveFactory(
        lead_unit=city.housing,
        deadline=date(2026, 4, 8),
        state=State.CLOSED,
        closed_at=closed_at(date(2026, 4, 7)),
    )
    april = services.period_open(scheme=march.scheme, label="2026-04", by=city.office)

    found = rows(services.period_compute(period=april, by=city.office, today=date(2026, 4, 9)))

    # Housing was second of 市直部门 in March, first in April; finance the other way round.
    assert (found[city.housing.pk].rank, found[city.housing.pk].rank_change) == (1, 1)
    assert (found[city.finance.pk].rank, found[city.finance.pk].rank_change) == (2, -1)
    march.refresh_from_db()
    assert march.state == PeriodState.PUBLISHED


def test_a_label_that_does_not_fit_the_period_type_is_refused(city):
    scheme = make_scheme(city)

    with pytest.raises(Invalid):
        services.period_open(scheme=scheme, label="2026-Q1", by=city.office)
