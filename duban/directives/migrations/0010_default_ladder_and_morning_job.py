"""The default escalation ladder (提醒 → 蓝 → 黄 → 红 → 约谈/通报), which the office may change, and the
morning job that proposes its next steps (django-q2), once, whatever runs the migration."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

SCHEDULE_NAME = "directives.propose_escalations"

# order, name, document, series, light, overdue_days, unanswered_days, approver, reply_days
LADDER = [
    (1, "提醒", "reminder", "", "yellow", None, None, "office", 3),
    (2, "蓝色督办单", "notice", "蓝", "red", None, 0, "office", 5),
    (3, "黄色督办单", "notice", "黄", "red", 5, 0, "office", 5),
    (4, "红色督办单", "notice", "红", "red", 10, 0, "leader", 3),
    (5, "约谈/通报", "notice", "通", "red", 15, 0, "leader", 3),
]


def forwards(apps, schema_editor):
    Step = apps.get_model("directives", "EscalationStep")
    if not Step.objects.exists():
        Step.objects.bulk_create(
            Step(
                order=order,
                name=name,
                document=document,
                series=series,
                light=light,
                overdue_days=overdue,
                unanswered_days=unanswered,
                approver=approver,
                reply_days=reply_days,
            )
            for order, name, document, series, light, overdue, unanswered, approver, reply_days in LADDER
        )
    Schedule = apps.get_model("django_q", "Schedule")
    zone = ZoneInfo(settings.TIME_ZONE)
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    Schedule.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "duban.directives.services.propose_escalations_job",
            "schedule_type": "D",
            # After the lights (00:05), before the office's working day starts.
            "next_run": datetime.combine(tomorrow, time(7, 0), tzinfo=zone),
            "repeats": -1,
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0009_escalation_ladder"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
