"""Chinese messages for the balance test's input errors, shared by the command line, forms and the API."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .balance import BalanceInputError, ErrorCode


def input_error_message(error: BalanceInputError) -> str:
    """A Chinese sentence for a `BalanceInputError`, naming the field as the file spells it."""
    templates = {
        ErrorCode.NOT_AN_OBJECT: _("字段 %(field)s 应为 JSON 对象 {…}"),
        ErrorCode.NOT_A_LIST: _("字段 %(field)s 应为列表 […]"),
        ErrorCode.NOT_TEXT: _("字段 %(field)s 应为文字"),
        ErrorCode.NOT_A_BOOLEAN: _("字段 %(field)s 应为 true 或 false"),
        ErrorCode.REQUIRED: _("缺少字段 %(field)s"),
        ErrorCode.UNKNOWN_FIELD: _("无法识别的字段 %(field)s，请检查拼写"),
        ErrorCode.NOT_A_NUMBER: _("字段 %(field)s 应为数字"),
        ErrorCode.NOT_AN_INTEGER: _("字段 %(field)s 应为整数"),
        ErrorCode.NOT_FINITE: _("字段 %(field)s 应为有限的数字"),
        ErrorCode.NOT_POSITIVE: _("字段 %(field)s 应大于 0（现为 %(value)s）"),
        ErrorCode.NEGATIVE: _("字段 %(field)s 不能为负数（现为 %(value)s）"),
        ErrorCode.RATE_OUT_OF_RANGE: _(
            "字段 %(field)s 是小数形式的年利率，应在 0 到 %(maximum)s 之间，例如 2.5%% 写作 0.025（现为 %(value)s）"
        ),
        ErrorCode.TERM_OUT_OF_RANGE: _("字段 %(field)s 应在 1 到 %(maximum)s 年之间（现为 %(value)s）"),
        ErrorCode.EMPTY: _("字段 %(field)s 至少需要一项"),
        ErrorCode.BAD_REPAYMENT: _('字段 %(field)s 应为 "bullet"（到期一次还本）或 {"年份": 还本比例, …}'),
        ErrorCode.BAD_INSTALMENT_YEAR: _("字段 %(field)s 的键应为四位数的年份"),
        ErrorCode.INSTALMENT_OUTSIDE_TERM: _(
            "字段 %(field)s：还本年份 %(year)s 不在债券存续期 %(first)s–%(last)s 年内"
        ),
        ErrorCode.FRACTION_OUT_OF_RANGE: _("字段 %(field)s 的还本比例应大于 0 且不超过 1（现为 %(value)s）"),
        ErrorCode.FRACTIONS_DO_NOT_SUM_TO_ONE: _("字段 %(field)s 各年还本比例之和为 %(total)s，应为 1"),
        ErrorCode.DUPLICATE_YEAR: _("字段 %(field)s：%(year)s 年重复出现"),
        ErrorCode.MISSING_YEAR: _(
            "字段 %(field)s 缺少 %(year)s 年：债务存续期 %(first)s–%(last)s 年内每年都需要一行收支"
        ),
        ErrorCode.BAD_SOURCE_NAME: _("字段 %(field)s 中的收入来源名称不能为空"),
        ErrorCode.MAX_BELOW_MIN: _("字段 %(field)s 不应小于本息覆盖倍数下限 %(minimum)s"),
    }
    template = templates.get(error.code, _("字段 %(field)s 有误"))
    if not error.field:
        # Only the document itself has no path, and the only thing it can be is not an object.
        return _("文件顶层应为 JSON 对象 {…}")
    return template % {"field": error.field, **{key: str(value) for key, value in error.params.items()}}
