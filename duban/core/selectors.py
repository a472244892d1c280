"""The platform's own reads: the background imports a user may follow."""

from __future__ import annotations

from django.db.models import QuerySet

from duban.accounts.scope import visible_to

from .models import ImportJob


def import_job_list(*, user) -> QuerySet[ImportJob]:
    """The background imports the user may read: the ones they started; the office's, every one."""
    jobs = ImportJob.objects.select_related("created_by")
    if not user.is_authenticated:
        return jobs.none()
    return visible_to(user, jobs) | jobs.filter(created_by=user)
