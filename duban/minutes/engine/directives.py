"""Finding the requirements a meeting, its chair or a speaker laid on someone, as spans of normalised text.

The reading follows the corpus's definition (../shared/corpus/minutes-dev/README.md):

- **Scope.** Only what is attributed to the meeting or to a person speaking at it counts: after a cue
  (`attribution.find_cue`: 会议强调，/ 刘国庆县长指出，/ …提出三点要求：/ 就…进行了安排，/ 从会上获悉，/
  the convening sentence's "…，要求…"), to the end of the paragraph; a list announced with a colon, or
  minutes' agreed items (议定如下：), go on in the paragraphs that follow. Relayed points (传达…精神),
  quotations of higher authorities, attendance, what was heard and statistics are out of scope.
- **Segments** (`segments.pieces`): cut at 。；！？, at an inline list number, and at a comma only before
  a clause with its own named unit.
- **The test.** A segment in scope is a requirement if it has a modal verb (要, 必须, 务必, 确保, 切实…),
  starts a numbered item (and every segment after the number, to the next one), continues a ；-list
  that started with one, names an assignment (由…负责, 请…牵头, 责成, 限期), or, after a requiring cue
  (要求, 决定, 议定, 明确…), is any clause that is not a statement of fact, a judgement or a sanction.
- **Never empty.** When nothing is attributed, the sentences that carry an obligation are proposed
  with a low confidence (`FALLBACK_CONFIDENCE`), so the office always gets drafts to judge.

Each requirement carries its confidence, its speaker and the meeting it was laid at. No Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .attribution import MEETING, Cue, Speaker, find_cue, is_cited, is_relay, sentence_subject, title_in
from .entities import Directory
from .segments import (
    NUMBERING,
    is_furniture,
    is_heading,
    is_headline,
    paragraphs,
    pieces,
    sentences,
    trailing_credit,
)

# How sure the reading is, by what made a segment a requirement; below LOW the page marks it.
CONFIDENCE = {
    "numbered": 0.95,
    "modal": 0.9,
    "required": 0.85,
    "assignment": 0.8,
    "item": 0.8,
    "list": 0.75,
    "pointer": 0.7,
    "implied": 0.6,
}
FALLBACK_CONFIDENCE = 0.35
LOW = 0.5

# The modal verbs of a requirement. 要 is one unless it is part of 重要/主要/需要/要求/要素….
MODAL = re.compile(
    r"(?<![重主需只纲首紧必摘提简扼想显次将])要(?![求素点闻件害领员案么是])|必须|务必|确保|切实|一定要|力争|(?<![共已累计])争取(?!到)|应当|"
    r"不能|不得|严禁|坚决|须(?!要)|抓紧|尽快|立即"
)
# "要清醒看到…": an assessment, not a requirement.
_SEEING = re.compile(r"要(?:清醒|清楚|充分|深刻)?(?:看到|认识到|正视|意识到)")
# Assignment words: who leads, who is charged, by when.
ASSIGNMENT = re.compile(
    r"牵头|(?<!主要)负责(?!同志|人)|会同|责成|限期|交办|^请[^，。]{2,30}?(?:牵头|负责|配合|抓紧|做好)"
)
# Past facts and figures: background, not a requirement.
_NARRATIVE = re.compile(
    r"以来|近年来|截至|截止|已经|已(?=[\u4e00-\u9fff]{0,2}(?:完成|落地|建成|开工|实现|到位|签订|达到))|取得了|取得明显|取得显著|"
    r"成效明显|成效显著|同比|累计|增长\d|实现了|位居|先后|共计|据了解|记者|目前我市|目前全市|获悉"
)
# "…还存在…问题，必须引起高度重视" states a problem; the requirements come after it.
_PROBLEM_NOTED = re.compile(
    r"存在[^。；]*问题[^。；]{0,6}[，,](?:必须|要|应|务必)?(?:引起|高度)[^，。；]{0,6}重视$"
)
_EVALUATION = re.compile(
    r"(?:意义重大|意义深远|十分重要|至关重要|非常重要|尤为重要|十分必要|非常必要|刻不容缓|势在必行|责任重大|使命光荣|"
    r"任务艰巨|形势严峻)$"
)
# "…是…的重点工程之一": a statement, unless a requirement follows in the same segment.
_STATEMENT = re.compile(r"^[^，]{1,40}?(?:是|事关|关系到|关系着|关乎|在于|属于)")
# "对…的，将严肃追责": a sanction, not a requirement (the corpus lists these as borderline).
_SANCTION = re.compile(
    r"(?:的|者)[，,]?(?:将|要|一律|坚决|必须)?(?:依法依规|严肃|从严|坚决)?(?:追究[^，。；]{0,8}责任|追责|问责|"
    r"严肃处理|严肃查处|通报批评|约谈)[^，。；]{0,8}$"
)
# A lead-in ending with a colon announces a list; a list of facts is not of requirements.
_LIST_OF_FACTS = re.compile(r"以来|成效|成绩|取得|进展|亮点|特点|问题|不足|短板|差距|困难|做法|经验|特色")
_LIST_OF_TASKS = re.compile(r"要求|意见|措施|任务|安排|事项|抓好|做好|以下工作|工作如下")
# What the meeting did, rather than required: it ends a cue's scope.
_MEETING_ACT = re.compile(
    r"(?:出席|列席|参加)(?:了)?(?:会议|会|调研|活动)|主持(?:会议|召开)?|听取了?|审议(?:并)?(?:原则)?通过了?|"
    r"审议了|研究了|讨论了|传达了|学习了|观看了|通报了|汇报了|作了?(?:表态)?发言|介绍了|宣读了|印发了|查看了|察看了|"
    r"调研了|总结了|部署了|作(?:了)?(?:重要|总结)?讲话|做(?:了)?(?:重要|总结)?讲话|"
    r"(?:作|做|进行|作出|做出)了?(?:具体|专门|全面|详细)?(?:安排部署|部署安排|部署|安排)"
)
_SPEECH = re.compile(r"(?:作|做)(?:了)?(?:重要|总结)?讲话|讲话。?$|总结讲话")
_OPENS_WITH_ACTOR = re.compile(r"^(?:会议|会上|会后|会前|随后|同日|当天|当日|与会)")
_CONVENES = re.compile(
    r"(?:召开|举行|组织召开|主持召开)了?(?P<name>[^，。；：\n]{2,60}?(?:会议|会))|在(?P<at>[^，。；：\n]{2,60}?会)上"
)
# A minutes' header: everything that follows is an agreed item until the end.
_AGREED = re.compile(
    r"(?:议定|纪要|决定|明确)(?:以下|如下)?(?:事项)?(?:纪要)?(?:如下)?[：:]$|议定事项如下|纪要如下"
)
_ATTENDANCE_LINE = re.compile(r"^(?:出席|参加|列席)(?:人员|领导|单位)?[：:]")
_ATTENDED = re.compile(r"(?:出席|列席|参加)(?:了)?(?:会议|会)")
_ABOUT = re.compile(r"^\S{0,6}?关于")
_MEETING_NAMED = re.compile(r"会议|会上")
_IMPLIED_ASSIGNMENT = re.compile(r"限期|责成|交办|牵头|督促")
_CLAUSE_BREAK = re.compile(r"[，：:]")
_ANNOUNCES = re.compile(r"以下|如下|几点|几个方面|几项|[一二三四五六七八九十两\d]+(?:[点项条]|个方面)")
_TAIL_FURNITURE = re.compile(r"免责声明|版权声明|版权所有|责任编辑[：:／/ ]|扫一扫")
_LEADING_CREDIT = re.compile(r"^\s*[（(](?![一二三四五六七八九十\d]{1,3}[）)])[^（）()。，；]{0,30}[）)]\s*")
_LEAD_ADVERBIAL = re.compile(r"^[^，：]{1,6}[，：]")
_QUOTES = " “‘「『"


@dataclass(slots=True)
class Found:
    """A requirement: [start, end) in the normalised text.

    From `context` on it includes its addressee; `sentence` and `paragraph` are where its sentence and
    its paragraph start, `topic` where the heading or meeting it belongs to is named (for its theme).
    `speaker` is the person or the meeting that laid it, `meeting` the index of its meeting in the
    reader's `meetings`, `basis` why it was taken."""

    start: int
    end: int
    context: int
    sentence: int
    paragraph: int
    confidence: float = CONFIDENCE["modal"]
    basis: str = "modal"
    speaker: Speaker = MEETING
    meeting: int = 0
    topic: tuple[int, int] | None = None


