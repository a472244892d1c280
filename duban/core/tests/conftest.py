from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def schedules_not_yet_due(db):
    """The migrations' schedules fall due 15 minutes after the test database is made, and no worker runs
    them: from then on /healthz answers 503 (jobs late). Tests that read a healthy /healthz move them on."""
    from django_q.models import Schedule

    Schedule.objects.update(next_run=timezone.now() + timedelta(hours=1))
