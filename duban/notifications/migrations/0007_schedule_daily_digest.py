"""Schedule the daily digest (django-q2), once, whatever runs the migration.

Every quarter of an hour: the job sends each working day's digest once the configured local time
(`DUBAN_DIGEST_TIME`) has passed, and does nothing otherwise (see services.send_digests), so a change of
the time needs no new schedule.
"""

from django.db import migrations

SCHEDULE_NAME = "notifications.send_digests"


def schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "duban.notifications.services.send_digests_job",
            "schedule_type": "I",
            "minutes": 15,
            "repeats": -1,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_daily_digest"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
