"""Deadlines stated in a requirement ("10月底前", "年内", "国庆前", "“十一”前", "春节前", "一个星期内",
"10个工作日内", "第三季度末", "明年3月底前", "6月份完成", "9月15日前") resolved against the meeting date.

What is not a deadline stays out: recurrence (每月, 每周五), vague urgency (尽快, 近期), unspecified limits
(按时, 限期), a time that only scopes a target ("一季度新开工项目", "紧抓6月份关键时间节点", "为元月份
集中拆除做好准备") and a date already past at the meeting ("于2017年7月14日完成签约以来"). A bare period
(a month, a quarter, a half-year) is a deadline only with 前/底/末/内 or a verb of completion after it.

Festivals go by their date in their calendar: 春节, 元宵, 端午 and 中秋 by the lunar one (lunardate);
"…前" is the eve. Working days are counted on the working calendar given (the platform's, with its
holidays and exchanged weekend days). No Django import.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from duban.workcalendar.days import WorkingCalendar, library_calendar

_NUM = "[0-9０-９〇零一二两三四五六七八九十]"
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


def chinese_number(text: str) -> int:
    """'12', '十二', '二十五', '二〇二四' -> int."""
    text = text.translate({code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)})
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


@dataclass(frozen=True, slots=True)
class Deadline:
    date: date
    text: str
    start: int
    end: int


def spring_festival(year: int) -> date:
    """Lunar new year's day of `year` (lunardate covers 1900-2099)."""
    return _lunar(year, 1, 1)


@lru_cache(maxsize=256)
def _lunar(year: int, month: int, day: int) -> date:
    from lunardate import LunarDate

    return LunarDate(year, month, day).to_solar_date()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_on_or_after(ref: date, make: Callable[[int], date]) -> date:
    """The first occurrence of a yearly day that is not already past at the meeting."""
    candidate = make(ref.year)
    return candidate if candidate >= ref else make(ref.year + 1)


def _year(match: re.Match, ref: date) -> int | None:
    year = match.groupdict().get("year")
    rel = match.groupdict().get("rel")
    if year:
        value = chinese_number(year)
        return value + 2000 if value < 100 else value
    if rel in ("明年", "次年", "来年", "明"):
        return ref.year + 1
    if rel in ("今年", "本年", "当年", "今"):
        return ref.year
    return None


def _month(match: re.Match) -> int:
    month = match["month"]
    return 1 if month in ("元", "正") else chinese_number(month)


def _in_year(match: re.Match, ref: date, month: int, make: Callable[[int], date]) -> date:
    """A day in `month` of the year written, else of the meeting's year, or the next when that month
    is already past."""
    year = _year(match, ref)
    if year is not None:
        return make(year)
    return make(ref.year) if month >= ref.month else make(ref.year + 1)


def _month_day(match: re.Match, ref: date, _calendar) -> date:
    month, day = _month(match), chinese_number(match["day"])
    year = _year(match, ref)
    if year is not None:
        return date(year, month, day)
    return _next_on_or_after(ref, lambda y: date(y, month, day))


def _month_part(match: re.Match, ref: date, _calendar) -> date:
    month = _month(match)
    part = match["part"]

    def make(year: int) -> date:
        if part == "上旬":
            return date(year, month, 10)
        if part == "中旬":
            return date(year, month, 20)
        return _month_end(year, month)

    return _in_year(match, ref, month, make)


def _before_month(match: re.Match, ref: date, _calendar) -> date:
    """ "5月前": the last day before May begins."""
    month = _month(match)
    year = _year(match, ref)
    if year is None:
        year = ref.year if month > ref.month else ref.year + 1
    return date(year, month, 1) - timedelta(days=1)


def _quarter(match: re.Match, ref: date, _calendar) -> date:
    month = 3 * chinese_number(match["q"])
    return _in_year(match, ref, month, lambda y: _month_end(y, month))


def _half(match: re.Match, ref: date, _calendar) -> date:
    month = 6 if match["half"] == "上" else 12
    return _in_year(match, ref, month, lambda y: _month_end(y, month))


