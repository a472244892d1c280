"""`duban units import FILE --as USER` and `duban units export FILE`: the unit directory in Excel."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from duban.accounts.models import User
from duban.core.errors import DomainError
from duban.core.excel import ImportRejected
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
        try:
            by = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(f"用户“{options['username']}”不存在或已停用。", returncode=2) from error
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        importer = UnitImport()
        with path.open("rb") as handle:
            try:
                result = run_import(importer, upload=File(handle, name=path.name), by=by)
            except ImportRejected as rejected:
                raise CommandError(
                    "导入未完成，未保存任何数据：\n" + "\n".join(rejected.errors.messages()), returncode=2
                ) from rejected
            except DomainError as refused:
                raise CommandError(refused.message, returncode=2) from refused
        self.stdout.write(importer.success_message(result))
