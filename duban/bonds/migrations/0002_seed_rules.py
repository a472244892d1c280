from django.db import migrations


def seed(apps, schema_editor):
    from duban.bonds.seed import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("bonds", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
