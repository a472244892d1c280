"""The cockpit's charts (领导驾驶舱图表): each composed from the capabilities' selectors, in the user's scope
(a leader's portfolio, the office's everything), and each element carrying the list it counts.

A chart is a dict ready for the page's ECharts (`cockpit/_charts.html`): its categories and series,
and for every element its `value`, the `count` of rows behind it, and the `url` of the page list and
`api_url` of the API list that hold exactly those rows (the API's `count` equals the element's
`count`; the tests hold every chart to it, for each role).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.bonds import selectors as bonds
from duban.directives import selectors as directives
from duban.organisation.models import UnitKind
from duban.ppp import selectors as ppp
from duban.weekly import selectors as weekly

TREND_WEEKS = 12
RANKED = 10  # the best and the worst ten units of each class
CLOSURE_WINDOW = timedelta(days=365)

LIGHT_COLOURS = {"red": "#dc3545", "yellow": "#ffc107", "green": "#198754"}


def _link(page: str, api: str, query: dict) -> dict[str, str]:
    encoded = urlencode({k: v for k, v in query.items() if v is not None})
    return {"url": f"{reverse(page)}?{encoded}", "api_url": f"{reverse(api)}?{encoded}"}


def _element(value, count: int, page: str, api: str, query: dict) -> dict:
    number = float(value) if isinstance(value, Decimal) else value
    return {"value": number, "count": count, **_link(page, api, query)}


def light_trend(*, user) -> dict:
    """Red and yellow per week over the last twelve closed cycles, as each cycle's snapshot counted them."""
    weeks = weekly.light_trend(user=user, weeks=TREND_WEEKS)
    labels = {"red": _("红灯"), "yellow": _("黄灯")}

    def point(week, light):
        n = week[light]
        query = {"cycle": week["cycle"].pk, "light": light}
        return _element(n, n, "weekly:snapshot_items", "api:weekly-snapshot-item-list", query)

    return {
        "key": "trend",
        "title": _("近12周红黄灯走势"),
        "categories": [f"{w['cycle'].iso_year}-{w['cycle'].issue_label}" for w in weeks],
        "series": [
            {
                "name": labels[light],
                "type": "line",
                "color": LIGHT_COLOURS[light],
                "data": [point(w, light) for w in weeks],
            }
            for light in ("red", "yellow")
        ],
    }


def _ranked(rows: list[dict]) -> list[dict]:
    """The best ten (highest rate, more closed first) then the worst ten not already among them."""
    best = sorted(rows, key=lambda r: (-r["rate"], -r["closed"], r["name"]))[:RANKED]
    shown = {r["unit_id"] for r in best}
    worst = [
        r
        for r in sorted(rows, key=lambda r: (r["rate"], -r["closed"], r["name"]))
        if r["unit_id"] not in shown
    ]
    return [{**r, "rank": "best"} for r in best] + [{**r, "rank": "worst"} for r in reversed(worst[:RANKED])]


def closure_rates(*, user) -> dict:
    """The share of directives closed by their deadline over the last year, per lead unit, the best and
    the worst ten of each class of unit (县区 with 县区, 市直部门 with 市直部门, …)."""
    since = timezone.localdate() - CLOSURE_WINDOW
    by_kind: dict[str, list[dict]] = {}
    for row in directives.closure_by_unit(user=user, since=since):
        query = {"lead_unit": row["lead_unit_id"], "state": "closed", "closed_since": since.isoformat()}
        by_kind.setdefault(row["lead_unit__kind"], []).append(
            {
                "unit_id": row["lead_unit_id"],
                "name": row["lead_unit__name"],
                "rate": round(row["on_time"] / row["closed"], 4),
                "closed": row["closed"],
                "on_time": row["on_time"],
                **_element(row["closed"], row["closed"], "directives:board", "api:directive-list", query),
            }
        )
    groups = [
        {"kind": kind, "label": str(label), "units": _ranked(by_kind[kind])}
        for kind, label in UnitKind.choices
        if kind in by_kind
    ]
    return {
        "key": "closure",
        "title": _("按期办结率（近一年）"),
        "since": since.isoformat(),
        "groups": groups,
    }


def theme_lights(*, user) -> dict:
    """Red, yellow and green directives per theme, as the board counts them."""
    rows = directives.theme_light_counts(user=user)
    labels = {"red": _("红灯"), "yellow": _("黄灯"), "green": _("绿灯")}
    return {
        "key": "themes",
        "title": _("各工作主题亮灯情况"),
        "categories": [row["theme__name"] for row in rows],
        "series": [
            {
                "name": labels[light],
                "type": "bar",
                "stack": "lights",
                "color": LIGHT_COLOURS[light],
                "data": [
                    _element(
                        row[light],
                        row[light],
                        "directives:board",
                        "api:directive-list",
                        {"theme": row["theme_id"], "light": light},
                    )
                    for row in rows
                ],
            }
            for light in ("red", "yellow", "green")
        ],
    }


def bond_months(*, user) -> dict:
    """Bonds issued and money spent per month of this year (万元; each bar opens the projects it sums),
    and the cumulative spending progress against the month's target (%)."""
    year = timezone.localdate().year
    months = bonds.monthly_issuance_and_spending(user=user, year=year)

    def bar(month, figure):
        query = {f"{figure}_month": month["key"]}
        return _element(
            month[figure], month[f"{figure}_projects"], "bonds:project_list", "api:bond-project-list", query
        )

    def percent(value):
        return None if value is None else round(float(value) * 100, 1)

    return {
        "key": "bonds",
        "title": _("%(year)d年专项债券发行与支出") % {"year": year},
        "categories": [_("%(m)d月") % {"m": m["month"]} for m in months],
        "series": [
            {
                "name": _("发行（万元）"),
                "type": "bar",
                "color": "#0d6efd",
                "data": [bar(m, "issued") for m in months],
            },
            {
                "name": _("支出（万元）"),
                "type": "bar",
                "color": "#20c997",
                "data": [bar(m, "spent") for m in months],
            },
            {
                "name": _("支出进度（%）"),
                "type": "line",
                "axis": 1,
                "color": "#6f42c1",
                "data": [{"value": percent(m["progress"])} for m in months],
            },
            {
                "name": _("目标进度（%）"),
                "type": "line",
                "axis": 1,
                "dashed": True,
                "color": "#fd7e14",
                "data": [{"value": percent(m["target"])} for m in months],
            },
        ],
    }


def ppp_classes(*, user) -> dict:
    """PPP projects per class (正常推进, 进度滞后, 停滞, 需整改, 拟退库)."""
    rows = ppp.class_counts(user=user)
    return {
        "key": "ppp",
        "title": _("PPP项目分类"),
        "categories": [row["label"] for row in rows],
        "series": [
            {
                "name": _("项目数"),
                "type": "bar",
                "color": "#0dcaf0",
                "data": [
                    _element(
                        row["count"],
                        row["count"],
                        "ppp:project_list",
                        "api:ppp-project-list",
                        {"project_class": row["project_class"]},
                    )
                    for row in rows
                ],
            }
        ],
    }


CHARTS: dict[str, Callable[..., dict]] = {
    "trend": light_trend,
    "closure": closure_rates,
    "themes": theme_lights,
    "bonds": bond_months,
    "ppp": ppp_classes,
}


def chart(name: str, *, user) -> dict:
    """The chart named (a key of CHARTS) for the user; KeyError for an unknown name."""
    return CHARTS[name](user=user)