def _year_end(match: re.Match, ref: date, _calendar) -> date:
    year = _year(match, ref)
    return date(year if year is not None else ref.year, 12, 31)


def _this_month(match: re.Match, ref: date, _calendar) -> date:
    if match["which"] == "下":
        year, month = (ref.year + 1, 1) if ref.month == 12 else (ref.year, ref.month + 1)
        return _month_end(year, month)
    return _month_end(ref.year, ref.month)


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 6}


def _week(match: re.Match, ref: date, _calendar) -> date:
    """ "本周内": the week's Sunday, as the ISO calendar and the weekly report cycle count it;
    "下周三前": that day of the week."""
    day = _WEEKDAYS.get(match["day"] or "末", 6)
    monday = ref - timedelta(days=ref.weekday())
    return monday + timedelta(days=day + (7 if match["which"] == "下" else 0))


def _half_month(match: re.Match, ref: date, _calendar) -> date:
    return ref + timedelta(days=15)


def _within(match: re.Match, ref: date, working: WorkingCalendar) -> date:
    count = chinese_number(match["n"])
    unit = match["unit"]
    if "工作日" in unit:
        return working.add_working_days(ref, count)
    if "周" in unit or "星期" in unit:
        return ref + timedelta(weeks=count)
    if "月" in unit:
        month = ref.month - 1 + count
        year, month = ref.year + month // 12, month % 12 + 1
        return date(year, month, min(ref.day, calendar.monthrange(year, month)[1]))
    return ref + timedelta(days=count)


def add_workdays(start: date, count: int, *, working: WorkingCalendar | None = None) -> date:
    """`count` working days after `start`, on the working calendar given (the library's by default:
    Chinese holidays and 调休 days, Monday–Friday for a year the holiday data does not cover yet)."""
    return (working or library_calendar).add_working_days(start, count)


_FESTIVALS: dict[str, Callable[[int], date]] = {
    "春节": spring_festival,
    "年": spring_festival,
    "元宵": lambda y: _lunar(y, 1, 15),
    "端午": lambda y: _lunar(y, 5, 5),
    "中秋": lambda y: _lunar(y, 8, 15),
    "元旦": lambda y: date(y, 1, 1),
    "五一": lambda y: date(y, 5, 1),
    "劳动": lambda y: date(y, 5, 1),
    "国庆": lambda y: date(y, 10, 1),
    "十一": lambda y: date(y, 10, 1),
    "汛期": lambda y: date(y, 6, 1),
    "主汛期": lambda y: date(y, 6, 1),
    "清明": lambda y: date(y, 4, 4),
    "秋季开学": lambda y: date(y, 9, 1),
    "春季开学": lambda y: date(y, 3, 1),
}


def _festival(match: re.Match, ref: date, _calendar) -> date:
    name = match["festival"]
    make = _FESTIVALS.get(name.removesuffix("节")) or _FESTIVALS[name]
    year = _year(match, ref)
    festival = make(year) if year is not None else _next_on_or_after(ref, make)
    # "春节前" means before the festival starts: its eve is the last day.
    return festival - timedelta(days=1)


def _school(match: re.Match, ref: date, _calendar) -> date:
    """ "开学前": the eve of the next term (1 September or 1 March)."""
    starts = [date(y, m, 1) for y in (ref.year, ref.year + 1) for m in (3, 9)]
    return min(day for day in starts if day > ref) - timedelta(days=1)


