"""`duban bonds project CODE`: a stored project's balance, computed as the pages and the API do."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_project_balance_as_json(project):
    out = StringIO()
    call_command("bonds", "project", project.code, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["bond_coverage_ratio"] == 1.1307
    assert data["min_cumulative_balance"] == -750


def test_project_balance_as_a_table(project):
    out = StringIO()
    call_command("bonds", "project", project.code, stdout=out)
    assert "1.1307" in out.getvalue() and project.name in out.getvalue()


def test_an_unknown_code_exits_with_status_2(db):
    with pytest.raises(CommandError) as excinfo:
        call_command("bonds", "project", "NOPE")
    assert excinfo.value.returncode == 2
