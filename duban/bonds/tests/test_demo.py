"""The demo programme loads through the services, twice without duplicates, with passes and fails."""

from duban.accounts.demo import load_demo as load_users
from duban.bonds import selectors
from duban.bonds.demo import PROJECTS, load_demo
from duban.bonds.models import ApplicationOutcome, BondApplication, BondProject, ProjectState
from duban.organisation.demo import load_demo as load_units


def test_demo_programme(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_units()
    load_users()
    load_demo()
    load_demo()
    assert BondProject.objects.count() == len(PROJECTS)
    states = set(BondProject.objects.values_list("state", flat=True))
    assert {ProjectState.SPENT, ProjectState.RETURNED, ProjectState.POOL, ProjectState.ISSUED} <= states
    assert len(set(BondProject.objects.values_list("theme", flat=True))) == 5
    outcomes = set(BondApplication.objects.values_list("outcome", flat=True))
    assert {ApplicationOutcome.APPROVED, ApplicationOutcome.RETURNED, ApplicationOutcome.PENDING} <= outcomes
    verdicts = {
        selectors.project_balance(p, with_sensitivity=False).result.passes for p in BondProject.objects.all()
    }
    assert verdicts == {True, False}
    resubmitted = BondProject.objects.get(code="ZX-2025-004")
    assert resubmitted.applications.count() == 2 and resubmitted.state == ProjectState.QUOTA_ALLOCATED
    assert resubmitted.documents.count() == 10
    assert selectors.missing_documents(BondProject.objects.get(code="ZX-2026-012"))
