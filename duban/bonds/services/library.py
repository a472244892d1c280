"""The project library: a project enters the reserve pool, and its library fields are edited."""

from __future__ import annotations

import re

from django.db import transaction

from duban.core.concurrency import versioned_update
from duban.core.rules import require

from ..models import BondProject, ProjectState
from ..rules import may_create_project, may_edit_project
from ..workflow import record_event


def split_sources(value) -> list[str]:
    """“停车费、租金” (or a list) → ["停车费", "租金"]: stripped, without blanks or repeats."""
    if not value:
        return []
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[、,，;；\n]+", str(value))
    seen: list[str] = []
    for part in (str(p).strip() for p in parts):
        if part and part not in seen:
            seen.append(part)
    return seen


@transaction.atomic
def project_create(*, by, **fields) -> BondProject:
    """A new project enters the reserve pool (储备), with a "create" entry on its timeline."""
    require(may_create_project, by, fields.get("applying_unit"))
    project = BondProject(created_by=by, state=ProjectState.POOL, **fields)
    project.income_sources = split_sources(project.income_sources)
    project.full_clean()
    project.save()
    record_event(project, "create", by=by)
    return project


def project_update(*, project: BondProject, by, expected_version: int, **fields) -> BondProject:
    """Edit the library fields from the version the edit started from.

    Moving the project to another applying unit is checked against that unit too: a unit may not move
    a project out of its own library into one it does not hold.
    """
    require(may_edit_project, by, project)
    unit = fields.get("applying_unit")
    if unit is not None and unit.pk != project.applying_unit_id:
        require(may_create_project, by, unit)
    if "income_sources" in fields:
        fields["income_sources"] = split_sources(fields["income_sources"])
    return versioned_update(project, expected_version=expected_version, fields=fields, by=by).instance
