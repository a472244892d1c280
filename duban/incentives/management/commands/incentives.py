"""`duban incentives load-catalogue [--file FILE] [--as USER]`: load the published lists of supervision
incentive measures (the shipped data file by default) into the catalogue; the office's edits are kept.

A thin wrapper over `duban.incentives.services.catalogue_load`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from duban.core.commands import INPUT_ERROR, acting_user


class Command(BaseCommand):
    help = gettext_lazy("督查激励工具：load-catalogue 载入公布的激励措施清单。")

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        load = subcommands.add_parser(
            "load-catalogue", help=gettext("载入激励措施清单（重复运行不会重复创建）")
        )
        load.add_argument("--file", default="", help=gettext("清单数据文件（JSON），默认为随平台发布的数据"))
        load.add_argument("--as", dest="username", default="", help=gettext("以哪个督查室账号的名义载入"))

    def handle(self, *args: Any, **options: Any) -> None:
        from duban.accounts.models import User
        from duban.accounts.roles import Role
        from duban.audit.context import audit_context
        from duban.audit.models import Channel
        from duban.core.errors import Invalid
        from duban.incentives.rules import may_edit_catalogue
        from duban.incentives.services import catalogue_load, catalogue_load_summary

        username = options["username"]
        if username:
            by = acting_user(username)
        else:
            by = User.objects.filter(is_active=True, role=Role.OFFICE).order_by("pk").first()
            if by is None:
                raise CommandError(gettext("没有在用的督查室账号，请用 --as 指定。"), returncode=INPUT_ERROR)
        if not may_edit_catalogue.test(by):
            raise CommandError(
                gettext("用户“%(name)s”不是督查室账号，不能修改激励措施目录。") % {"name": by.username},
                returncode=INPUT_ERROR,
            )
        path = Path(options["file"]) if options["file"] else None
        try:
            with audit_context(channel=Channel.COMMAND, actor=by):
                counts = catalogue_load(by=by, path=path)
        except Invalid as error:
            raise CommandError(str(error.message), returncode=INPUT_ERROR) from None
        self.stdout.write(catalogue_load_summary(counts))
