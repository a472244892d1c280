"""Surveys in Excel and Word: a unit's template (its own form, pre-filled, re-imported all or
nothing with row-level messages), every response of a round, the aggregates, and the leaders' Word
summary. Each carries the form's statutory marks (表号, 制定机关, 批准或备案机关 and 文号, 有效期至)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from duban.core.excel import RowErrors, SheetRow, write_workbook
from duban.core.imports import SheetImport
from duban.core.rules import require
from duban.documents.official import DocumentTable, Section, document_bytes, official_document
from duban.organisation.models import Unit
from duban.organisation.selectors import resolve_unit

from . import rules, selectors, services
from .definition import NUMERIC_TYPES, all_fields, scalar_fields, table_fields, validate_answers
from .models import ResponseState, SurveyResponse

TEMPLATE_COLUMNS = {"编码": "key", "项目": "label", "计量单位": "unit", "填写说明": "help", "填报值": "value"}
MARK = "#"
BLANK_TABLE_ROWS = 5
TABLE_KEY = re.compile(r"^([a-z][a-z0-9_]*)\[(\d+)\]\.([a-z][a-z0-9_]*)$")


def marks(form) -> list[tuple[str, str]]:
    return [
        (_("表号"), form.table_number),
        (_("制定机关"), form.issuer),
        (_("批准或备案机关"), form.approver),
        (_("批准或备案文号"), form.approval_number),
        (_("有效期至"), form.valid_until.isoformat()),
    ]


def _shown(field, value, unit_names) -> object:
    if value is None:
        return None
    if field["type"] in ("choice", "multichoice"):
        labels = {c["value"]: c["label"] for c in field["choices"]}
        return (
            "、".join(labels.get(v, v) for v in value)
            if isinstance(value, list)
            else labels.get(value, value)
        )
    if field["type"] == "unit":
        return unit_names.get(value, value)
    if field["type"] in NUMERIC_TYPES:
        return Decimal(str(value))
    return value


def _unit_names(response) -> dict[int, str]:
    return dict(Unit.objects.values_list("pk", "name")) if services._has_unit_field(response) else {}


def _help(field) -> str:
    parts = [field.get("help", "")]
    if field.get("required"):
        parts.append(_("必填"))
    if field.get("choices"):
        parts.append(_("可选：") + "、".join(c["label"] for c in field["choices"]))
    return "；".join(p for p in parts if p)


def template_rows(response: SurveyResponse):
    form = response.round.form
    names = _unit_names(response)
    for label, value in marks(form):
        yield [MARK, label, "", "", value]
    yield [MARK, _("填报单位"), "", "", str(response.unit)]
    for field in scalar_fields(form.definition):
        value = _shown(field, response.answers.get(field["key"]), names)
        yield [field["key"], field["label"], field.get("unit", ""), _help(field), value]
    for table in table_fields(form.definition):
        rows = response.answers.get(table["key"], [])
        count = min(len(rows) + BLANK_TABLE_ROWS, table.get("max_rows", 10000))
        for number in range(1, count + 1):
            row = rows[number - 1] if number <= len(rows) else {}
            for column in table["columns"]:
                label = _("%(table)s 第%(n)d行 %(column)s") % {
                    "table": table["label"],
                    "n": number,
                    "column": column["label"],
                }
                value = _shown(column, row.get(column["key"]), names)
                yield [
                    f"{table['key']}[{number}].{column['key']}",
                    label,
                    column.get("unit", ""),
                    _help(column),
                    value,
                ]


def template_workbook(response: SurveyResponse) -> bytes:
    """The unit's own form as a sheet (one line per field, a table's cells line by line, room for
    more rows), pre-filled with what it holds; its 填报值 column is re-imported by `ResponseImport`."""
    return write_workbook(
        title=response.round.form.title, headers=list(TEMPLATE_COLUMNS), rows=template_rows(response)
    )


class ResponseImport(SheetImport):
    """A unit's filled template: all or nothing (saved as the unit's draft), every bad row named."""

    columns = TEMPLATE_COLUMNS
    required = ("key", "value")

    def __init__(self, response: SurveyResponse):
        self.response = response

    def job_arguments(self) -> dict:
        return {"response": self.response.pk}

    @classmethod
    def from_job(cls, arguments):
        return cls(SurveyResponse.objects.select_related("round__form").get(pk=arguments["response"]))

    def authorize(self, by) -> None:
        require(rules.may_fill_response, by, self.response)

    def check(self, rows: list[SheetRow], errors: RowErrors, **options):
        definition = self.response.round.form.definition
        fields = {f["key"]: f for f in all_fields(definition)}
        answers: dict = {}
        where: dict[str, int] = {}
        for row in rows:
            key = str(row.values.get("key") or "").strip()
            value = row.values.get("value")
            if key == MARK or not key:
                continue
            match = TABLE_KEY.match(key)
            if match:
                table, number, column = match.group(1), int(match.group(2)), match.group(3)
                if table not in fields or column not in {c["key"] for c in fields[table].get("columns", ())}:
                    errors.add(row.number, _("本表没有“%(key)s”这一项。") % {"key": key})
                    continue
                where.setdefault(table, row.number)
                cells = answers.setdefault(table, {})
                if value not in (None, ""):
                    cells.setdefault(number, {})[column] = self._unit(fields[table], column, value)
                continue
            if key not in fields or fields[key]["type"] == "table":
                errors.add(row.number, _("本表没有“%(key)s”这一项。") % {"key": key})
                continue
            where[key] = row.number
            if value not in (None, ""):
                answers[key] = self._unit(fields[key], None, value)
        for key, cells in list(answers.items()):
            if isinstance(cells, dict) and fields[key]["type"] == "table":
                answers[key] = [cells[n] for n in sorted(cells)]
        cleaned, problems = validate_answers(
            definition, answers, complete=False, units=lambda pk: Unit.objects.filter(pk=pk).exists()
        )
        for key, messages in problems.items():
            for message in messages:
                errors.add(where.get(key, 1), message)
        return cleaned

    @staticmethod
    def _unit(field, column, value):
        kind = next(c for c in field["columns"] if c["key"] == column)["type"] if column else field["type"]
        if kind == "unit" and isinstance(value, str):
            found = resolve_unit(value)
            return found.pk if found else value
        if hasattr(value, "isoformat") and kind == "date":
            return value.isoformat()[:10]
        return value

    def save(self, plan, *, by, progress, **options) -> dict:
        services.response_save(response=self.response, by=by, answers=plan)
        return {"fields": len(plan)}

    def success_message(self, result: dict) -> str:
        return _("已导入 %(n)d 项填报内容（草稿），请核对后提交。") % {"n": result["fields"]}


# --- results ------------------------------------------------------------------------------------------


def _header(field) -> str:
    return f"{field['label']}（{field['unit']}）" if field.get("unit") else field["label"]


def _reader(field):
    """How a column's answers are written: numbers as numbers, options by their labels."""
    if field["type"] in NUMERIC_TYPES:
        return lambda value: None if value is None else Decimal(str(value))
    if field["type"] in ("choice", "multichoice"):
        return lambda value: _shown(field, value, {})
    return lambda value: value