_BEFORE = "(?:前|之前|以前|内|为止)"
# Words after a bare period that make it the time by which the work is done ("6月份完成").
_DONE = (
    r"(?=(?:全部|全面|基本|要|必须|务必|前|底)?(?:完成|建成|竣工|开工|投用|投入使用|到位|办结|清零|上报|报送|报|交付|"
    r"实现|达到|启动|落地|开园|整改))"
)
_YEAR = rf"(?:(?P<year>(?:20)?{_NUM}{{2}}|{_NUM}{{4}})年|(?P<rel>明年|次年|来年|今年|本年|当年))?"
_MONTH = rf"(?P<month>{_NUM}{{1,2}}|元|正)"
# What a rule's phrase must contain for the rule to be tried (most requirements have none of it): a
# literal, or a pattern for the rules whose phrase starts with an optional year.
_MONTH_HINT = re.compile(r"[\d０-９〇零一二两三四五六七八九十元正]月")
_YEAR_END_HINT = re.compile(r"年(?:底|末|度?内)")
_FESTIVAL_HINT = re.compile(
    r"(?:春节|元宵|元旦|端午|中秋|国庆|五一|十一|劳动节|汛期|清明|开学)[^，。；]{0,4}前"
)
_Rule = tuple[re.Pattern, Callable[[re.Match, date, WorkingCalendar], date], "str | re.Pattern"]
_RULES: list[_Rule] = [
    (re.compile(rf"{_YEAR}{_MONTH}月(?P<day>{_NUM}{{1,3}})[日号]{_BEFORE}?"), _month_day, _MONTH_HINT),
    (re.compile(rf"{_YEAR}{_MONTH}月份?(?P<part>底|末|上旬|中旬|下旬){_BEFORE}?"), _month_part, _MONTH_HINT),
    (re.compile(rf"{_YEAR}{_MONTH}月份?(?:前|之前|以前)"), _before_month, _MONTH_HINT),
    (re.compile(rf"{_YEAR}{_MONTH}月份?(?:内|{_DONE})"), lambda m, r, c: _month_part_end(m, r), _MONTH_HINT),
    (re.compile(rf"{_YEAR}(?:第)?(?P<q>[一二三四1-4])季度(?:末|底|{_BEFORE}|{_DONE})"), _quarter, "季度"),
    (re.compile(rf"{_YEAR}(?P<half>上|下)半年(?:末|底|{_BEFORE}|{_DONE})"), _half, "半年"),
    (
        re.compile(
            rf"(?:(?:(?P<year>(?:20)?{_NUM}{{2}})|(?P<rel>明年|次年|今年|本年|当年|明|今))?(?:年底|年末)|"
            rf"(?:(?P<rel2>今年|明年|本年)|(?<![\d一二三四五六七八九十百几多去]))年(?:度)?内){_BEFORE}?"
        ),
        lambda m, r, c: _year_end_of(m, r),
        _YEAR_END_HINT,
    ),
    # Colloquially "年前" is before the lunar new year, not before the end of the calendar year.
    (
        re.compile(r"(?<![0-9〇零一二两三四五六七八九十百几多去今明本当])(?P<festival>年)前"),
        _festival,
        "年前",
    ),
    (re.compile(r"(?P<which>本|这个|当|下)月(?:底|末|内)(?:前|之前|以前)?"), _this_month, "月"),
    (
        re.compile(r"(?<![\d一二两三四五六七八九十元正份])(?P<which>)月(?:底|末)(?:前|之前|以前)"),
        _this_month,
        "月",
    ),
    (
        re.compile(r"(?P<which>本|这|下)(?:周|星期)(?:内|(?P<day>[一二三四五六日天末]))?(?:前|之前)?"),
        _week,
        "",  # 周 or 星期
    ),
    (re.compile(r"半个?月(?:之内|以内|内)"), _half_month, "半"),
    (re.compile(r"(?<![\d一二两三四五六七八九十元正份])(?P<which>)月(?:底|末)" + _DONE), _this_month, "月"),
    (
        re.compile(rf"(?P<n>{_NUM}{{1,3}})个?(?P<unit>工作日|日|天|周|星期|礼拜|个月|月)(?:之内|以内|内)"),
        _within,
        "内",
    ),
    (
        re.compile(
            rf"{_YEAR}[“\"]?(?P<festival>春节|元宵节?|元旦|端午节?|中秋节?|国庆节?|(?<![\d一二三四五六七八九十])五一|"
            r"劳动节|主汛期|汛期|清明节?|秋季开学|春季开学|(?<![第\d一二三四五六七八九十])十一(?=[”\"]?(?:假期|长假)?(?:前|之前|以前)))"
            r"[”\"]?(?:假期|长假|节)?(?:前|之前|以前)"
        ),
        _festival,
        _FESTIVAL_HINT,
    ),
    (re.compile(r"(?<![秋春]季)开学(?:前|之前|以前)"), _school, "开学"),
]