@dataclass(slots=True)
class MeetingMention:
    """A meeting the report names ("主持召开…会议", "在…会上"): where, and what it is called."""

    name: str
    start: int
    chair: str | None = None
    sentence: str = ""  # the sentence that convenes it: what it was about


@dataclass(slots=True)
class _Scope:
    requiring: bool
    speaker: Speaker
    carried: bool = False  # carried over from the paragraph before: the next segment must prove it
    item: bool = False  # inside a numbered item: every segment counts up to the next number
    fact_list: bool = False  # the list announced is of facts


@dataclass(slots=True)
class Reading:
    found: list[Found] = field(default_factory=list)
    meetings: list[MeetingMention] = field(default_factory=list)
    headline: str = ""  # the report's headline(s), what it is about


def find_directives(text: str, *, directory: Directory, on_paragraph=None) -> list[Found]:
    """The requirements in normalised `text`, in order. `on_paragraph(position)` is told where each
    paragraph starts (progress; it may raise to stop)."""
    return read_requirements(text, directory=directory, on_paragraph=on_paragraph).found


def read_requirements(text: str, *, directory: Directory, on_paragraph=None) -> Reading:
    reader = _Reader(text, directory)
    for paragraph_start, paragraph in paragraphs(text):
        if on_paragraph is not None:
            on_paragraph(paragraph_start)
        reader.read_paragraph(paragraph_start, paragraph)
    if not reader.found:
        reader.found = _fallback(text, reader.candidates)
    reader.found = _with_titles(text, reader.found)
    return Reading(
        found=reader.found,
        meetings=reader.meetings or [MeetingMention("", 0)],
        headline=" ".join(reader.headlines),
    )


