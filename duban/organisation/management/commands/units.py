"""`duban units import FILE --as USER` and `duban units export FILE`: the unit directory in Excel."""

from pathlib import Path

from django.core.management.base import BaseCommand

from duban.core.commands import acting_user, import_file
from duban.core.imports import run_import
from duban.organisation.excel import UnitImport, units_workbook
from duban.organisation.models import Unit


class Command(BaseCommand):
    help = "单位名录 Excel 导入（全部成功或全部不保存）与导出。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="从 Excel 导入单位名录")
        importer.add_argument("file")
        importer.add_argument("--as", dest="username", required=True, help="以哪个督查室账号的名义导入")
        exporter = sub.add_parser("export", help="导出单位名录到 Excel")
        exporter.add_argument("file")

    def handle(self, *args, action, file, **options):
        path = Path(file)
        if action == "export":
            path.write_bytes(units_workbook(Unit.objects.all()))
            self.stdout.write(f"已导出 {Unit.objects.count()} 个单位到 {path}")
            return
        by = acting_user(options["username"])
        importer = UnitImport()
        with import_file(path) as upload:
            result = run_import(importer, upload=upload, by=by)
        self.stdout.write(importer.success_message(result))