def _month_part_end(match: re.Match, ref: date) -> date:
    month = _month(match)
    return _in_year(match, ref, month, lambda y: _month_end(y, month))


def _year_end_of(match: re.Match, ref: date) -> date:
    if match["rel2"] == "明年":
        return date(ref.year + 1, 12, 31)
    return _year_end(match, ref, None)


# Every rule's phrase contains one of these; most requirements have none and are skipped at once.
_CUE = re.compile(
    r"[\d０-９]|[〇零一二两三四五六七八九十]+(?:个|月|日|号|天|周|星期|季)|年底|年末|年内|年度内|年前|月底|月末|本周|下周|这周|"
    r"本星期|下星期|半个?月|本月|"
    r"下月|当月|半年|季度|春节|元宵|元旦|端午|中秋|国庆|五一|十一|劳动节|汛期|清明|开学"
)
# A date only a past event or a period is counted from: "2017年7月14日…以来", "截至5月底".
_REPORTING = re.compile(r"(?:以来|截至|截止|同比|比去年|完成了|已经|已|自|从)$")
_NOT_AFTER = ("以来", "起", "开始", "召开", "至", "到", "期间", "以后", "之后", "后")


def find_deadline(text: str, *, reference: date, working: WorkingCalendar | None = None) -> Deadline | None:
    """The first stated deadline in `text` (the earliest in the text), resolved against `reference`
    (the meeting date); working days are counted on `working` (the library's calendar by default)."""
    if not _CUE.search(text):
        return None
    working = working or library_calendar
    best: tuple[int, int, str, date] | None = None
    for pattern, resolve, cue in _RULES:
        if (cue not in text) if isinstance(cue, str) else not cue.search(text):
            continue
        for match in pattern.finditer(text):
            if not match.group(0) or not _is_deadline_context(text, match):
                continue
            try:
                resolved = resolve(match, reference, working)
            except (ValueError, KeyError):
                continue
            if resolved < reference:
                continue  # already past at the meeting: a date of what was done, not a deadline
            if (
                best is None
                or match.start() < best[0]
                or (match.start() == best[0] and match.end() > best[1])
            ):
                best = (match.start(), match.end(), match.group(0), resolved)
            break
    if best is None:
        return None
    start, end, phrase, resolved = best
    return Deadline(date=resolved, text=phrase, start=start, end=end)


def _is_deadline_context(text: str, match: re.Match) -> bool:
    """A bare date ("12月25日") is a deadline only with 前/内 or a verb of completion; a past reference
    or the start of a period is not one."""
    phrase = match.group(0)
    after = text[match.end() : match.end() + 3]
    if after.startswith(_NOT_AFTER) or re.search(
        r"以来", text[match.end() : match.end() + 30].split("，")[0]
    ):
        return False
    if re.search(r"每(?:月|周|年|季度|日|天)$", text[max(0, match.start() - 2) : match.start()]):
        return False  # "每月5日前报送": a recurrence
    if _REPORTING.search(text[max(0, match.start() - 3) : match.start()]) and not phrase.endswith(
        ("前", "内")
    ):
        return False
    if match.re.pattern.find("(?P<day>") >= 0 and not phrase.endswith(("前", "内", "为止")):
        # "于3月15日完成", "3月15日完成" are deadlines too; "3月15日，…" is not.
        following = text[match.end() : match.end() + 8]
        return bool(
            re.match(
                r"(?:全部|全面|基本|必须|务必|要)?(?:完成|建成|竣工|开工|投用|到位|办结|上报|报送|报)",
                following,
            )
        )
    return True