class _Reader:
    """Reads a text paragraph by paragraph and sentence by sentence, remembering who is speaking,
    whether what follows is in scope, and whether a numbered item or a ；-list is open."""

    def __init__(self, text: str, directory: Directory):
        self.text = text
        self.directory = directory
        self.found: list[Found] = []
        self.meetings: list[MeetingMention] = []
        self.candidates: list[tuple[int, int, int, int]] = []  # for the fallback: sentences with a modal
        self.scope: _Scope | None = None
        self.agreed = False  # minutes: the agreed items run to the end
        self.relay = False
        self.seen_body = False
        self.last_person: Speaker | None = None
        self.after_speech: Speaker | None = None  # "…做总结讲话。要求…"
        self.list_open = False  # the sentence before ended a requirement with ；
        self.topic: tuple[int, int] | None = None  # the heading the paragraphs are under
        self.headlines: list[str] = []

    # --- paragraphs -------------------------------------------------------------------------------

    def read_paragraph(self, paragraph_start: int, paragraph: str) -> None:
        # The rest of a paragraph after a disclaimer or the editor's credit is the website's.
        tail = _TAIL_FURNITURE.search(paragraph)
        if tail:
            paragraph = paragraph[: tail.start()]
        stripped = paragraph.strip()
        if is_furniture(stripped) or _ATTENDANCE_LINE.match(stripped):
            return
        if not self.seen_body and is_headline(stripped):
            self.headlines.append(stripped)
            return
        if is_heading(stripped):
            self.topic = (paragraph_start, paragraph_start + len(paragraph))
            self.scope = _Scope(True, MEETING) if self.agreed else None
            return
        self.seen_body = True
        if self.scope is not None:
            self.scope.carried = not self.agreed
        elif self.agreed:
            self.scope = _Scope(True, MEETING)
        self.relay = False
        self.list_open = False
        for start, end in sentences(paragraph, paragraph_start):
            self.read_sentence(start, end, paragraph_start)

    # --- sentences --------------------------------------------------------------------------------

    def read_sentence(self, start: int, end: int, paragraph_start: int) -> None:
        sentence = self.text[start:end]
        end = start + trailing_credit(sentence)
        start += _LEADING_CREDIT.match(sentence).end() if _LEADING_CREDIT.match(sentence) else 0
        if start >= end:
            return
        sentence = self.text[start:end]
        if not sentence.strip(" 。；！？，"):
            return
        self._note_meeting(sentence, start)
        cue = find_cue(sentence, directory=self.directory, after_speech=self.after_speech is not None)
        relay = _relay_position(sentence)
        if relay is not None and (cue is None or (cue.start > relay and not cue.raised)):
            self.relay, self.scope, self.after_speech = True, None, None
            return
        if cue is not None:
            self._open_scope(cue, sentence)
            self.relay = False
            if cue.pointer is not None:
                self._emit(start + cue.pointer[0], start + cue.pointer[1], start, paragraph_start, "pointer")
                return
            if is_cited(sentence[cue.end :].lstrip(_QUOTES)):
                return
            self._read_content(start + cue.end, end, start, paragraph_start, cued=True)
            return
        speech = bool(_SPEECH.search(sentence))
        acted = self._is_meeting_act(sentence)
        if self.relay and not (speech or acted):
            return  # the relayed points go on until someone else speaks or the meeting acts
        self.relay = False
        if speech:
            self.after_speech = sentence_subject(sentence, directory=self.directory) or MEETING
        if acted:
            self.scope = None
            self.list_open = False
            return
        if self.scope is None:
            self._note_candidate(start, end, paragraph_start)
            self._read_implied(start, end, paragraph_start)
            return
        self._read_content(start, end, start, paragraph_start, cued=False)

    def _open_scope(self, cue: Cue, sentence: str) -> None:
        speaker = cue.speaker
        if speaker is None:
            speaker = self.after_speech or self.last_person or MEETING
        elif not speaker.is_meeting:
            self.last_person = speaker
        if cue.verb == "议定" or _AGREED.search(sentence[cue.start : cue.end]):
            self.agreed = True
        self.scope = _Scope(cue.requiring, speaker)
        self.after_speech = None
        self.list_open = False

    def _is_meeting_act(self, sentence: str) -> bool:
        """ "会议听取了…", "王涛就此次专项行动工作做了安排部署", "…等出席会议": what the meeting did."""
        if MODAL.search(sentence) and not _OPENS_WITH_ACTOR.match(sentence):
            return False
        head = sentence[:60]
        if _MEETING_ACT.search(head) and (
            _OPENS_WITH_ACTOR.match(sentence) or sentence_subject(sentence, directory=self.directory)
        ):
            return True
        return bool(_ATTENDED.search(sentence))

    def _note_meeting(self, sentence: str, start: int) -> None:
        if "会" not in sentence or not ("召开" in sentence or "举行" in sentence or "会上" in sentence):
            return
        match = _CONVENES.search(sentence)
        if match is None:
            return
        name = (match["name"] or match["at"] or "").strip()
        if name.startswith(("的", "了")) or len(name) < 3:
            return
        chair = None
        if "主持" in sentence[: match.end()]:
            person = sentence_subject(sentence, directory=self.directory)
            chair = person.name if person is not None and not person.is_meeting else None
            if chair:
                self.last_person = person
        if self.meetings and self.meetings[-1].name == name:
            return
        self.meetings.append(MeetingMention(name, start + match.start(), chair, sentence))
        self.scope = None if self.scope is None or not self.agreed else self.scope

    # --- the content of a sentence in scope ---------------------------------------------------------

    def _read_content(self, content_start: int, end: int, sentence_start: int, paragraph_start: int, *, cued):
        scope = self.scope
        if scope is None:
            return
        ended_by_semicolon = self.text[content_start:end].rstrip().endswith(("；", ";"))
        taken_last = False
        for piece_start, piece_end in pieces(self.text, content_start, end):
            span = _trim(self.text, piece_start, piece_end)
            if span is None:
                taken_last = False
                continue
            lead_in = self.text[piece_start:piece_end].rstrip().endswith(("：", ":"))
            basis = self._basis(self.text[span[0] : span[1]], scope, cued=cued, lead_in=lead_in)
            if basis is None and taken_last and self.text[piece_start - 1 : piece_start] in "，,":
                # Cut off a requirement before a unit's own clause ("…，县攻坚办每月通报…"): one too.
                basis = "list"
            taken_last = basis is not None
            if basis is None:
                continue
            if scope.carried and basis in ("required", "item", "list"):
                # Carried over from the paragraph before, a bare clause does not prove the scope goes on.
                self.scope = None
                return
            scope.carried = False
            self._emit(span[0], span[1], sentence_start, paragraph_start, basis, context=content_start)
            cued = False
        self.list_open = taken_last and ended_by_semicolon

    def _basis(self, body: str, scope: _Scope, *, cued: bool, lead_in: bool = False) -> str | None:
        """Why a segment in scope is a requirement, or None when it is not one."""
        plain = body.lstrip(_QUOTES)
        numbered = bool(NUMBERING.match(plain) or NUMBERING.match(_LEAD_ADVERBIAL.sub("", plain, count=1)))
        if _is_sanction(plain) or ("存在" in plain and _PROBLEM_NOTED.search(plain)):
            return None
        if lead_in:
            # A lead-in: it says whether the list that follows is of facts or of tasks. With a modal
            # verb and no "以下", it is a requirement whose parts follow ("…确保实现“两个清零”目标：即…").
            topic = _ABOUT.match(plain)  # "（六）关于…改制有关问题：" names the subject
            scope.fact_list = (
                not topic and bool(_LIST_OF_FACTS.search(plain)) and not _LIST_OF_TASKS.search(plain)
            )
            scope.item = not scope.fact_list
            if _has_modal(plain) and not _ANNOUNCES.search(plain):
                return "modal"
            return None
        if numbered and _ABOUT.match(plain) and not _has_modal(plain):
            return None  # "（一）关于供暖工作" names the topic of the item that follows
        modal = _has_modal(plain)
        narrative = bool(_NARRATIVE.search(plain))
        if numbered:
            if scope.fact_list and not modal:
                return None
            scope.item = True
            return "numbered"
        if modal:
            return "modal"  # "…以来，…取得了一些成效，但还要加快推进"; "对已开工的项目务必抓紧推动"
        if narrative or (_EVALUATION.search(plain) and not modal):
            return None
        if ASSIGNMENT.search(plain):
            return "assignment"
        if scope.requiring and not _STATEMENT.match(plain):
            return "required"
        if scope.item and not _STATEMENT.match(plain):
            return "item"
        if self.list_open and not cued:
            return "list"
        return None

    def _read_implied(self, start: int, end: int, paragraph_start: int) -> None:
        """Out of any cue's scope, an assignment the meeting made ("对于个性问题，下达相关责任单位交办件，
        限期…整改完毕") in a paragraph where the meeting is the subject."""
        paragraph_head = self.text[paragraph_start : paragraph_start + 40]
        if not self.meetings or not _MEETING_NAMED.search(paragraph_head):
            return
        sentence = self.text[start:end]
        if _NARRATIVE.search(sentence) or not _IMPLIED_ASSIGNMENT.search(sentence):
            return
        for piece_start, piece_end in pieces(self.text, start, end):
            span = _trim(self.text, piece_start, piece_end)
            if span and _IMPLIED_ASSIGNMENT.search(self.text[span[0] : span[1]]):
                self._emit(span[0], span[1], start, paragraph_start, "implied")

    def _note_candidate(self, start: int, end: int, paragraph_start: int) -> None:
        self.candidates.append((start, end, paragraph_start, len(self.meetings) - 1 if self.meetings else 0))

    def _emit(self, start, end, sentence_start, paragraph_start, basis, *, context=None) -> None:
        scope = self.scope
        speaker = scope.speaker if scope is not None else MEETING
        self.found.append(
            Found(
                start=start,
                end=end,
                context=min(start, context if context is not None else start),
                sentence=sentence_start,
                paragraph=paragraph_start,
                confidence=CONFIDENCE[basis],
                basis=basis,
                speaker=speaker,
                meeting=max(0, len(self.meetings) - 1),
                topic=self.topic,
            )
        )


