"""Schedule the daily reclassification of the PPP projects (django-q2), once, whatever runs the migration."""

from django.db import migrations


def schedule(apps, schema_editor):
    from duban.ppp.services import ensure_reclassify_schedule

    ensure_reclassify_schedule(apps.get_model("django_q", "Schedule"))


def unschedule(apps, schema_editor):
    from duban.ppp.services import RECLASSIFY_SCHEDULE

    apps.get_model("django_q", "Schedule").objects.filter(name=RECLASSIFY_SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ppp", "0002_rectification_directive"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
