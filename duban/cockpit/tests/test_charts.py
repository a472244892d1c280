"""The cockpit's charts: each element counts exactly the list it opens (page and API), for the office and
for a leader (his portfolio); other users are refused; the queries do not grow with the rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.bonds.models import Spending
from duban.bonds.tests.factories import BondProjectFactory
from duban.cockpit import charts
from duban.directives.models import Directive, Light, State
from duban.directives.tests.factories import DirectiveFactory
from duban.ppp.models import PPPProject
from duban.ppp.tests.factories import make_project
from duban.tests.factories import UnitFactory

from .chart_data import TODAY, build_figures, closed_directive, snapshot_week


@pytest.fixture
def figures(city):
    return build_figures(city)


def get_chart(client, name):
    response = client.get(reverse("cockpit:chart", args=[name]))
    assert response.status_code == 200, response.content[:300]
    return response.json()


def elements(chart: dict) -> list[dict]:
    """Every element of a chart that counts rows (the lines of rates count none)."""
    if chart["key"] == "closure":
        return [unit for group in chart["groups"] for unit in group["units"]]
    return [point for series in chart["series"] for point in series["data"] if "count" in point]


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
@pytest.mark.parametrize("role", ["office", "leader_user"])
def test_every_chart_elements_count_equals_the_count_of_the_list_it_opens(
    figures, client_for, api_client_for, name, role
):
    user = getattr(figures, role)
    chart = get_chart(client_for(user), name)
    found = elements(chart)
    assert found, chart  # the fixture gives every chart something to count
    api, pages = api_client_for(user), client_for(user)
    for element in found:
        answer = api.get(element["api_url"])
        assert answer.status_code == 200, (element, answer.content[:300])
        assert answer.json()["count"] == element["count"], element
        page = pages.get(element["url"])
        assert page.status_code == 200, element
        assert page.context["page_obj"].paginator.count == element["count"], element


def test_the_trend_shows_each_weeks_red_and_yellow_as_its_snapshot_counted_them(figures, client_for):
    office = get_chart(client_for(figures.office), "trend")
    red, yellow = ([p["value"] for p in s["data"]] for s in office["series"])
    assert (red, yellow) == ([2, 3], [1, 1])
    Directive.objects.update(light=Light.GREEN)  # today's lights change nothing in past weeks
    assert get_chart(client_for(figures.office), "trend") == office


def test_a_leaders_trend_and_theme_lights_count_his_portfolio_only(figures, client_for):
    trend = get_chart(client_for(figures.leader_user), "trend")
    assert [p["value"] for p in trend["series"][0]["data"]] == [1, 1]
    themes = get_chart(client_for(figures.leader_user), "themes")
    assert sum(p["value"] for s in themes["series"] for p in s["data"]) == 2


def test_units_are_ranked_within_their_class(figures, client_for):
    chart = get_chart(client_for(figures.office), "closure")
    groups = {g["kind"]: g["units"] for g in chart["groups"]}
    assert set(groups) == {"county", "city_department"}
    counties = {u["name"]: (u["rate"], u["rank"]) for u in groups["county"]}
    assert counties == {"西山县人民政府": (1.0, "best"), "南屏县人民政府": (0.5, "best")}
    departments = {u["name"]: u["rate"] for u in groups["city_department"]}
    assert departments == {"测试市财政局": 1.0, "测试市住房和城乡建设局": 0.0}


def test_the_best_and_worst_ten_are_shown_of_a_larger_class(city, client_for):
    units = [UnitFactory(kind="county", parent=city.root) for _n in range(25)]
    for n, unit in enumerate(units):
        closed_directive(unit, late=False)
        for _late in range(n):
            closed_directive(unit, late=True)
    group = get_chart(client_for(city.office), "closure")["groups"][0]["units"]
    best = [u for u in group if u["rank"] == "best"]
    worst = [u for u in group if u["rank"] == "worst"]
    assert len(best) == len(worst) == 10
    # Shown from the best down to the worst.
    assert best[0]["unit_id"] == units[0].pk and worst[-1]["unit_id"] == units[-1].pk
    assert min(u["rate"] for u in best) > max(u["rate"] for u in worst)


def test_the_bond_chart_sums_issuance_and_spending_by_month_against_the_target(figures, client_for):
    chart = get_chart(client_for(figures.office), "bonds")
    issued, spent = chart["series"][0]["data"], chart["series"][1]["data"]
    assert issued[2]["value"] == 8000 and issued[2]["count"] == 1
    assert (spent[2]["value"], spent[3]["value"], spent[3]["count"]) == (1000, 1200, 2)
    leader = get_chart(client_for(figures.leader_user), "bonds")
    assert leader["series"][1]["data"][3] | {"url": "", "api_url": ""} == {
        "value": 500,
        "count": 1,
        "url": "",
        "api_url": "",
    }


def test_the_ppp_chart_counts_projects_per_class(figures, client_for):
    office = get_chart(client_for(figures.office), "ppp")
    by_class = {
        label: p["value"] for label, p in zip(office["categories"], office["series"][0]["data"], strict=True)
    }
    assert by_class["需整改"] == 1 and by_class["正常推进"] == 1


@pytest.mark.parametrize("user", ["liaison", "housing_liaison", "finance_user"])
def test_a_user_who_is_neither_a_leader_nor_the_office_is_refused_the_charts(figures, client_for, user):
    assert client_for(getattr(figures, user)).get(reverse("cockpit:chart", args=["trend"])).status_code == 403


def test_the_charts_need_a_login_and_an_unknown_chart_is_not_found(figures, client, client_for):
    assert client.get(reverse("cockpit:chart", args=["trend"])).status_code == 302
    assert client_for(figures.office).get(reverse("cockpit:chart", args=["nothing"])).status_code == 404


def test_the_cockpit_shows_the_charts_to_leaders_and_the_office_and_the_home_page_stays_light(
    figures, client_for
):
    for user in (figures.office, figures.leader_user):
        page = client_for(user).get(reverse("cockpit:cockpit"))
        assert 'id="cockpit-charts"' in page.text and "vendor/echarts/echarts.min.js" in page.text
        assert 'id="cockpit-charts"' not in client_for(user).get(reverse("cockpit:home")).text
    assert client_for(figures.liaison).get(reverse("cockpit:cockpit")).status_code == 403


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_a_charts_queries_do_not_grow_with_the_rows(figures, client_for, name):
    client = client_for(figures.leader_user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            get_chart(client, name)
        return len(captured)

    few = queries()
    for n in range(12):
        DirectiveFactory(lead_unit=figures.finance, light=Light.RED, state=State.IN_PROGRESS)
        closed_directive(UnitFactory(kind="county", parent=figures.root), late=n % 2 == 0)
        closed_directive(figures.finance, late=n % 3 == 0)
        project = BondProjectFactory(applying_unit=figures.finance)
        Spending.objects.create(project=project, amount=Decimal(10 + n), spent_on=date(TODAY.year, 1 + n, 5))
    snapshot_week(0, 3)
    for _n in range(3):
        PPPProject.objects.filter(pk=make_project(implementing_agency=figures.finance).pk).update(
            project_class="slow"
        )
    assert queries() <= few
