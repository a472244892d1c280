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
