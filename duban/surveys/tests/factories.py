"""Surveys' test data: a small form with every kind of check, and rounds sent through the service."""

from __future__ import annotations

from datetime import date

from duban.workcalendar.selectors import add_working_days

from .. import industry, services

SMALL = {
    "sections": [
        {
            "key": "main",
            "title": "基本情况",
            "fields": [
                {"key": "contact", "label": "联系人", "type": "text", "required": True},
                {
                    "key": "phone",
                    "label": "联系电话",
                    "type": "text",
                    "pattern": "^1\\d{10}$",
                    "pattern_message": "须为11位手机号",
                },
                {
                    "key": "output",
                    "label": "总产值",
                    "type": "decimal",
                    "unit": "万元",
                    "min": 0,
                    "required": True,
                },
                {"key": "part_a", "label": "工业产值", "type": "decimal", "unit": "万元", "min": 0},
                {"key": "part_b", "label": "服务业收入", "type": "decimal", "unit": "万元", "min": 0},
                {
                    "key": "last_output",
                    "label": "上年总产值",
                    "type": "decimal",
                    "unit": "万元",
                    "prefill": "previous:output",
                },
                {"key": "reason", "label": "变动原因", "type": "text"},
                {
                    "key": "staff",
                    "label": "从业人员",
                    "type": "integer",
                    "unit": "人",
                    "min": 0,
                    "max": 1000000,
                },
                {"key": "share", "label": "占比", "type": "percentage", "min": 0, "max": 100},
                {"key": "day", "label": "截止日期", "type": "date"},
                {"key": "sector", "label": "门类", "type": "choice", "choices": industry.SECTORS},
                {"key": "tags", "label": "制约因素", "type": "multichoice", "choices": industry.CONSTRAINTS},
                {"key": "note", "label": "说明", "type": "text", "visible_if": {"field": "tags"}},
                {"key": "name", "label": "单位名称", "type": "text", "prefill": "unit.name"},
                {
                    "key": "bonds",
                    "label": "债券项目数",
                    "type": "integer",
                    "prefill": "platform.bond_projects",
                },
            ],
        },
        {
            "key": "rows",
            "title": "企业",
            "fields": [
                {
                    "key": "firms",
                    "label": "规上企业",
                    "type": "table",
                    "columns": [
                        {"key": "name", "label": "企业名称", "type": "text", "required": True},
                        {"key": "revenue", "label": "营业收入", "type": "decimal", "unit": "万元", "min": 0},
                    ],
                }
            ],
        },
    ],
    "checks": [
        {"kind": "sum", "parts": ["part_a", "part_b"], "total": "output", "tolerance": 0.01},
        {"kind": "band", "field": "output", "previous": "last_output", "band": 0.3, "reason": "reason"},
    ],
}

MARKS = {
    "table_number": "测统01表",
    "issuer": "测试市人民政府办公室",
    "approver": "测试市统计局",
    "approval_number": "测统制〔2026〕1号",
    "frequency_per_year": 4,
}

GOOD = {
    "contact": "王明",
    "output": "100",
    "part_a": "60",
    "part_b": "40",
    "firms": [{"name": "甲公司", "revenue": "30"}],
}


def make_form(*, by, code="small", definition=None, valid_until=None, **marks):
    return services.form_create(
        by=by,
        code=code,
        title="测试调查表",
        definition=definition or SMALL,
        valid_until=valid_until or date(date.today().year + 1, 12, 31),
        **{**MARKS, **marks},
    )


def deadline(days: int = 5):
    return add_working_days(date.today(), days)


def send(form, *, by, units, rollup=False, title="第一轮"):
    return services.round_send(by=by, form=form, title=title, deadline=deadline(), units=units, rollup=rollup)
