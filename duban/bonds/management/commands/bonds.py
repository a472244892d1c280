"""`duban bonds balance FILE [--json]`: the special-bond self-balance test from a JSON file.

A thin wrapper over `duban.bonds.balance`; the maths and the JSON shape live there.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.bonds.balance import (
    BalanceInput,
    BalanceInputError,
    BalanceResult,
    SensitivityRow,
    balance,
    input_from_dict,
    result_to_dict,
    round_ratio,
    sensitivity,
)
from duban.bonds.exports import balance_headers, balance_total, balance_year, sensitivity_labels
from duban.bonds.messages import input_error_message
from duban.core.commands import INPUT_ERROR, read_json, text_width


class Command(BaseCommand):
    help = "专项债券：融资与收益自求平衡测算。Special bonds: the self-balance test."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        balance_parser = subcommands.add_parser(
            "balance",
            help="本息覆盖倍数、逐年现金流与敏感性分析 (coverage ratio, yearly cash flow, sensitivity)",
        )
        balance_parser.add_argument("file", metavar="FILE", help="JSON 输入文件，金额单位万元")
        balance_parser.add_argument(
            "--json", action="store_true", dest="as_json", help="以 JSON 输出 (machine-readable output)"
        )
        project_parser = subcommands.add_parser(
            "project", help="项目库中某个项目的平衡测算 (the balance test of a project in the library)"
        )
        project_parser.add_argument("code", metavar="CODE", help="项目编码")
        project_parser.add_argument(
            "--json", action="store_true", dest="as_json", help="以 JSON 输出 (machine-readable output)"
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "balance":
            self.balance(path=Path(options["file"]), as_json=options["as_json"])
        elif subcommand == "project":
            self.project(code=options["code"], as_json=options["as_json"])

    def project(self, *, code: str, as_json: bool) -> None:
        """The same computation as the project page and the API (selectors.project_balance)."""
        from duban.bonds.selectors import balance_input, project_balance, project_get

        project = project_get(code=code)
        if project is None:
            raise CommandError(_("找不到项目编码 %(code)s。") % {"code": code}, returncode=INPUT_ERROR)
        outcome = project_balance(project)
        if outcome.result is None:
            raise CommandError(
                _("项目 %(code)s 暂不能测算：%(message)s") % {"code": code, "message": outcome.error},
                returncode=INPUT_ERROR,
            )
        if as_json:
            data = result_to_dict(outcome.result, sensitivity_rows=outcome.sensitivity)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            inp = balance_input(project, rule=outcome.rule)
            self.stdout.write(render_text(inp=inp, result=outcome.result, rows=outcome.sensitivity))

    def balance(self, *, path: Path, as_json: bool) -> None:
        inp = self.read_input(path=path)
        result = balance(inp)
        rows = sensitivity(inp)
        if as_json:
            self.stdout.write(
                json.dumps(result_to_dict(result, sensitivity_rows=rows), ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(render_text(inp=inp, result=result, rows=rows))

    def read_input(self, *, path: Path) -> BalanceInput:
        try:
            return input_from_dict(read_json(path))
        except BalanceInputError as exc:
            raise CommandError(
                _("文件 %(path)s 有误：%(message)s") % {"path": path, "message": input_error_message(exc)},
                returncode=INPUT_ERROR,
            ) from exc


# ---------------------------------------------------------------------------------------------------
# The readable table


def render_text(*, inp: BalanceInput, result: BalanceResult, rows: tuple[SensitivityRow, ...]) -> str:
    lines: list[str] = []
    title = _("融资与收益自求平衡测算（金额单位：万元）")
    lines.append(f"{inp.name}　{title}" if inp.name else title)
    lines.append("")
    body = [_text_line(balance_year(y), blank="—") for y in result.years]
    body.append(_text_line(balance_total(result), blank=""))
    lines.extend(_table(balance_headers(), body))
    lines.append("")

    lines.append(_("全部债务本息覆盖倍数：%(ratio)s") % {"ratio": round_ratio(result.coverage_ratio)})
    lines.append(_("专项债券本息覆盖倍数：%(ratio)s") % {"ratio": round_ratio(result.bond_coverage_ratio)})
    lines.append(
        _("最低累计结余：%(amount)s（%(year)s 年）")
        % {"amount": _amount(result.min_cumulative_balance), "year": result.min_cumulative_balance_year}
    )
    requirement = _("全部债务不低于 %(minimum)s 倍") % {"minimum": result.min_coverage}
    if result.min_bond_coverage is not None:
        requirement += _("，专项债券不低于 %(minimum)s 倍") % {"minimum": result.min_bond_coverage}
    verdict = _("通过") if result.passes else _("未通过")
    lines.append(
        _("结论：%(verdict)s（要求：%(requirement)s）") % {"verdict": verdict, "requirement": requirement}
    )
    if result.implausible:
        lines.append(
            _("提示：本息覆盖倍数 %(ratio)s 超过 %(maximum)s 倍，过大，请检查数据。")
            % {"ratio": round_ratio(result.bond_coverage_ratio), "maximum": result.max_plausible_coverage}
        )
    if result.short_years:
        lines.append(
            _("提示：以下年度当年收益不足以支付当年本息：%(years)s。")
            % {"years": "、".join(str(year) for year in result.short_years)}
        )
    if result.excluded_years:
        lines.append(
            _("说明：%(years)s 年不在债务存续期内，未计入覆盖倍数。")
            % {"years": "、".join(str(year) for year in result.excluded_years)}
        )
    lines.append("")

    lines.append(_("敏感性分析：专项债券本息覆盖倍数"))
    labels = sensitivity_labels()
    changes = [cell.change for cell in rows[0].cells] if rows else []
    sens_header = [_("变动因素")] + [_percent(change) for change in changes]
    sens_body = [
        [labels[row.factor]] + [str(_two_places(cell.bond_coverage_ratio)) for cell in row.cells]
        for row in rows
    ]
    lines.extend(_table(sens_header, sens_body))
    return "\n".join(lines)


def _text_line(values: list, *, blank: str) -> list[str]:
    """A line of the balance sheet as text: the first column as it is, the ratio to four places, amounts
    to two with separators; `blank` where there is no value."""
    first, *amounts, ratio, balance = values
    return [
        str(first),
        *[_amount(a) for a in amounts],
        blank if ratio is None else str(ratio),
        blank if balance is None else _amount(balance),
    ]


def _two_places(value: Decimal) -> Decimal:
    # Half up, as the published tables round; Decimal formatting alone would round half to even.
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _amount(value: Decimal) -> str:
    return f"{_two_places(value):,}"


def _percent(change: Decimal) -> str:
    if change == 0:
        return "0"
    return f"{change * 100:+.0f}%"


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(text_width(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        # The first column (year, factor) reads left to right; figures line up on the right.
        return "  ".join(
            cell + " " * (widths[i] - text_width(cell))
            if i == 0
            else " " * (widths[i] - text_width(cell)) + cell
            for i, cell in enumerate(cells)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(header), rule, *(line(row) for row in body)]
