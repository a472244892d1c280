"""API tokens moved to django-rest-knox (stored as hashes). DRF's authtoken table held every key in
clear; where an earlier version created it, it goes, with its keys (users create new tokens)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_password_changed_at_and_auditor_role")]
    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)
    ]
