"""`duban demo`: migrate the configured database and load the demo city (running it twice changes nothing)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules() -> list[str]:
    """Each installed Duban app's `demo` module, in INSTALLED_APPS order (units before users before
    work): a capability adds its demo data without this command knowing it."""
    names = [f"{config.name}.demo" for config in apps.get_app_configs() if config.name.startswith("duban.")]
    return [name for name in names if find_spec(name) is not None]


class Command(BaseCommand):
    help = "迁移数据库并载入演示数据（重复运行不会重复创建）。"

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("数据库已迁移到最新版本。"))
        for module_name in demo_modules():
            with transaction.atomic():
                import_module(module_name).load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
