"""Schedule the weekly cycle's job (django-q2), once, whatever runs the migration.

Hourly: the job opens the week's cycle, sends the reminder and closes past cycles, each when its
time has come, and does nothing when there is nothing to do (see services.run_cycle).
"""

from django.db import migrations

SCHEDULE_NAME = "weekly.run_cycle"


def schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={"func": "duban.weekly.services.run_cycle_job", "schedule_type": "H", "repeats": -1},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("weekly", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