def _lines(responses, *fields):
    """The responses' unit, parent unit, state, time and answers, read as plain rows (no model per row)."""
    return responses.values_list(
        "unit__short_name", "unit__name", "parent__unit__short_name", "state", "submitted_at", *fields
    ).iterator(chunk_size=500)


def responses_workbook(survey_round, responses) -> bytes:
    """Every response of the round, one line each (a table's rows counted), then the form's marks."""
    form = survey_round.form
    fields = scalar_fields(form.definition)
    tables = table_fields(form.definition)
    readers = [(f["key"], _reader(f)) for f in fields]
    states = dict(ResponseState.choices)
    headers = [_("填报单位"), _("汇总到"), _("状态"), _("提交时间")]
    headers += [_header(f) for f in fields] + [_("%(table)s（行数）") % {"table": t["label"]} for t in tables]

    def rows():
        for short, name, parent, state, submitted_at, answers in _lines(responses, "answers"):
            line = [short or name, parent or "", states.get(state, state), submitted_at]
            line += [read(answers.get(key)) for key, read in readers]
            line += [len(answers.get(t["key"], [])) for t in tables]
            yield line
        yield []
        for label, value in marks(form):
            yield [f"{label}：{value}"]

    return write_workbook(title=form.title, headers=headers, rows=rows())


