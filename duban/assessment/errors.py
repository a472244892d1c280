"""A scoring input error in the user's language, naming the field (the command, the pages and the API)."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from .scoring import ScoringInputError


def _expected(kind: str) -> str:
    return {
        "number": _("数值"),
        "object": _("对象"),
        "list": _("数组"),
        "text": _("非空字符串"),
        "pair": _("两项的数组"),
    }.get(kind, kind)


def _bounds(params: dict) -> str:
    parts = []
    if "minimum" in params:
        parts.append(_("不小于 %(bound)s") % {"bound": params["minimum"]})
    if "exclusive_minimum" in params:
        parts.append(_("大于 %(bound)s") % {"bound": params["exclusive_minimum"]})
    if "maximum" in params:
        parts.append(_("不大于 %(bound)s") % {"bound": params["maximum"]})
    return _(" 且").join(parts)


def describe_scoring_error(error: ScoringInputError) -> str:
    field = error.field or _("文件顶层")
    params = error.params
    value = json.dumps(params.get("value"), ensure_ascii=False, default=str)
    if error.code == "required":
        return _("缺少字段 %(field)s。") % {"field": field}
    if error.code == "invalid_type":
        return _("字段 %(field)s 应为%(expected)s。") % {
            "field": field,
            "expected": _expected(params["expected"]),
        }
    if error.code == "invalid_choice":
        return _("字段 %(field)s 的取值 %(value)s 无效，应为 %(choices)s 之一。") % {
            "field": field,
            "value": value,
            "choices": "、".join(params.get("choices", ())),
        }
    if error.code == "out_of_range":
        return _("字段 %(field)s 的值 %(value)s 超出范围，应%(bounds)s。") % {
            "field": field,
            "value": params.get("value"),
            "bounds": _bounds(params),
        }
    if error.code == "duplicate":
        return _("字段 %(field)s：%(value)s 重复出现。") % {"field": field, "value": value}
    if error.code == "unknown_unit":
        return _("字段 %(field)s：单位 %(value)s 不在任何分组中。") % {"field": field, "value": value}
    if error.code == "unknown_indicator":
        return _("字段 %(field)s：%(value)s 不是方案中的指标。") % {"field": field, "value": value}
    if error.code == "exclusive":
        return _("字段 %(field)s 与 %(other)s 只能给出其一。") % {"field": field, "other": params["other"]}
    if error.code == "total":
        return _("字段 %(field)s 的比例合计为 %(total)s%%，应为 100%%（最后一个等次为其余单位）。") % {
            "field": field,
            "total": params["total"],
        }
    return f"{field}: {error.message}"
