"""`duban demo`: migrate the configured database and load the demo city (running it twice changes nothing)."""

from importlib import import_module
from importlib.util import find_spec

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

# Apps load their demo data in this order (units before users before work); an app without a
# demo module is skipped, so capabilities can add theirs without touching this command.
DEMO_APPS = [
    "duban.organisation",
    "duban.accounts",
    "duban.workcalendar",
    "duban.directives",
    "duban.weekly",
    "duban.bonds",
    "duban.ppp",
    "duban.minutes",
]


class Command(BaseCommand):
    help = "迁移数据库并载入演示数据（重复运行不会重复创建）。"

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("数据库已迁移到最新版本。"))
        for app in DEMO_APPS:
            module_name = f"{app}.demo"
            if find_spec(app) is None or find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
