"""Deadlines stated in a requirement ("12月底前", "春节前", "一季度末", "本周内") resolved against the meeting date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from duban.workcalendar.days import library_calendar

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
    from lunardate import LunarDate

    return LunarDate(year, 1, 1).to_solar_date()


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


def _month_day(match: re.Match, ref: date) -> date:
    month, day = chinese_number(match["month"]), chinese_number(match["day"])
    year = _year(match, ref)
    if year is not None:
        return date(year, month, day)
    return _next_on_or_after(ref, lambda y: date(y, month, day))


def _month_part(match: re.Match, ref: date) -> date:
    month = chinese_number(match["month"])
    part = match["part"]

    def make(year: int) -> date:
        if part == "上旬":
            return date(year, month, 10)
        if part == "中旬":
            return date(year, month, 20)
        return _month_end(year, month)

    year = _year(match, ref)
    if year is not None:
        return make(year)
    return make(ref.year) if month >= ref.month else make(ref.year + 1)


def _before_month(match: re.Match, ref: date) -> date:
    """ "5月前": the last day before May begins."""
    month = chinese_number(match["month"])
    year = _year(match, ref)
    if year is None:
        year = ref.year if month > ref.month else ref.year + 1
    return date(year, month, 1) - timedelta(days=1)


def _quarter(match: re.Match, ref: date) -> date:
    quarter = chinese_number(match["q"])
    month = 3 * quarter
    year = _year(match, ref)
    if year is None:
        year = ref.year if month >= ref.month else ref.year + 1
    return _month_end(year, month)


def _half(match: re.Match, ref: date) -> date:
    month = 6 if match["half"] == "上" else 12
    year = _year(match, ref)
    if year is None:
        year = ref.year if month >= ref.month else ref.year + 1
    return _month_end(year, month)


def _year_end(match: re.Match, ref: date) -> date:
    year = _year(match, ref)
    return date(year if year is not None else ref.year, 12, 31)


def _this_month(match: re.Match, ref: date) -> date:
    if match["which"] == "下":
        year, month = (ref.year + 1, 1) if ref.month == 12 else (ref.year, ref.month + 1)
        return _month_end(year, month)
    return _month_end(ref.year, ref.month)


def _week(match: re.Match, ref: date) -> date:
    # The end of a week is its Sunday, as the ISO calendar and the weekly report cycle count it.
    sunday = ref + timedelta(days=6 - ref.weekday())
    return sunday + timedelta(days=7) if match["which"] == "下" else sunday


def _within(match: re.Match, ref: date) -> date:
    count = chinese_number(match["n"])
    unit = match["unit"]
    if "工作日" in unit:
        return add_workdays(ref, count)
    if "周" in unit or "星期" in unit:
        return ref + timedelta(weeks=count)
    if "月" in unit:
        month = ref.month - 1 + count
        year, month = ref.year + month // 12, month % 12 + 1
        return date(year, month, min(ref.day, calendar.monthrange(year, month)[1]))
    return ref + timedelta(days=count)


def add_workdays(start: date, count: int) -> date:
    """`count` working days after `start`, on the Chinese working calendar (holidays and 调休 days).

    The platform's one working-day implementation (pure, no Django); it falls back to Monday–Friday
    for a year the holiday data does not cover yet.
    """
    return library_calendar.add_working_days(start, count)


def _festival(match: re.Match, ref: date) -> date:
    name = match["festival"]
    makers: dict[str, Callable[[int], date]] = {
        "春节": spring_festival,
        "年": spring_festival,
        "元宵": lambda y: _lunar(y, 1, 15),
        "端午": lambda y: _lunar(y, 5, 5),
        "中秋": lambda y: _lunar(y, 8, 15),
        "元旦": lambda y: date(y, 1, 1),
        "五一": lambda y: date(y, 5, 1),
        "劳动节": lambda y: date(y, 5, 1),
        "国庆": lambda y: date(y, 10, 1),
        "汛期": lambda y: date(y, 6, 1),
        "清明": lambda y: date(y, 4, 4),
    }
    make = makers.get(name.removesuffix("节")) or makers[name]
    year = _year(match, ref)
    festival = make(year) if year is not None else _next_on_or_after(ref, make)
    # "春节前" means before the festival starts: its eve is the last day.
    return festival - timedelta(days=1)


_BEFORE = "(?:前|之前|以前|内|为止)"
_YEAR = rf"(?:(?P<year>(?:20)?{_NUM}{{2}}|{_NUM}{{4}})年|(?P<rel>明年|次年|来年|今年|本年|当年))?"
_RULES: list[tuple[re.Pattern, Callable[[re.Match, date], date]]] = [
    (re.compile(rf"{_YEAR}(?P<month>{_NUM}{{1,2}})月(?P<day>{_NUM}{{1,3}})[日号]{_BEFORE}?"), _month_day),
    (
        re.compile(rf"{_YEAR}(?P<month>{_NUM}{{1,2}})月(?P<part>底|末|上旬|中旬|下旬){_BEFORE}?"),
        _month_part,
    ),
    (re.compile(rf"{_YEAR}(?P<month>{_NUM}{{1,2}})月份?(?:前|之前|以前)"), _before_month),
    (
        re.compile(rf"{_YEAR}(?:第)?(?P<q>[一二三四1-4])季度(?:末|底)?{_BEFORE}?"),
        _quarter,
    ),
    (re.compile(rf"{_YEAR}(?P<half>上|下)半年{_BEFORE}?"), _half),
    (
        re.compile(
            rf"(?:(?:(?P<year>(?:20)?{_NUM}{{2}})|(?P<rel>明年|次年|今年|本年|当年|明|今))?(?:年底|年末)|(?:今年)?年内){_BEFORE}?"
        ),
        _year_end,
    ),
    # Colloquially "年前" is before the lunar new year, not before the end of the calendar year.
    (re.compile(r"(?<![0-9〇零一二两三四五六七八九十百几多去今明本当])(?P<festival>年)前"), _festival),
    (re.compile(r"(?P<which>本|这个|当|下)月(?:底|末|内)(?:前|之前|以前)?"), _this_month),
    (re.compile(r"(?P<which>本|这|下)周(?:内|末|五)?(?:前|之前)?"), _week),
    (
        re.compile(rf"(?P<n>{_NUM}{{1,3}})个?(?P<unit>工作日|日|天|周|星期|个月|月)(?:之内|以内|内)"),
        _within,
    ),
    (
        re.compile(
            rf"{_YEAR}(?P<festival>春节|元宵节|元旦|端午节?|中秋节?|国庆节?|五一|劳动节|汛期|清明节?)(?:假期)?(?:前|之前|以前)"
        ),
        _festival,
    ),
]


# A literal each rule's phrase contains, so that most rules are skipped without running their pattern.
_RULE_CUES = ("月", "月", "月", "季度", "半年", "年", "年前", "月", "周", "内", "前")
# Every rule's phrase contains one of these; most requirements have none and are skipped at once.
_CUE = re.compile(
    r"[前底末内旬止周]|半年|季度|[日号](?:完成|全部|全面|基本|必须|务必|要|上报|报送|建成|竣工)"
)


def find_deadline(text: str, *, reference: date) -> Deadline | None:
    """The first stated deadline in `text` (the earliest in the text), resolved against `reference`."""
    if not _CUE.search(text):
        return None
    best: tuple[int, int, str, date] | None = None
    for cue, (pattern, resolve) in zip(_RULE_CUES, _RULES, strict=True):
        if cue not in text:
            continue
        for match in pattern.finditer(text):
            if not _is_deadline_context(text, match):
                continue
            try:
                resolved = resolve(match, reference)
            except (ValueError, KeyError):
                continue
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


_REPORTING = re.compile(r"(?:以来|截至|截止|同比|比去年|完成了|已经|已)$")


def _is_deadline_context(text: str, match: re.Match) -> bool:
    """A bare date ("12月25日") is a deadline only with 前/底/内 etc.; a past reference is not one."""
    phrase = match.group(0)
    after = text[match.end() : match.end() + 3]
    if after.startswith(("以来", "起", "开始", "召开", "至", "到")):
        return False
    if _REPORTING.search(text[max(0, match.start() - 3) : match.start()]):
        return False
    bare_day = match.re.pattern.find("(?P<day>") >= 0 and not phrase.endswith(("前", "内", "为止"))
    if bare_day:
        # "于3月15日完成", "3月15日完成" are deadlines too; "3月15日，…" is not.
        return after.startswith(
            ("完成", "全部", "全面", "基本", "必须", "务必", "要", "上报", "报送", "建成", "竣工")
        )
    return True
