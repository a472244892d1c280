"""Surveys at province scale (issue 18, item 8): 3,000 units each submitting 200 fields and a 50-row
table. Aggregating the round (totals, per-field sums and counts, distributions, the status board)
≤ 5 s; its Excel (every response, and every row of the table) ≤ 60 s and under 1 GB.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_bench .venv/bin/pytest -p no:xdist -m bench bench/bench_surveys.py -s

DUBAN_BENCH_SURVEY_UNITS scales the data down for a quick run. The data are written with COPY (the
values table: one row per numeric answer, 600 rows a response) so that the set-up is not the test.
"""

from __future__ import annotations

import io
import os
import random
import resource
import time
import zipfile
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.organisation.models import Unit
from duban.surveys import exchange, selectors
from duban.surveys.definition import numeric_values
from duban.surveys.models import ResponseState, SurveyForm, SurveyResponse, SurveyRound

UNITS = int(os.environ.get("DUBAN_BENCH_SURVEY_UNITS", "3000"))
FIELDS = 200
TABLE_ROWS = 50
AGGREGATE_SECONDS = 5
EXCEL_SECONDS = 60
PEAK_MB = 1024
BATCH = 500

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

COLUMNS = [
    {"key": "name", "label": "企业名称", "type": "text"},
    {
        "key": "sector",
        "label": "门类",
        "type": "choice",
        "choices": [{"value": v, "label": v} for v in "ABC"],
    },
    {"key": "output", "label": "产值", "type": "decimal", "unit": "万元"},
    {"key": "revenue", "label": "营业收入", "type": "decimal", "unit": "万元"},
    {"key": "tax", "label": "税收", "type": "decimal", "unit": "万元"},
    {"key": "employees", "label": "从业人员", "type": "integer", "unit": "人"},
    {"key": "investment", "label": "投资", "type": "decimal", "unit": "万元"},
    {"key": "energy", "label": "能耗", "type": "decimal", "unit": "吨标煤"},
]
DEFINITION = {
    "sections": [
        {
            "key": f"s{s}",
            "title": f"第{s}部分",
            "fields": [
                {"key": f"f{s}_{i}", "label": f"指标{s}-{i}", "type": "decimal", "unit": "万元", "min": 0}
                for i in range(FIELDS // 10)
            ],
        }
        for s in range(10)
    ]
    + [
        {
            "key": "t",
            "title": "企业",
            "fields": [{"key": "firms", "label": "规上企业", "type": "table", "columns": COLUMNS}],
        }
    ],
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _answers(rng: random.Random) -> dict:
    answers = {f"f{s}_{i}": str(rng.randint(0, 100000)) for s in range(10) for i in range(FIELDS // 10)}
    answers["firms"] = [
        {
            "name": f"企业{n}",
            "sector": rng.choice("ABC"),
            "output": str(rng.randint(100, 90000)),
            "revenue": str(rng.randint(100, 90000)),
            "tax": str(rng.randint(1, 9000)),
            "employees": rng.randint(10, 5000),
            "investment": str(rng.randint(0, 50000)),
            "energy": str(rng.randint(0, 5000)),
        }
        for n in range(TABLE_ROWS)
    ]
    return answers


def _populate(rng: random.Random) -> tuple[SurveyRound, int]:
    root = Unit.objects.create(code="P", name="省人民政府", kind="city")
    Unit.objects.filter(pk=root.pk).update(tree_path=f"/{root.pk}/")
    units = Unit.objects.bulk_create(
        [
            Unit(
                code=f"P-{i:05d}", name=f"测试单位{i:05d}", short_name=f"单位{i}", kind="county", parent=root
            )
            for i in range(UNITS)
        ],
        batch_size=BATCH,
    )
    for unit in units:
        unit.tree_path = f"/{root.pk}/{unit.pk}/"
    Unit.objects.bulk_update(units, ["tree_path"], batch_size=BATCH)
    form = SurveyForm.objects.create(
        code="bench",
        title="压力测试表",
        definition=DEFINITION,
        table_number="压01表",
        issuer="省政府办公厅",
        approver="省统计局",
        approval_number="压统制〔2026〕1号",
        valid_until=date.today() + timedelta(days=365),
    )
    survey_round = SurveyRound.objects.create(
        form=form, title="压力测试", deadline=date.today() + timedelta(days=10)
    )
    now = timezone.now()
    values = 0
    for start in range(0, UNITS, BATCH):
        batch = []
        for unit in units[start : start + BATCH]:
            batch.append(
                SurveyResponse(
                    round=survey_round,
                    unit=unit,
                    answers=_answers(rng),
                    state=ResponseState.SUBMITTED,
                    submitted_at=now,
                    first_submitted_at=now,
                )
            )
        SurveyResponse.objects.bulk_create(batch)
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY surveys_surveyvalue (response_id, key, row, number, text) FROM STDIN") as copy,
        ):
            for response in batch:
                for key, row, number, text in numeric_values(DEFINITION, response.answers):
                    copy.write_row((response.pk, key, row, number, text))
                    values += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE surveys_surveyvalue")
        cursor.execute("ANALYZE surveys_surveyresponse")
    return survey_round, values


def test_a_province_round_aggregates_in_5_s_and_exports_in_60_s_under_1_gb():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL (COPY)")
    rng = random.Random(18)
    started = time.perf_counter()
    survey_round, values = _populate(rng)
    print(
        f"\nsurveys bench: {UNITS} units, {values} value rows, populated in {time.perf_counter() - started:.1f} s"
    )
    office = User.objects.create(username="bench-office", role=Role.OFFICE)

    started = time.perf_counter()
    entries = selectors.aggregates(user=office, survey_round=survey_round)
    board = selectors.status_board(user=office, survey_round=survey_round)
    by_unit = selectors.totals_by_unit(user=office, survey_round=survey_round, key="f0_0")
    aggregate_seconds = time.perf_counter() - started
    print(
        f"aggregation (the round page: per-field sums and counts, distributions, board, chart): {aggregate_seconds:.2f} s"
    )
    started = time.perf_counter()
    totals = selectors.totals(user=office, survey_round=survey_round)
    print(f"totals (the API's summary): {time.perf_counter() - started:.2f} s")
    expected = sum(
        int(a["f0_0"])
        for a in SurveyResponse.objects.filter(round=survey_round).values_list("answers", flat=True)
    )
    assert totals["f0_0"] == expected and board["filed"] == UNITS and len(by_unit) == UNITS
    assert len(entries) == FIELDS + len(COLUMNS) - 1

    rows = selectors.round_responses(user=office, survey_round=survey_round)
    timings = {}
    started = time.perf_counter()
    responses_xlsx = exchange.responses_workbook(survey_round, rows)
    timings["responses"] = time.perf_counter() - started
    started = time.perf_counter()
    table_xlsx = exchange.table_rows_workbook(survey_round, rows, "firms")
    timings["table rows"] = time.perf_counter() - started
    started = time.perf_counter()
    aggregates_xlsx = exchange.aggregates_workbook(survey_round, entries, board)
    timings["aggregates"] = time.perf_counter() - started
    excel_seconds = sum(timings.values())
    peak = _peak_mb()
    sizes = [round(len(x) / 1e6, 1) for x in (responses_xlsx, table_xlsx, aggregates_xlsx)]
    print(
        "Excel: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        + f"; together {excel_seconds:.1f} s, files {sizes} MB, peak {peak:.0f} MB"
    )
    with zipfile.ZipFile(io.BytesIO(table_xlsx)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<row ") >= UNITS * TABLE_ROWS
    assert aggregate_seconds <= AGGREGATE_SECONDS
    assert excel_seconds <= EXCEL_SECONDS
    assert peak < PEAK_MB
