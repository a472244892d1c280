"""`duban weekly run-cycle [--today YYYY-MM-DD]`: what the hourly schedule does, by hand.
`duban weekly snapshot-backfill`: a snapshot of the lights for each closed cycle that has none.

A thin wrapper over services.run_cycle: opens the week's cycle and gathers its reports, sends the
reminder when due, closes past cycles. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.commands import date_argument
from duban.weekly import services


class Command(BaseCommand):
    help = "周报告制度：开启、提醒、截止周报周期。The weekly cycle: open, remind, close."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        run = subcommands.add_parser("run-cycle", help="开启本周周期、按时提醒、截止过期周期 (idempotent)")
        run.add_argument(
            "--today",
            type=date_argument,
            metavar="YYYY-MM-DD",
            help="按该日（当前钟点）运行，用于补跑 / run as of that day, at the current time",
        )

        subcommands.add_parser(
            "snapshot-backfill",
            help="为没有亮灯快照的已截止周期补记快照（按当前数据）/ snapshot closed cycles that have none",
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "run-cycle":
            self.run_cycle(options.get("today"))
        elif subcommand == "snapshot-backfill":
            taken = services.snapshot_backfill()
            self.stdout.write(_("补记亮灯快照 %(n)d 期（按当前数据）。") % {"n": taken})

    def run_cycle(self, today: date | None) -> None:
        now = timezone.now()
        if today:
            clock = timezone.localtime(now).time()
            now = timezone.make_aware(datetime.combine(today, clock))
        result = services.run_cycle(now=now)
        self.stdout.write(
            _(
                "开启周期 %(opened)d 个，新增单位周报 %(reports)d 份、事项 %(items)d 项；提醒 %(reminded)d 个单位；"
                "截止周期 %(closed)d 个，未报送 %(missing)d 份。"
            )
            % result
        )
