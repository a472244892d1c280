import django.utils.timezone
from django.db import migrations, models


def from_the_audit_trail(apps, schema_editor):
    """Tasks called for before this field existed: the time the audit trail recorded their creation."""
    Task = apps.get_model("ppp", "RectificationTask")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="ppp", model="rectificationtask").first()
    if content_type is None:
        return
    created = dict(
        AuditEntry.objects.filter(content_type=content_type, action=0)
        .values_list("object_pk", "timestamp")
        .order_by("-timestamp")
    )
    for task in Task.objects.all().only("pk"):
        if str(task.pk) in created:
            Task.objects.filter(pk=task.pk).update(created_at=created[str(task.pk)])


class Migration(migrations.Migration):
    dependencies = [
        ("ppp", "0005_chinese_names_have_no_plural"),
        ("audit", "0002_append_only_triggers"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="rectificationtask",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="下达时间"
            ),
        ),
        migrations.RunPython(from_the_audit_trail, migrations.RunPython.noop),
    ]