def table_rows_workbook(survey_round, responses, table_key: str) -> bytes:
    """Every row of one repeating table across the round's responses."""
    table = next(t for t in table_fields(survey_round.form.definition) if t["key"] == table_key)
    readers = [(c["key"], _reader(c)) for c in table["columns"]]
    headers = [_("填报单位"), _("行号")] + [_header(c) for c in table["columns"]]

    def rows():
        for short, name, _parent, _state, _at, answers in _lines(responses, f"answers__{table_key}"):
            unit = short or name
            for number, row in enumerate(answers or [], start=1):
                yield [unit, number, *(read(row.get(key)) for key, read in readers)]
        yield []
        for label, value in marks(survey_round.form):
            yield [f"{label}：{value}"]

    return write_workbook(title=table["label"], headers=headers, rows=rows())


def aggregates_workbook(survey_round, entries, board) -> bytes:
    headers = [_("指标"), _("计量单位"), _("合计"), _("填报数"), _("分布")]

    def rows():
        for e in entries:
            if "total" in e:
                yield [e["label"], e["unit"], e["total"], e["answered"], ""]
            else:
                yield [
                    e["label"],
                    "",
                    None,
                    None,
                    "；".join(f"{label} {n}" for label, n in e["distribution"]),
                ]
        yield []
        yield [_("已报送 %(filed)d / 共 %(total)d 个单位，迟报 %(late)d 个") % board]
        for label, value in marks(survey_round.form):
            yield [f"{label}：{value}"]

    return write_workbook(title=_("汇总"), headers=headers, rows=rows())


def _plain(number: Decimal) -> str:
    """A total as people write it: thousands separated, no trailing zeros (1,234.5)."""
    text = f"{number:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def summary_document(*, survey_round, entries, board, issuer: str) -> bytes:
    """The leaders' Word summary: how many filed, the totals, the distributions, the marks."""
    form = survey_round.form
    numbers = [e for e in entries if "total" in e]
    shares = [e for e in entries if "distribution" in e]
    sections = [
        Section(
            heading=_("填报情况"),
            paragraphs=[
                _(
                    "本轮“%(title)s”共发至 %(total)d 个单位，已报送 %(filed)d 个（其中审核通过 %(approved)d 个、退回 %(returned)d 个），迟报 %(late)d 个。"
                )
                % {**board, "title": survey_round.title}
            ],
        ),
        Section(
            heading=_("主要指标汇总"),
            tables=[
                DocumentTable(
                    headers=[_("指标"), _("计量单位"), _("合计"), _("填报数")],
                    rows=[[e["label"], e["unit"], _plain(e["total"]), e["answered"]] for e in numbers],
                )
            ],
        ),
    ]
    if shares:
        sections.append(
            Section(
                heading=_("分布情况"),
                paragraphs=[
                    "；".join(f"{label} {n}" for label, n in e["distribution"])
                    and f"{e['label']}：" + "；".join(f"{label} {n}" for label, n in e["distribution"])
                    for e in shares
                ],
            )
        )
    sections.append(
        Section(heading=_("表格信息"), paragraphs=[f"{label}：{value}" for label, value in marks(form)])
    )
    document = official_document(
        issuer=issuer, title=_("%(title)s汇总情况") % {"title": survey_round.title}, sections=sections
    )
    return document_bytes(document)


def round_results(*, user, survey_round):
    """What the results page, the aggregates sheet and the summary read."""
    return selectors.aggregates(user=user, survey_round=survey_round), selectors.status_board(
        user=user, survey_round=survey_round
    )
