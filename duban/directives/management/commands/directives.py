"""`duban directives recompute-lights`: set every directive's light now (the nightly job, by hand);
`duban directives propose-escalations`: the escalation ladder's morning proposals, by hand;
`duban directives import FILE --as USER` and `duban directives export FILE`: the ledger (台账) in Excel."""

from pathlib import Path

from django.core.management.base import BaseCommand

from duban.core.commands import acting_user, date_argument, import_file
from duban.directives import services
from duban.directives.models import Directive, Light


class Command(BaseCommand):
    help = "督办事项：重新计算全部亮灯（与每日定时任务相同）；台账 Excel 导入（全部成功或全部不保存）与导出。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        recompute = sub.add_parser("recompute-lights", help="重新计算全部督办事项的亮灯")
        recompute.add_argument("--today", type=date_argument, help="按这一天计算（YYYY-MM-DD），默认今天")
        recompute.add_argument("--notify", action="store_true", help="通知新亮红灯、黄灯事项的牵头单位")
        propose = sub.add_parser(
            "propose-escalations", help="提出逐级督办的下一步（与每个工作日早上的定时任务相同）"
        )
        propose.add_argument("--today", type=date_argument, help="按这一天计算（YYYY-MM-DD），默认今天")
        importer = sub.add_parser("import", help="从 Excel 台账导入督办事项")
        importer.add_argument("file")
        importer.add_argument("--as", dest="username", required=True, help="以哪个督查室账号的名义导入")
        importer.add_argument("--draft", action="store_true", help="导入为草稿，不直接交办")
        exporter = sub.add_parser("export", help="导出全部督办事项到 Excel 台账")
        exporter.add_argument("file")

    def handle(self, *args, action, **options):
        if action == "recompute-lights":
            self._recompute(options)
        elif action == "propose-escalations":
            result = services.propose_escalations_job(today=options.get("today"))
            self.stdout.write(f"逐级督办：新提出 {result['proposed']} 项，撤回 {result['withdrawn']} 项。")
        elif action == "export":
            path = Path(options["file"])
            path.write_bytes(services.directives_to_excel(Directive.objects.all()))
            self.stdout.write(f"已导出 {Directive.objects.count()} 项督办事项到 {path}")
        else:
            self._import(options)

    def _recompute(self, options):
        changed = services.recompute_lights_job(
            today=options.get("today"), notify=options.get("notify", False)
        )
        summary = "，".join(f"{Light(light).label} {n}" for light, n in changed.items())
        self.stdout.write(f"亮灯已更新（变化的事项数）：{summary}")

    def _import(self, options):
        by = acting_user(options["username"])
        with import_file(Path(options["file"])) as upload:
            result = services.directives_import_excel(upload=upload, by=by, assign=not options["draft"])
        self.stdout.write(f"导入完成：新增 {result['created']} 项督办事项。")
