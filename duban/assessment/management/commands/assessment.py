"""`duban assessment score FILE [--json]`: the scores, ranks and grades of a JSON file.

A thin wrapper over `duban.assessment.scoring`, the module the platform's schemes compute through.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from duban.assessment.errors import describe_scoring_error
from duban.assessment.scoring import ScoringInputError, read, rows_as_dict, score
from duban.core.commands import INPUT_ERROR, read_json, text_width


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - text_width(text))
    return fill + text if right else text + fill


def render_table(rows) -> str:
    headers = [gettext("分组"), gettext("单位"), gettext("得分"), gettext("名次"), gettext("等次")]
    table = [
        [row.group or gettext("单列"), row.unit, f"{row.score:.2f}", str(row.rank or "—"), row.grade or "—"]
        for row in rows
    ]
    widths = [max(text_width(line[column]) for line in [headers, *table]) for column in range(len(headers))]
    lines = []
    for line in [headers, *table]:
        cells = [
            _pad(cell, width, right=column in {2, 3})
            for column, (cell, width) in enumerate(zip(line, widths, strict=False))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    help = gettext_lazy("考核排名：score 按 JSON 文件中的方案与指标值计算得分、名次和等次。")

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        scoring = subcommands.add_parser("score", help=gettext("按方案计算各单位得分、组内名次和等次"))
        scoring.add_argument("file", metavar="FILE", help=gettext("输入的 JSON 文件"))
        scoring.add_argument("--json", action="store_true", help=gettext("以 JSON 输出"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scheme, values = read(read_json(Path(options["file"])))
        except ScoringInputError as error:
            raise CommandError(describe_scoring_error(error), returncode=INPUT_ERROR) from None
        rows = score(scheme, values)
        if options["json"]:
            self.stdout.write(json.dumps(rows_as_dict(rows), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(rows))