def _with_titles(text: str, found: list[Found]) -> list[Found]:
    """Each speaker with the title the report gives them somewhere ("孙金献常务副市长")."""
    titles: dict[str, str | None] = {}
    result = []
    for item in found:
        speaker = item.speaker
        if speaker.name and not speaker.title:
            if speaker.name not in titles:
                titles[speaker.name] = title_in(text, speaker.name)
            if titles[speaker.name]:
                item.speaker = Speaker(speaker.name, titles[speaker.name])
        result.append(item)
    return result


def _relay_position(sentence: str) -> int | None:
    """Where a sentence starts relaying a higher meeting's points, if it does."""
    if (
        "传达" not in sentence
        and "学习" not in sentence
        and "宣读" not in sentence
        and "精神" not in sentence
    ):
        return None
    head = _CLAUSE_BREAK.split(sentence, maxsplit=2)
    prefix = 0
    for clause in head[:2]:
        if is_relay(clause):
            return prefix
        prefix += len(clause) + 1
    return None


_PENALTY = re.compile(r"追究|追责|问责|处理|查处|批评|约谈")


def _is_sanction(text: str) -> bool:
    """A sanction alone ("对…的，将严肃追责"), not a requirement that ends with the sanction of its
    breach ("…要督促在建项目落实工资专用账户，对不落实的一律约谈")."""
    found = _SANCTION.search(text)
    if found is None or not _PENALTY.search(text):
        return False
    head = text[: found.start()]
    cut = max(head.rfind("，"), head.rfind(","), head.rfind("；"))
    return cut <= 0 or not _has_modal(head[:cut])


