"""The lights when a cycle closes: counted per unit, theme and leader and listed, once; the bulletin and
the snapshot list read them, not today's lights."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from duban.directives.models import Directive, Light, State
from duban.tests.lists import assert_queries_do_not_grow
from duban.weekly import bulletin as bulletins
from duban.weekly import selectors, services
from duban.weekly.models import CycleState, LightSnapshot, ReportingCycle, SnapshotItem

from .conftest import at
from .factories import DirectiveFactory
from .test_bulletin import docx_text


@pytest.fixture
def closed(cycle):
    services.cycle_close(cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def totals(cycle, **where):
    rows = LightSnapshot.objects.filter(cycle=cycle, **where)
    return {f: sum(getattr(r, f) for r in rows) for f in ("red", "yellow", "green", "overdue", "stale")}


def test_closing_a_cycle_counts_the_open_directives_lights_per_unit_and_theme(city, work, closed):
    assert closed.snapshot_at is not None and not closed.snapshot_backfilled
    # Finance leads the red one (past its deadline) and the green one; the county the yellow one.
    assert totals(closed, unit=city.finance) == {"red": 1, "yellow": 0, "green": 1, "overdue": 1, "stale": 0}
    assert totals(closed, unit=city.county) == {"red": 0, "yellow": 1, "green": 0, "overdue": 0, "stale": 0}
    assert not LightSnapshot.objects.filter(cycle=closed, unit=city.housing).exists()  # a draft, not open
    red = LightSnapshot.objects.get(cycle=closed, unit=city.finance, red=1)
    assert red.theme_id == work.red.theme_id and red.leader_id == city.leader.pk


def test_the_snapshot_lists_the_red_and_yellow_items_as_they_stood(city, work, closed):
    items = {(i.light, i.object_id) for i in SnapshotItem.objects.filter(cycle=closed)}
    assert items == {("red", work.red.pk), ("yellow", work.yellow.pk)}
    red = SnapshotItem.objects.get(cycle=closed, light="red")
    assert (red.unit_id, red.leader_name, red.deadline) == (
        city.finance.pk,
        city.leader.name,
        work.red.deadline,
    )


def test_a_snapshot_is_taken_once_per_cycle(work, closed):
    before = (LightSnapshot.objects.count(), SnapshotItem.objects.count(), closed.snapshot_at)
    assert services.cycle_snapshot(cycle=closed) is False
    services.run_cycle(now=at(2026, 12, 2, 9))  # the job closes nothing twice
    closed.refresh_from_db()
    assert (LightSnapshot.objects.count(), SnapshotItem.objects.count(), closed.snapshot_at) == before


def test_the_snapshot_keeps_what_was_true_when_the_cycle_closed(work, closed):
    Directive.objects.filter(pk=work.yellow.pk).update(light=Light.RED)
    DirectiveFactory(light=Light.RED)
    assert selectors.snapshot_totals(closed)["red"] == 1
    assert selectors.snapshot_totals(closed)["yellow"] == 1


def test_the_scheduled_job_takes_the_snapshot_when_it_closes_the_cycle(work, cycle):
    services.run_cycle(now=at(2026, 12, 1, 9))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED and cycle.snapshot_at is not None
    assert SnapshotItem.objects.filter(cycle=cycle).count() == 2


def test_the_snapshot_takes_the_same_queries_whatever_the_number_of_directives(city, work, cycle):
    other = ReportingCycle.objects.create(
        iso_year=2026,
        iso_week=49,
        issue_number=2,
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 12, 6),
        due_at=at(2026, 12, 4, 17),
        remind_at=at(2026, 12, 4, 9),
        close_at=at(2026, 12, 7, 9),
    )
    with CaptureQueriesContext(connection) as few:
        services.cycle_snapshot(cycle=cycle)
    DirectiveFactory.create_batch(30, light=Light.RED, lead_unit=city.housing)
    DirectiveFactory.create_batch(30, light=Light.YELLOW, lead_unit=city.county)
    with CaptureQueriesContext(connection) as many:
        services.cycle_snapshot(cycle=other)
    assert len(many) == len(few)
    assert SnapshotItem.objects.filter(cycle=other).count() == 62


# --- the bulletin reads the snapshot ----------------------------------------------------------------------


def test_the_bulletin_of_a_closed_cycle_lists_the_lights_of_its_snapshot(city, work, closed):
    Directive.objects.filter(pk=work.yellow.pk).update(light=Light.RED)  # after the close
    red = [f.object_id for _label, rows in selectors.bulletin_flagged(closed, light="red") for f in rows]
    assert red == [work.red.pk]
    figures = dict(selectors.bulletin_figures(closed))
    assert figures["在办事项亮红灯"] == 1 and figures["在办事项亮黄灯"] == 1
    assert "截止时" in selectors.bulletin_lights_note(closed)


def test_the_bulletin_of_an_open_cycle_says_its_lights_are_live(work, cycle):
    Directive.objects.filter(pk=work.yellow.pk).update(light=Light.RED)
    red = {f.object_id for _label, rows in selectors.bulletin_flagged(cycle, light="red") for f in rows}
    assert red == {work.red.pk, work.yellow.pk}
    assert "实时数据" in selectors.bulletin_lights_note(cycle)


def test_the_word_bulletin_says_where_its_lights_come_from_and_lists_the_snapshot(city, work, closed):
    Directive.objects.filter(pk=work.yellow.pk).update(light=Light.RED)
    out = io.BytesIO()
    bulletins.bulletin_docx(closed, out)
    document = Document(io.BytesIO(out.getvalue()))
    assert "亮灯情况为本期截止时" in docx_text(document)
    tables = ["\n".join(c.text for row in t.rows for c in row.cells) for t in document.tables]
    red_table = next(t for t in tables if "专项债券项目申报" in t)
    yellow_table = next(t for t in tables if "县城污水管网改造" in t)
    assert red_table != yellow_table  # still yellow in the list, as when the cycle closed


def test_the_bulletin_page_shows_the_note_and_links_the_snapshot_list(city, client_for, work, closed):
    page = client_for(city.office).get(reverse("weekly:bulletin", args=[closed.pk]))
    assert page.status_code == 200
    assert "亮灯情况为本期截止时" in page.text
    assert f"{reverse('weekly:snapshot_items')}?cycle={closed.pk}" in page.text


# --- backfill -------------------------------------------------------------------------------------------


def test_backfilling_snapshots_takes_them_for_closed_cycles_without_one_and_says_so(work, closed):
    LightSnapshot.objects.all().delete()
    SnapshotItem.objects.all().delete()
    ReportingCycle.objects.filter(pk=closed.pk).update(snapshot_at=None)
    out = io.StringIO()
    call_command("weekly", "snapshot-backfill", stdout=out)
    assert "1" in out.getvalue()
    closed.refresh_from_db()
    assert closed.snapshot_backfilled and SnapshotItem.objects.filter(cycle=closed).count() == 2
    assert "补记" in selectors.bulletin_lights_note(closed)
    assert services.snapshot_backfill() == 0


def test_an_open_cycle_is_never_backfilled(work, cycle):
    assert services.snapshot_backfill() == 0
    cycle.refresh_from_db()
    assert cycle.snapshot_at is None


# --- the list the trend opens ----------------------------------------------------------------------------


def test_the_snapshot_list_page_and_api_agree_for_the_office(city, work, closed, page_and_api_agree):
    rows = page_and_api_agree(
        city.office,
        reverse("weekly:snapshot_items"),
        reverse("api:weekly-snapshot-item-list"),
        {"cycle": closed.pk, "light": "red"},
    )
    assert rows == list(SnapshotItem.objects.filter(cycle=closed, light="red").values_list("pk", flat=True))


def test_a_leader_reads_the_snapshot_items_of_his_portfolio_only(city, work, closed, page_and_api_agree):
    rows = page_and_api_agree(
        city.leader_user, reverse("weekly:snapshot_items"), reverse("api:weekly-snapshot-item-list"), {}
    )
    assert [SnapshotItem.objects.get(pk=pk).object_id for pk in rows] == [work.red.pk]


def test_another_units_liaison_reads_none_of_finances_snapshot_items(city, client_for, work, closed):
    red = SnapshotItem.objects.get(cycle=closed, light="red")
    page = client_for(city.housing_liaison).get(reverse("weekly:snapshot_items"))
    assert page.status_code == 200 and list(page.context["page_obj"]) == []
    assert client_for(city.housing_liaison).get(reverse("weekly:snapshot_items_export")).status_code == 200
    assert not selectors.snapshot_item_list(user=city.housing_liaison).filter(pk=red.pk).exists()


def test_the_snapshot_list_is_the_signed_in_users_only(client, closed):
    assert client.get(reverse("weekly:snapshot_items")).status_code == 302


def test_the_snapshot_list_queries_do_not_grow_with_its_rows(city, client_for, work, closed):
    def more():
        for n in range(20):
            SnapshotItem.objects.create(
                cycle=closed,
                source="directive",
                object_id=1000 + n,
                light="red",
                title=f"事项{n}",
                unit=city.finance,
                unit_name=city.finance.name,
                order=100 + n,
            )

    assert_queries_do_not_grow(
        client_for(city.office), reverse("weekly:snapshot_items"), add_rows=more, most=15
    )


def test_the_snapshot_list_exports_to_excel(city, client_for, work, closed):
    response = client_for(city.office).get(reverse("weekly:snapshot_items_export"), {"cycle": closed.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_closed_directive_stays_out_of_the_snapshot(city, work, cycle):
    DirectiveFactory(lead_unit=city.housing, light=Light.RED, state=State.SUSPENDED)
    services.cycle_close(cycle=cycle)
    assert not LightSnapshot.objects.filter(cycle=cycle, unit=city.housing).exists()
