"""`duban minutes extract FILE [--meeting-date YYYY-MM-DD] [--json]`: draft directives from minutes or a report."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import Error as DatabaseError
from django.utils.translation import gettext as _

from duban.core.commands import INPUT_ERROR, date_argument
from duban.minutes.engine import MinutesError, MinutesResult, extract_minutes, read_path
from duban.minutes.services import reading_error_message


def _theme_label(theme: str) -> str:
    labels = {
        "general": _("综合"),
        "bond": _("专项债券"),
        "ppp": _("PPP"),
        "incentive": _("督查激励"),
        "industry": _("产业发展"),
        "rural": _("农业农村"),
        "urban": _("城市建设"),
        "livelihood": _("民生保障"),
        "safety": _("安全生产"),
        "environment": _("生态环境"),
        "assessment": _("督查考核"),
        "weekly": _("周例会"),
        "economy": _("经济运行"),
    }
    return labels.get(theme, theme)


def _directories() -> tuple[list[dict] | None, list[dict] | None]:
    """The unit and leader directories when there is a migrated database; plain names otherwise."""
    try:
        from duban.organisation.selectors import leader_directory, unit_directory
    except ImportError:
        return None, None
    try:
        return unit_directory(), leader_directory()
    except DatabaseError:
        # No database, or not migrated yet: extraction still works, with units as plain names.
        return None, None


class Command(BaseCommand):
    help = "从会议纪要或新闻通稿中提取督办事项 / extract draft directives from minutes or a news report"
    # Reading a file needs neither the URL configuration nor the models checked; skipping the checks keeps
    # the command usable while the database is missing or unmigrated.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        subcommands.required = True
        extract = subcommands.add_parser(
            "extract",
            help=_("读取一个文件（.txt 或 .docx），提取会议信息和督办事项"),
            description=_("读取一个文件（.txt 或 .docx），提取会议信息和督办事项"),
        )
        extract.add_argument("file", metavar="FILE", help=_("纪要或通稿文件"))
        extract.add_argument(
            "--meeting-date",
            type=date_argument,
            default=None,
            metavar="YYYY-MM-DD",
            help=_("会议日期：补全没有年份的日期，并据此推算期限"),
        )
        extract.add_argument("--json", action="store_true", help=_("输出 JSON"))

    def handle(self, *args, **options) -> None:
        if options["subcommand"] == "extract":
            self._extract(path=options["file"], meeting_date=options["meeting_date"], as_json=options["json"])

    def _extract(self, *, path: str, meeting_date: date | None, as_json: bool) -> None:
        try:
            text = read_path(path)
        except MinutesError as error:
            message = _("%(path)s：%(problem)s") % {"path": path, "problem": reading_error_message(error)}
            raise CommandError(message, returncode=INPUT_ERROR) from error
        units, leaders = _directories()
        result = extract_minutes(text, meeting_date=meeting_date, units=units, leaders=leaders)
        if as_json:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._summary(result))

    def _summary(self, result: MinutesResult) -> str:
        meeting = result.meeting
        lines = [
            _("会议类型：%(value)s") % {"value": meeting.type or _("未识别")},
            _("会议日期：%(value)s") % {"value": meeting.date.isoformat() if meeting.date else _("未识别")},
            _("主持人：%(value)s") % {"value": meeting.chair or _("未识别")},
            _("出席：%(value)s") % {"value": "、".join(meeting.attendees) or _("未识别")},
            _("督办事项：%(count)d 项") % {"count": len(result.directives)},
        ]
        for number, directive in enumerate(result.directives, start=1):
            lines.append("")
            lines.append(f"{number}. {directive.text}")
            lines.append(
                "   "
                + _("置信度：%(value)d%%") % {"value": round(directive.confidence * 100)}
                + (_("（低置信度推测，请核对）") if directive.low_confidence else "")
            )
            if directive.speaker:
                speaker = directive.speaker + (
                    f"（{directive.speaker_title}）" if directive.speaker_title else ""
                )
                lines.append("   " + _("提出：%(value)s") % {"value": speaker})
            lines.append("   " + _("主题：%(value)s") % {"value": _theme_label(directive.theme)})
            if directive.units:
                names = "、".join(unit["name"] for unit in directive.units)
                lines.append("   " + _("责任单位：%(value)s") % {"value": names})
            if directive.leaders:
                names = "、".join(leader["name"] for leader in directive.leaders)
                lines.append("   " + _("领导：%(value)s") % {"value": names})
            if directive.deadline:
                lines.append(
                    "   "
                    + _("期限：%(date)s（%(text)s）")
                    % {"date": directive.deadline.isoformat(), "text": directive.deadline_text}
                )
            lines.append(
                "   " + _("原文位置：%(start)d–%(end)d") % {"start": directive.start, "end": directive.end}
            )
        return "\n".join(lines)
