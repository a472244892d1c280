"""Reading the meeting a report is about: its type, date, chair and attendees."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .deadlines import chinese_number
from .entities import Directory, name_after_title

# Canonical meeting types and the words that name them, most specific first.
MEETING_TYPES: list[tuple[str, tuple[str, ...]]] = [
    ("市长议事会", ("市长议事会",)),
    ("常务会议", ("常务会议", "常务会")),
    ("周例会", ("周例会",)),
    ("专题会议", ("专题会议", "专题会", "专题研究会")),
    ("办公会议", ("市长办公会议", "市长办公会", "县长办公会", "区长办公会", "办公会议", "办公会")),
    ("党组会议", ("党组会议", "党组会", "党组扩大会议")),
    ("调度会", ("调度会议", "调度会")),
    ("推进会", ("推进会议", "推进会")),
    ("现场会", ("现场会议", "现场会", "观摩会")),
    ("协调会", ("协调会议", "协调会")),
    ("座谈会", ("座谈会",)),
    ("联席会议", ("联席会议",)),
    ("全体会议", ("全体会议", "全体（扩大）会议")),
    ("动员会", ("动员大会", "动员会", "部署会")),
    ("工作会议", ("工作会议", "工作会")),
]

_NUM = "[0-9〇零一二三四五六七八九十]"
_FULL_DATE = re.compile(
    rf"(?P<year>(?:19|20){_NUM}{{2}}|[二][〇零][一二三四五六七八九〇零][〇零一二三四五六七八九])年(?P<month>{_NUM}{{1,2}})月(?P<day>{_NUM}{{1,3}})日"
)
_ISO_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_DAY = re.compile(rf"(?:(?P<year>(?:19|20){_NUM}{{2}})年)?(?P<month>{_NUM}{{1,2}})月(?P<day>{_NUM}{{1,3}})日")
_CONVENE = re.compile(r"(?:主持)?(?:召开|举行|组织召开)(?:了)?(?P<name>[^，。；：\n]{0,40}?(?:会议|会))")
_PRESIDE = re.compile(r"(?:同志)?(?:主持召开|主持|召集)")
_CONVENE_BY = re.compile(r"(?:同志)?(?:带队|召开)")
_CHAIRED_BY = re.compile(r"由(?P<who>[^，。；\n]{2,20}?)主持")
_ATTEND = re.compile(
    r"(?P<list>[^。；\n]{2,300}?)(?:等)?(?:出席|参加|列席)(?:了)?(?:会议|会)"
    r"|^(?:出席|参加|列席)(?:人员|领导|会议)?[：:](?P<listed>[^\n]{2,300})$",
    re.MULTILINE,
)


@dataclass(slots=True)
class Meeting:
    type: str | None = None
    date: date | None = None
    chair: str | None = None
    attendees: list[str] = field(default_factory=list)
    date_start: int | None = None

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "date": self.date.isoformat() if self.date else None,
            "chair": self.chair,
            "attendees": list(self.attendees),
        }


def read_meeting(text: str, *, directory: Directory, reference: date | None, today: date) -> Meeting:
    """Read the first meeting of a normalised report; `reference` is the known meeting or publication date."""
    meeting = Meeting()
    convene = _CONVENE.search(text)
    head_end = convene.end() if convene else min(len(text), 400)
    meeting.type = meeting_type(convene["name"] if convene else text[:400]) or (
        meeting_type(text[:1000]) if convene else None
    )
    if meeting.type is None and convene:
        meeting.type = convene["name"].strip() or None
    meeting.date, meeting.date_start = _meeting_date(
        text, head_end=head_end, reference=reference or publication_date(text), today=today
    )
    if reference and meeting.date is None:
        meeting.date = reference
    meeting.chair = _chair(text, directory=directory, head_end=head_end)
    meeting.attendees = _attendees(text, directory=directory, chair=meeting.chair)
    return meeting


def meeting_type(name: str) -> str | None:
    for canonical, words in MEETING_TYPES:
        if any(word in name for word in words):
            return canonical
    return None


def publication_date(text: str) -> date | None:
    """A full date (with its year) anywhere in the report: the publication line or the dateline."""
    for pattern in (_ISO_DATE, _FULL_DATE):
        match = pattern.search(text)
        if match:
            try:
                return _date_of(match, year=chinese_number(match["year"]))
            except ValueError:
                continue
    return None


def _date_of(match: re.Match, *, year: int) -> date:
    return date(year, chinese_number(match["month"]), chinese_number(match["day"]))


# "将于12月25日召开": the text says the meeting is still to come.
_AHEAD = re.compile(r"(?:将于|将在|拟于|拟在|定于|计划于|预计于)$")


def _without_year(candidates: list[date], *, base: date, known: bool, ahead: bool) -> date:
    """The year of a meeting date written without one (candidates: that day in the years around `base`).

    Against a known date (the meeting date the office gave, or the report's publication date) the
    nearest: a report written just after new year speaks of 12月25日 of the year before. Against
    today, the most recent such day not after today (a report of 12月25日 read on 1 December is of last
    December), unless the text says the meeting is still to come (将于…召开): then the next one.
    """
    if known:
        return min(candidates, key=lambda d: abs((d - base).days))
    if ahead:
        return min((d for d in candidates if d >= base), default=max(candidates))
    return max((d for d in candidates if d <= base), default=min(candidates))


def _meeting_date(
    text: str, *, head_end: int, reference: date | None, today: date
) -> tuple[date | None, int | None]:
    # The date of a sentence that convenes the meeting (the headline's "召开" has none), else the
    # first date of the head (a dateline), else the date the report names first.
    for match in _DAY.finditer(text, 0, head_end + 600):
        sentence_start = max(text.rfind(mark, 0, match.start()) for mark in "。\n") + 1
        sentence_end = min(
            (i for i in (text.find(mark, match.end()) for mark in "。\n") if i >= 0), default=len(text)
        )
        verb = _CONVENING.search(text, sentence_start, sentence_end) or _AT_MEETING.search(
            text, sentence_start, sentence_end
        )
        if verb is None or _SINCE.match(text, match.end()):
            continue
        # Of the dates of the sentence, the last one before it convenes: "为贯彻9月4日…会议精神，州政府
        # 于9月6日下午…召开…会议".
        days = [
            m for m in _DAY.finditer(text, sentence_start, sentence_end) if not _SINCE.match(text, m.end())
        ]
        before = [m for m in days if m.start() < verb.start()]
        for candidate in [before[-1]] if before else days:
            found = _resolve_day(text, candidate, reference=reference, today=today)
            if found is not None:
                return found, candidate.start()
    for match in _DAY.finditer(text[: head_end + 60]):
        found = _resolve_day(text, match, reference=reference, today=today)
        if found is not None:
            return found, match.start()
    return None, None


_CONVENING = re.compile(r"召开|举行|主持|调研|座谈")
_AT_MEETING = re.compile(r"会议|会上")
_SINCE = re.compile(r"\s*(?:以来|起|开始|至|到|—|-)")


def _resolve_day(text: str, match: re.Match, *, reference: date | None, today: date) -> date | None:
    try:
        if match["year"]:
            return _date_of(match, year=chinese_number(match["year"]))
    except ValueError:
        return None
    base = reference or today
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(_date_of(match, year=year))
        except ValueError:
            continue
    if not candidates:
        return None
    return _without_year(
        candidates,
        base=base,
        known=reference is not None,
        ahead=bool(_AHEAD.search(text, max(0, match.start() - 6), match.start())),
    )


_YEAR_NAMED = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def year_named(text: str) -> date | None:
    """A report with no date but a year ("2022年度…第一次会议召开"): the start of that year, what a
    deadline written without a year is counted from."""
    match = _YEAR_NAMED.search(text, 0, 400)
    return date(int(match.group(1)), 1, 1) if match else None


def _chair(text: str, *, directory: Directory, head_end: int) -> str | None:
    head = text[: max(head_end, 300) + 100]
    match = _CHAIRED_BY.search(head)
    if match:
        name = name_after_title(match["who"], directory=directory)
        if name:
            return name
    # Who presides ("主持") is the chair; who convenes or leads a visit ("召开", "带队") only if nobody presides.
    for pattern in (_PRESIDE, _CONVENE_BY):
        for match in pattern.finditer(head):
            sentence_start = max(head.rfind(mark, 0, match.start()) for mark in "。\n") + 1
            window = head[max(sentence_start, match.start() - 40) : match.start()]
            name = name_after_title(window[-12:], directory=directory, loose=True)
            if name is None:
                # "市长助理郑毅在市政府11楼会议室主持": the last leader named before the verb.
                leaders = directory.find_leaders(window)
                name = leaders[-1].name if leaders else None
            if name:
                return name
    return None


def _attendees(text: str, *, directory: Directory, chair: str | None) -> list[str]:
    names: list[str] = []
    for match in _ATTEND.finditer(text[:3000]):
        listing = match["list"] or match["listed"]
        # Only the clause that lists people: what follows the last sentence-level break.
        listing = re.split(r"[。！？]", listing)[-1]
        for piece in re.split(r"[、，,及和与]|以及", listing):
            name = name_after_title(piece, directory=directory)
            if name and name != chair and name not in names:
                names.append(name)
        if names:
            break
    return names
