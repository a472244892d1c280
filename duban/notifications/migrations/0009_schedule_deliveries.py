"""Schedule the deliveries' sweep (django-q2), once, whatever runs the migration.

Every minute: retries whose back-off has passed and messages held for working hours go out (see
services.deliveries.deliver_due); it does nothing when nothing is due.
"""

from django.db import migrations

SCHEDULE_NAME = "notifications.deliver_due"


def schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "duban.notifications.services.deliver_due_job",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0008_channels_and_deliveries"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