def _has_modal(text: str) -> bool:
    for match in MODAL.finditer(text):
        if match.group(0) == "要" and _SEEING.match(text, match.start()):
            continue
        return True
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The segment without the blanks, quotes and punctuation at its ends (an unmatched closing quote
    goes; a quotation closing the requirement keeps its mark: "严防“卖粮难”")."""
    while start < end and text[start] in " \n，、：:；;。" + "‘「『":
        start += 1
    while end > start and text[end - 1] in " \n。！？；，、：:;,’」』":
        end -= 1
    if text[start:end].count("”") > text[start:end].count("“"):
        while end > start and text[end - 1] == "”":
            end -= 1
    if text[start:end].count("“") > text[start:end].count("”") and text[start] == "“":
        start += 1
    return (start, end) if end - start >= 4 else None


def _fallback(text: str, candidates: list[tuple[int, int, int, int]]) -> list[Found]:
    """Nothing was attributed: the sentences that carry an obligation (a modal and an action), outside
    background and praise, proposed with a low confidence."""
    found = []
    for start, end, paragraph_start, meeting in candidates:
        for piece_start, piece_end in pieces(text, start, end):
            span = _trim(text, piece_start, piece_end)
            if span is None:
                continue
            body = text[span[0] : span[1]]
            if not _has_modal(body) or _NARRATIVE.search(body) or _is_sanction(body):
                continue
            if len(body) < 8 or body.endswith(("：", ":")):
                continue
            found.append(
                Found(
                    span[0],
                    span[1],
                    span[0],
                    start,
                    paragraph_start,
                    confidence=FALLBACK_CONFIDENCE,
                    basis="fallback",
                    meeting=max(0, meeting),
                )
            )
    return found
