"""A small scheme over the test city: 县区 (the county) and 市直部门 (finance, housing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from duban.assessment import services
from duban.assessment.models import Formula, Source, Visibility


def make_scheme(city, *, visibility=Visibility.PUBLIC, name="月度考核", period_type="month"):
    office = city.office
    scheme = services.scheme_create(by=office, name=name, period_type=period_type, visibility=visibility)
    services.group_create(scheme=scheme, by=office, name="县区", units=[city.county], sort_order=1)
    departments = services.group_create(
        scheme=scheme, by=office, name="市直部门", units=[city.finance, city.housing], sort_order=2
    )
    work = services.indicator_create(
        scheme=scheme, by=office, key="work", name="工作落实", weight=Decimal(100)
    )
    closure = services.indicator_create(
        scheme=scheme,
        by=office,
        parent=work,
        key="closure",
        name="督办事项按期办结率",
        formula=Formula.TARGET,
        params={"target": 1, "cap": 1},
        weight=Decimal(60),
        source=Source.CLOSURE_RATE,
        valid_from=date(2020, 1, 1),
    )
    services.indicator_create(
        scheme=scheme,
        by=office,
        parent=work,
        key="overdue",
        name="平均逾期工作日",
        formula=Formula.BANDS,
        params={"better": "lower", "bands": [[0, 1], [5, 0.5]]},
        weight=Decimal(40),
        source=Source.OVERDUE_DAYS,
        valid_from=date(2020, 1, 1),
    )
    services.indicator_create(
        scheme=scheme,
        by=office,
        parent=work,
        key="criticised",
        name="通报批评",
        formula=Formula.DEDUCTION,
        params={"per": 2, "max": 6},
        source=Source.MANUAL,
        valid_from=date(2020, 1, 1),
    )
    services.group_weight_set(indicator=closure, group=departments, weight=Decimal(50), by=office)
    return scheme


def published_period(city, *, visibility=Visibility.PUBLIC, name="月度考核", label="2026-03"):
    """A scheme with one period computed (from whatever records there are) and published."""
    scheme = make_scheme(city, visibility=visibility, name=name)
    period = services.period_open(scheme=scheme, label=label, by=city.office)
    services.period_compute(period=period, by=city.office, today=date(2026, 4, 10))
    services.period_publish(period=period, by=city.office)
    period.refresh_from_db()
    return period


def appeal_of(city, period, *, key="closure", by=None):
    indicator = period.scheme.indicators.get(key=key)
    return services.appeal_create(
        period=period, indicator=indicator, by=by or city.liaison, reason="数据有误"
    )


def entry_of(city, period, *, unit=None, by=None):
    indicator = period.scheme.indicators.get(key="criticised")
    return services.entry_create(
        period=period,
        indicator=indicator,
        unit=unit or city.county,
        value=Decimal(1),
        note="通报批评",
        by=by or city.leader_user,
    )


def experience_of(city, *, by=None, title="“一网通办”经验"):
    return services.experience_submit(by=by or city.liaison, title=title, summary="主要做法……")


def draft_period(city, *, label="2026-03"):
    scheme = make_scheme(city)
    period = services.period_open(scheme=scheme, label=label, by=city.office)
    services.period_compute(period=period, by=city.office, today=date(2026, 4, 10))
    period.refresh_from_db()
    return period
