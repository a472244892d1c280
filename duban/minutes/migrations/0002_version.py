"""Drafts carry a version, so that an edit made from an older state of the draft is refused."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="minutesdraft",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="版本"),
        ),
    ]
