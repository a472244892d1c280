"""`duban ppp affordability FILE [--json]`: the fiscal affordability test of 财金〔2015〕21号 on a JSON file;
`duban ppp reclassify`; `duban ppp link-rectification [--as USER]`: make unlinked rectification tasks directives.

A thin wrapper over `duban.ppp.affordability`, so the command line, the pages and the API agree.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from duban.core.commands import INPUT_ERROR, acting_user, read_json, text_width
from duban.ppp.affordability import (
    AffordabilityInputError,
    AffordabilityReport,
    assess,
    money,
    programme_from_dict,
    report_as_dict,
)
from duban.ppp.fiscal import describe_input_error


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - text_width(text))
    return fill + text if right else text + fill


def _percent(ratio: Decimal) -> str:
    return f"{money(ratio * 100)}%"


def _flag(value: bool, yes: str, no: str) -> str:
    return yes if value else no


def render_table(report: AffordabilityReport) -> str:
    """The report as a plain-text table in Chinese; amounts in 万元."""
    thresholds = report.thresholds
    headers = [
        gettext("年度"),
        gettext("一般公共预算支出"),
        gettext("股权投资"),
        gettext("运营补贴"),
        gettext("风险承担"),
        gettext("配套投入"),
        gettext("存量支出"),
        gettext("支出责任合计"),
        gettext("占比"),
        gettext("%(cap)s上限") % {"cap": _percent(thresholds.cap)},
        gettext("%(warning)s预警") % {"warning": _percent(thresholds.warning)},
        gettext("新上政府付费项目（%(gate)s）") % {"gate": _percent(thresholds.gov_pay_gate)},
    ]
    rows = [
        [
            str(year.year),
            f"{money(year.budget_expenditure):,}",
            f"{money(year.by_type.equity):,}",
            f"{money(year.by_type.subsidy):,}",
            f"{money(year.by_type.risk):,}",
            f"{money(year.by_type.supporting):,}",
            f"{money(year.existing_obligations):,}",
            f"{money(year.obligations):,}",
            _percent(year.ratio),
            _flag(year.within_cap, gettext("未超"), gettext("超出")),
            _flag(year.warning, gettext("预警"), gettext("—")),
            _flag(year.gov_pay_allowed, gettext("允许"), gettext("不允许")),
        ]
        for year in report.years
    ]
    widths = [max(text_width(row[column]) for row in [headers, *rows]) for column in range(len(headers))]
    # Text columns (year and flags) read better left-aligned; numbers line up on the right.
    numeric = {1, 2, 3, 4, 5, 6, 7, 8}
    lines = [gettext("财政承受能力论证（金额单位：万元）")]
    for row in [headers, *rows]:
        cells = [
            _pad(cell, width, right=column in numeric)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    for spent in report.projects:
        subsidies = "，".join(
            f"{year} {money(amount):,}" for year, amount in spent.subsidy.items() if amount
        ) or gettext("无")
        lines.append(
            gettext("%(name)s 运营补贴：%(subsidies)s") % {"name": spent.name, "subsidies": subsidies}
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = gettext_lazy(
        "PPP项目工具：affordability 对 JSON 文件做财政承受能力论证（财金〔2015〕21号）；reclassify 按规则重新分类；"
        "link-rectification 将整改任务转为督办事项。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        affordability = subcommands.add_parser(
            "affordability",
            help=gettext("财政承受能力论证：按年度测算支出责任占一般公共预算支出的比例"),
        )
        affordability.add_argument("file", metavar="FILE", help=gettext("输入的 JSON 文件（金额单位：万元）"))
        affordability.add_argument("--json", action="store_true", help=gettext("以 JSON 输出"))
        subcommands.add_parser(
            "reclassify",
            help=gettext("按现行分类规则重新分类在库项目（逾期按日期变化，宜每日运行）"),
        )
        link = subcommands.add_parser(
            "link-rectification",
            help=gettext("为尚未转为督办事项的整改任务创建并交办督办事项（重复运行不会重复创建）"),
        )
        link.add_argument(
            "--as",
            dest="username",
            default="",
            help=gettext("以哪个督查室账号的名义交办，默认取第一个在用的督查室账号"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "affordability":
            self.affordability(path=Path(options["file"]), as_json=options["json"])
        elif options["subcommand"] == "reclassify":
            from duban.ppp.services import programme_reclassify

            count = programme_reclassify()
            self.stdout.write(gettext("已重新分类 %(count)d 个项目。") % {"count": count})
        elif options["subcommand"] == "link-rectification":
            self.link_rectification(username=options["username"])

    def link_rectification(self, *, username: str) -> None:
        from duban.accounts.models import User
        from duban.accounts.roles import Role
        from duban.audit.context import audit_context
        from duban.audit.models import Channel
        from duban.ppp.rules import is_office_user
        from duban.ppp.services import tasks_link

        if username:
            by = acting_user(username)
        else:
            by = User.objects.filter(is_active=True, role=Role.OFFICE).order_by("pk").first()
            if by is None:
                raise CommandError(gettext("没有在用的督查室账号，请用 --as 指定。"), returncode=INPUT_ERROR)
        if not is_office_user.test(by):
            raise CommandError(
                gettext("用户“%(name)s”不是督查室账号，不能交办督办事项。") % {"name": by.username},
                returncode=INPUT_ERROR,
            )
        with audit_context(channel=Channel.COMMAND, actor=by):
            count = tasks_link(by=by)
        self.stdout.write(gettext("已为 %(count)d 项整改任务创建督办事项。") % {"count": count})

    def affordability(self, *, path: Path, as_json: bool) -> None:
        try:
            report = assess(programme=programme_from_dict(read_json(path)))
        except AffordabilityInputError as error:
            raise CommandError(describe_input_error(error), returncode=INPUT_ERROR) from None
        if as_json:
            self.stdout.write(json.dumps(report_as_dict(report), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(report))
