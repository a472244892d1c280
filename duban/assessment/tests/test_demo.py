"""The demo (item 8) and the issue's done-when: every demo ranking's breakdowns add up to the scores, a
liaison reads the public ranking with his unit's breakdown and records and gets 404 on the internal one,
the upheld appeal made a new version and the old one stays readable."""

from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from duban.assessment.demo import MONTHLY, QUARTERLY
from duban.assessment.models import Appeal, AppealState, Period, Scheme, SnapshotRow, TypicalExperience
from duban.core.management.commands.demo import demo_modules


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The full demo, loaded once for the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for name in demo_modules():
                import_module(name).load_demo()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


def client_of(username: str) -> Client:
    from duban.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_has_twelve_months_an_internal_quarterly_scheme_two_appeals_and_three_experiences(db, demo):
    monthly, quarterly = Scheme.objects.get(name=MONTHLY), Scheme.objects.get(name=QUARTERLY)

    assert (monthly.visibility, quarterly.visibility) == ("public", "internal")
    assert monthly.periods.count() == 12 and quarterly.periods.exists()
    assert sorted(Appeal.objects.values_list("state", flat=True)) == [
        AppealState.REJECTED,
        AppealState.UPHELD,
    ]
    assert TypicalExperience.objects.count() == 3
    # The ranks move from month to month.
    assert (
        SnapshotRow.objects.filter(snapshot__period__scheme=monthly)
        .exclude(rank_change=0)
        .exclude(rank_change=None)
        .exists()
    )


def test_every_row_of_every_demo_ranking_adds_up_to_its_score(db, demo):
    rows = SnapshotRow.objects.all()
    assert rows.count() > 100
    for row in rows:
        assert abs(sum(Decimal(line["points"]) for line in row.lines) - row.score) <= Decimal("0.01"), row


def test_a_liaison_reads_the_public_ranking_with_his_breakdown_and_records_and_not_the_internal_one(db, demo):
    from duban.accounts.models import User

    liaison = User.objects.get(username="liaison")
    client = client_of("liaison")
    latest = Scheme.objects.get(name=MONTHLY).periods.order_by("-starts_on").first()
    internal = Scheme.objects.get(name=QUARTERLY).periods.order_by("-starts_on").first()

    ranking = client.get(reverse("assessment:ranking", args=[latest.pk]))
    breakdown = client.get(reverse("assessment:breakdown", args=[latest.pk, liaison.unit_id]))
    api = client.get(f"/api/assessment/schemes/{latest.scheme_id}/ranking/")

    assert ranking.status_code == 200 and breakdown.status_code == 200
    assert f"unit={liaison.unit_id}" in breakdown.text
    own = next(row for row in api.json()["rows"] if row["unit"]["id"] == liaison.unit_id)
    assert own["breakdown"] and all(line["records_url"] for line in own["breakdown"])
    assert client.get(reverse("assessment:ranking", args=[internal.pk])).status_code == 404
    assert client.get(f"/api/assessment/schemes/{internal.scheme_id}/ranking/").status_code == 404
    assert client_of("leader").get(reverse("assessment:ranking", args=[internal.pk])).status_code == 200


def test_the_upheld_appeal_made_a_new_version_and_the_old_one_stays_readable(db, demo):
    appeal = Appeal.objects.get(state=AppealState.UPHELD)
    period = Period.objects.get(pk=appeal.period_id)

    assert period.current == appeal.revision and appeal.snapshot.version == appeal.revision.version - 1
    old = client_of("liaison").get(
        reverse("assessment:ranking", args=[period.pk]) + f"?version={appeal.snapshot.version}"
    )
    assert old.status_code == 200 and f"v{appeal.snapshot.version}" in old.text


def test_loading_the_demo_again_changes_nothing(db, demo):
    from duban.assessment.demo import load_demo

    before = SnapshotRow.objects.count()
    load_demo()

    assert SnapshotRow.objects.count() == before


def test_the_demo_quarter_scores_bond_issuance_and_spending_ppp_ratings_and_survey_timeliness(db, demo):
    quarters = SnapshotRow.objects.filter(snapshot__period__scheme__name=QUARTERLY)
    measured = {line["indicator"] for row in quarters for line in row.lines if line["value"] is not None}

    assert {"bond_issuance", "bond_spending", "ppp_review", "surveys"} <= measured
