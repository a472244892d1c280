"""Schedule the nightly recomputation of the lights (django-q2), once, whatever runs the migration."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

SCHEDULE_NAME = "directives.recompute_lights"


def schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    zone = ZoneInfo(settings.TIME_ZONE)
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    Schedule.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "duban.directives.services.recompute_lights_job",
            "schedule_type": "D",
            # Just after midnight, so each working day starts with today's lights.
            "next_run": datetime.combine(tomorrow, time(0, 5), tzinfo=zone),
            "repeats": -1,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
