"""Finding the requirements a meeting or its chair set, in normalised text, as spans of that text."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .entities import GROUPS, Directory, name_after_title

# A sentence ends at 。！？ or ；, with any closing quotes; a paragraph at a line break.
_SENTENCE = re.compile(r"[^。！？；]*(?:[。！？；]+[”’」』]*|$)")
# A line that ends without closing punctuation and is long was wrapped by an editor, not ended by the author.
_LINE_CLOSED = re.compile(r"[。！？；：:”」』）)]\s*$")
# A later item of a numbered list inside one sentence: "一是…，二是…" or "一要…，二要…".
_INNER_ITEM = re.compile(
    r"(?<=[，：、])(?=[二三四五六七八九十][是要][^求]|第[二三四五六七八九十][，、])"
    r"|(?<=[：:])(?=一是|一要|第一[，、]|首先|[（(][一1][）)]|1[、.．])"
)

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]要(?=[^求素点])|第[一二三四五六七八九十]+[，、是]?|"
    r"[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|[一二三四五六七八九十]+、|其[一二三四五六七八九十]，?)"
)
_CONNECTIVE = re.compile(
    r"^(?:但|但是|而且|并且|因此|所以|同时|此外|另外|最后|其次|首先|再次|总之|对此|为此|下一步|下步|今后|接下来|与此同时|在此基础上|具体来说)[，：]?"
)
_HEADING_END = re.compile(r"(?:以下|如下|几点|几个方面|几项|事项|要求|意见)[^，。]{0,6}[：:]$")

# The modal verbs of a requirement. 要 is one unless it is part of 重要/主要/需要/要求/要点….
_STRONG_MODAL = re.compile(
    r"(?<![重主需只纲首紧必摘提简扼想])要(?![求素点闻件害领员案]|清醒|看到|认识到|正视)|必须|务必|确保|须|应当|力争|切实|坚决|严禁|不得|抓紧|尽快"
)
# Verbs that open an imperative clause ("进一步加强…", "全力做好…") in an attributed paragraph.
_IMPERATIVE_VERBS = (
    r"(?:要|进一步|全力|全面|加快|加强|加大|强化|落实|做好|抓好|抓紧|推进|推动|完善|提高|提升|建立|健全|严格|压实|"
    r"深入|持续|扎实|积极|认真|统筹|聚焦|围绕|优化|规范|实施|开展|狠抓|坚持|着力|努力|切实|牢固|树立|坚决|全力以赴|"
    r"立足|紧盯|紧紧|牢牢|始终|不断|大力|精心|科学|及时|主动|密切|严格|注重|突出|用好|抓住|"
    r"确保|力争|争取|务必|必须|尽快|迅速|立即|抓实|夯实|筑牢|守住|加速|打造|构建|培育|发挥|推行|探索|谋划|组织|成立)"
)
_IMPERATIVE = re.compile("^" + _IMPERATIVE_VERBS)
# "市直各部门加强配合": an addressee, then an imperative verb.
_ADDRESSED_IMPERATIVE = re.compile(r"^(?P<subject>[^，；：“”]{2,16}?)(?=" + _IMPERATIVE_VERBS + ")")


# Past facts and figures: background, not a requirement.
_NARRATIVE = re.compile(
    r"以来|近年来|截至|截止|已经|取得了|取得明显|取得显著|成效明显|成效显著|同比|累计|增长\d|实现了|位居|先后|共计|"
    r"据了解|据悉|记者|目前我市|目前全市|获悉"
)
# "…还存在…问题，必须引起高度重视" states a problem; the requirements come after it.
_PROBLEM_NOTED = re.compile(
    r"存在[^。；]*问题[^。；]{0,6}[，,](?:必须|要|应|务必)?(?:引起|高度)[^，。；]{0,6}重视$"
)
# "（记者 王力）" before a sentence is a credit line, not part of it.
_CREDIT = re.compile(r"[（(][^（）()]{0,30}[）)]\s*")
_TAIL_BOILERPLATE = re.compile(r"免责声明|版权声明|版权所有|责任编辑[：:／/ ]")
_BOILERPLATE = re.compile(
    r"^(?:免责声明|声明：|版权|责任编辑|编辑：|来源：|原标题|扫一扫|分享到|【|点击|上一篇|下一篇)"
)

_SUBJECT_WORDS = {
    "",
    "会议",
    "会上",
    "会议上",
    "会中",
    "他",
    "她",
    "与会人员",
    "与会领导",
    "大会",
    "会议最后",
    "会议同时",
}
_ADVERBS = re.compile(
    r"(?:还|也|同时|又|并|进一步|特别|再次|最后|首先|一致|均|都|专门|明确|充分|深刻|"
    r"在讲话中|在会上|在会议上|在总结讲话中|在讲话时|讲话时|在讲话|在听取汇报后|听取汇报后|在听取[^，。]{1,20}?后|"
    r"在[^，。]{0,12}?(?:讲话|会议|会上|总结|调研|听取|座谈|检查|主持|点评|部署)[^，。]{0,30}?(?:中|时|后|上)|"
    r"就此|对此|结合[^，。]{1,20}?)+$"
)
_ATTRIBUTION = re.compile(
    r"(?P<subject>[^，。；：“”\n]{0,30}?)"
    r"(?P<verb>指出|强调|要求|认为|决定|研究决定|议定|希望|表示|号召|布置|同意|指示|明确|说|"
    r"提出了?[一二三四五六七八九十几两\d]*[点项条]?(?:具体|明确)?(?:要求|意见)|提出)"
    r"(?:了)?(?:以下|如下)?(?:[一二三四五六七八九十几\d]+[点项条])?(?:事项|意见)?(?:纪要)?(?:如下)?"
    r"(?:[，：:]|(?<=要求)|(?=要(?![求素点])|各|全市|全县|全区|有关|相关|大家|与会|市直|将|把|由|[市县区][^，。]{1,12}?[要抓]))"
)
_VERB_CUE = re.compile(r"指出|强调|要求|认为|决定|议定|希望|表示|号召|布置|同意|指示|明确|说|提出")
_NOT_A_MEETING_SUBJECT = re.compile(r"贯彻|落实|按照|根据|学习|传达|遵照|依据|围绕|结合|精神")
# Verbs after which what follows is a requirement by itself; after the others ("指出", "认为") it needs a modal.
_REQUIRING = {"要求", "决定", "研究决定", "议定", "希望", "号召", "布置", "同意", "指示", "明确"}
_CONVENED = re.compile(r"主持|召开|会议|讲话|调研|听取|座谈|视察|检查")
# "会议还就做好…工作提出明确要求": the topic is the requirement.
_TOPIC_REQUIREMENT = re.compile(
    r"(?P<subject>[^，。；：\n]{0,30}?)(?:就|对)(?P<topic>[^。；\n]{2,120}?)[，,]?"
    r"(?:提出|作出|做出|进行|作|进行了)了?(?:明确|具体|详细|全面|专门|工作)?(?:要求|部署|安排)"
)
# "安全生产是发展的底线，必须…": the judgement before the requirement is not part of it.
_ASSERTION_LEAD = re.compile(
    r"[^，；：]{1,40}?(?:是|事关|关系到|关系着|关乎|正值|正处于)[^，；：]{0,40}，"
    r"(?=[^，；：]{0,20}?(?:要(?![求素点闻件害领员案])|必须|务必|须(?!要)|应当|确保))"
)
_CITED_AUTHORITY = re.compile(
    r"(?:习近平|总书记|党中央|中央|国务院|省委|省政府|省委省政府|上级)[^，。；]{0,20}?(?:强调|指出|要求|提出|明确)"
)
# Who leads and who helps: the language of an assignment in minutes ("市民政局牵头，…").
_ASSIGNMENT = re.compile(r"牵头|(?<!主要)负责(?!同志|人)|会同|按程序|给予支持|限期")
# What introduces a list of facts rather than of tasks, and what marks a list of tasks.
_LIST_OF_FACTS = re.compile(r"以来|成效|成绩|取得|进展|亮点|特点|问题|不足|短板|差距|困难|做法|经验|特色")
_REQUIREMENT_LIST = re.compile(
    r"(?<![重主需只纲首紧必摘提简扼想])要(?![素点闻件害领员案])|必须|务必|抓好|做好|重点|措施|任务|意见"
)
# "做好秋粮生产工作，意义重大": a judgement, even though it opens with a verb.
_EVALUATION = re.compile(
    r"(?:意义重大|意义深远|十分重要|至关重要|非常重要|尤为重要|十分必要|非常必要|刻不容缓|势在必行|责任重大|任务艰巨)$"
)
_EMPHASIS = re.compile(r"特别是|尤其是|而是|还是|就是")
_VAGUE_TOPIC = re.compile(
    r"^(?:下一步|下步|今后|当前工作|近期工作|下阶段|全年工作|相关|有关|此|这|该|其他|其它)"
)
_SUBJECT_LEAD = re.compile(
    r"^(?P<subject>[^，；：“”]{1,24}?)(?=要(?![求素点闻件害领员案])|必须|务必|应当|须(?!要))"
)
_NOT_ADDRESSEE = re.compile(r"[，。的是把对将为在《》“”]|会议|会上|通过|审议|研究|听取")
_SUBJECT_TAIL = re.compile(
    r"(?:部门|单位|县区|县\(区\)|县（区）|乡镇|街道|干部|上下|各级|各地|全市|全县|全区|同志们|大家|我们|班子|领导|党员|"
    r"机关|系统|局|委|办|政府|党委|中心|公司|集团|专班|小组|指挥部|企业|学校|医院|县|区|市)(?:也|都|均|还|更)?$"
)


_SHORT_HEADING = 16


@dataclass(frozen=True, slots=True)
class Found:
    """A requirement: [start, end) in the normalised text.

    From `context` on it includes its addressee; `sentence` and `paragraph` are where its sentence and its
    paragraph start (what the meeting was discussing, for its theme).
    """

    start: int
    end: int
    context: int
    sentence: int
    paragraph: int


def find_directives(text: str, *, directory: Directory, on_paragraph=None) -> list[Found]:
    """The requirements in normalised `text`, in order: one per sentence, numbered item or topic.
    `on_paragraph(position)` is told where each paragraph starts (progress; it may raise to stop)."""
    reader = _Reader(text, directory)
    for paragraph_start, paragraph in _paragraphs(text):
        if on_paragraph is not None:
            on_paragraph(paragraph_start)
        reader.read_paragraph(paragraph_start, paragraph)
    return reader.found


class _Reader:
    """Reads a text paragraph by paragraph and sentence by sentence, remembering what came before:
    whether the meeting has started requiring, whether a numbered list is of facts or of tasks, and
    which numbered item the following sentences belong to."""

    def __init__(self, text: str, directory: Directory):
        self.text = text
        self.directory = directory
        self.found: list[Found] = []
        self.seen_attribution = False
        self.seen_sentence = False  # a headline can only come before the first full sentence
        self.after_heading = False  # in minutes, the paragraphs under "一、关于…" are its agreed items
        # "今年以来，…取得明显成效：一是…；二是…" lists achievements, not requirements.
        self.narrative_list = False
        # A report printed one sentence a line goes on with the requirements in the next "paragraph".
        self.last_was_requirement = False
        self.in_requirements = False  # within this paragraph, what follows is required
        self.item: int | None = None  # index of the numbered item that following sentences are merged into

    def read_paragraph(self, paragraph_start: int, paragraph: str) -> None:
        # The rest of a paragraph after a disclaimer or the editor's credit is the website's, not the meeting's.
        tail = _TAIL_BOILERPLATE.search(paragraph)
        if tail:
            paragraph = paragraph[: tail.start()]
        stripped = paragraph.strip()
        if not stripped or _BOILERPLATE.match(stripped):
            return
        if _is_heading(stripped):
            self.after_heading = self.seen_attribution
            return
        if not self.seen_sentence and not self.seen_attribution and _is_title(stripped):
            return
        self.seen_sentence = True
        self.in_requirements = self.after_heading or self.last_was_requirement
        self.last_was_requirement = False
        if self.item is not None and not self._item_is_short_heading():
            self.item = (
                None  # only an item's short heading ("一是强化项目储备。") continues in the next paragraph
            )
        for start, end in _sentences(paragraph, paragraph_start):
            self.read_sentence(start, end, paragraph_start)

    def read_sentence(self, start: int, end: int, paragraph_start: int) -> None:
        sentence = self.text[start:end]
        topic = _topic_requirement(sentence, directory=self.directory)
        if topic is not None:
            self._read_topic(sentence, topic, start, paragraph_start)
            return
        content_start, verb = _after_attribution(sentence, directory=self.directory)
        if verb is not None and verb.startswith("提出") and verb.endswith(("要求", "意见")):
            verb = "要求"
        if verb is not None:
            self.seen_attribution = self.in_requirements = True
            self.narrative_list = False
        body = sentence[content_start:]
        span = _trim(body)
        if span is None:
            return
        body_start = start + content_start + span[0]
        body_end = start + content_start + span[1]
        core = self.text[body_start:body_end]
        numbered = bool(_NUMBERING.match(_CONNECTIVE.sub("", body.lstrip("“‘ ")).lstrip()))
        if self._is_structure(body, core, numbered=numbered):
            self.item = None
            return
        if not self._is_requirement(core, verb=verb, numbered=numbered):
            self.item = None
            self.last_was_requirement = False
            return
        self.last_was_requirement = True
        if self._continues_item(core, verb=verb, numbered=numbered):
            self.found[self.item] = replace(self.found[self.item], end=body_end)
            return
        self.found.append(
            Found(body_start, body_end, min(body_start, start + content_start), start, paragraph_start)
        )
        self.item = len(self.found) - 1 if numbered else None

    def _read_topic(self, sentence: str, topic: tuple[int, int], start: int, paragraph_start: int) -> None:
        """ "会议还就做好…工作提出明确要求": the topic is the requirement, or, ending in a colon, the items
        that follow are ("就做好下步工作提出要求：一要…")."""
        self.seen_attribution = self.in_requirements = True
        self.item = None
        if sentence.rstrip().endswith(("：", ":")):
            self.narrative_list = False
            return
        self.found.append(Found(start + topic[0], start + topic[1], start + topic[0], start, paragraph_start))

    def _is_structure(self, body: str, core: str, *, numbered: bool) -> bool:
        """A line that orders the text rather than requires: an item's topic, a list's lead-in, an item
        of a list of facts. A lead-in says whether its list is of facts."""
        if numbered and core.startswith("关于") and not _STRONG_MODAL.search(core):
            return True  # "（一）关于供暖工作。" names the topic of the item that follows
        if body.rstrip().endswith(("：", ":")) or _HEADING_END.search(body.rstrip()):
            self.narrative_list = bool(_LIST_OF_FACTS.search(core)) and not _REQUIREMENT_LIST.search(core)
            return True
        return numbered and self.narrative_list

    def _is_requirement(self, core: str, *, verb: str | None, numbered: bool) -> bool:
        if verb is not None and _CITED_AUTHORITY.match(core):
            # "会议指出，习近平总书记强调，…": a quotation of higher authorities, not the meeting's own demand.
            return False
        if verb is not None:
            return _is_requirement(core, required=verb in _REQUIRING)
        if self.in_requirements:
            return _is_requirement(core, required=False) or numbered
        return self.seen_attribution and (numbered or _modal_initial(core))

    def _continues_item(self, core: str, *, verb: str | None, numbered: bool) -> bool:
        """Sentences after a numbered item's short heading ("一是加快资金支出进度。") are its body."""
        if self.item is None or verb is not None or numbered:
            return False
        return self._item_is_short_heading() or not _modal_initial(core)

    def _item_is_short_heading(self) -> bool:
        item = self.found[self.item]
        return item.end - item.start <= _SHORT_HEADING


def _paragraphs(text: str):
    """Paragraphs as the author wrote them: hard-wrapped lines are joined back (the newline stays in place)."""
    pos = 0
    start = None
    for line in text.split("\n"):
        if start is None:
            start = pos
        pos += len(line) + 1
        stripped = line.strip()
        following = text[pos : pos + 12].lstrip()
        wrapped = stripped.endswith(("，", "、")) or (
            len(stripped) >= 20
            and "，" in stripped
            and not _LINE_CLOSED.search(stripped)
            and following != ""
            and not _BOILERPLATE.match(following)
            and not re.match(r"(?:发布|时间|日期|\d{4}[-年])", following)
            and not _NUMBERING.match(stripped)
            and pos < len(text)
            and not _NUMBERING.match(text[pos : pos + 8].lstrip())
        )
        if not wrapped:
            yield start, text[start : pos - 1]
            start = None
    if start is not None and start < len(text):
        yield start, text[start:]


def _sentences(paragraph: str, offset: int):
    for match in _SENTENCE.finditer(paragraph):
        if match.start() == match.end():
            continue
        start, end = match.start(), match.end()
        pieces = [start]
        pieces.extend(start + m.start() for m in _INNER_ITEM.finditer(paragraph[start:end]))
        pieces.append(end)
        for a, b in zip(pieces, pieces[1:], strict=False):
            if paragraph[a:b].strip():
                yield offset + a, offset + b


def _is_heading(paragraph: str) -> bool:
    """ "一、关于专项债券工作" on a line of its own names a topic; the requirements follow it."""
    return (
        len(paragraph) <= 30
        and not re.search(r"[。；！？，]", paragraph)
        and bool(_NUMBERING.match(paragraph))
    )


def _is_title(paragraph: str) -> bool:
    """A headline ("市政府常务会议强调 加快推进重点项目") repeats the body: it has no sentence of its own."""
    return (
        len(paragraph) <= 60 and not re.search(r"[。；！？]", paragraph) and not _NUMBERING.match(paragraph)
    )


def _after_attribution(sentence: str, *, directory: Directory) -> tuple[int, str | None]:
    """Where the requirement starts after "会议强调，" / "朱是西要求" / "…主持召开会议，要求…", and the verb."""
    if not _VERB_CUE.search(sentence, 0, 120):
        return 0, None
    clause_start = 0
    for clause in re.finditer(r"[^，：]+[，：]?", sentence):
        match = _ATTRIBUTION.match(sentence, clause.start())
        if match and match.end() <= clause.end() + 1:
            before = sentence[:clause_start]
            if _valid_subject(
                match["subject"], directory=directory, mid_sentence=bool(before), before=before
            ):
                return match.end(), match["verb"]
        clause_start = clause.end()
        if clause_start > 80:
            break
    return 0, None


def _valid_subject(subject: str, *, directory: Directory, mid_sentence: bool, before: str) -> bool:
    subject = _CONNECTIVE.sub("", subject.strip())
    subject = _ADVERBS.sub("", subject)
    subject = re.sub(r"^(?:同日|当天|随后|会前|会后|会上|最后)，?", "", subject)
    if subject == "":
        # "…主持召开市长议事会，要求…": the chair requires, in the sentence that convenes the meeting.
        return not mid_sentence or bool(_CONVENED.search(before))
    if subject in _SUBJECT_WORDS:
        return True
    if subject.endswith(("会议", "会上")):
        # "市政府常务会议强调" is the meeting; "贯彻落实省委经济工作会议部署" is not.
        return not _NOT_A_MEETING_SUBJECT.search(subject)
    name = name_after_title(subject, directory=directory)
    return name is not None and subject.endswith(name)


def _topic_requirement(sentence: str, *, directory: Directory) -> tuple[int, int] | None:
    match = _TOPIC_REQUIREMENT.match(sentence)
    if not match:
        return None
    if not _valid_subject(match["subject"], directory=directory, mid_sentence=False, before=""):
        return None
    topic_start, topic_end = match.start("topic"), match.end("topic")
    topic = sentence[topic_start:topic_end].rstrip("，, ")
    if not topic or re.search(r"[，。]", topic[:2]) or _VAGUE_TOPIC.match(topic):
        return None
    return topic_start, topic_start + len(topic)


def _trim(body: str) -> tuple[int, int] | None:
    """The requirement proper: without list numbers, connectives, its addressee, quotes and end punctuation."""
    start, end = 0, len(body)
    while end > start and body[end - 1] in "。！？；，、：”’」』 ":
        end -= 1
    while start < end:
        rest = body[start:end]
        stripped = rest.lstrip(" “‘「『")
        if stripped != rest:
            start += len(rest) - len(stripped)
            continue
        match = _CREDIT.match(rest)
        if match:
            start += match.end()
            continue
        match = _NUMBERING.match(rest) or _CONNECTIVE.match(rest)
        if match and match.end() > 0:
            start += match.end()
            continue
        break
    if start >= end:
        return None
    match = _ASSERTION_LEAD.match(body, start, end)
    if match and not _STRONG_MODAL.search(match.group(0)) and not _EMPHASIS.search(match.group(0)):
        start = match.end()
    rest = body[start:end]
    match = _SUBJECT_LEAD.match(rest)
    if match and _is_addressee(match["subject"]):
        start += match.end()
    if body[start:end].count("”") > body[start:end].count("“"):
        while end > start and body[end - 1] in "”’":
            end -= 1
    # A quotation closing the requirement keeps its closing mark: "严防“卖粮难”".
    closing = body.find("”", end)
    if (
        body[start:end].count("“") > body[start:end].count("”")
        and closing >= 0
        and not body[end:closing].strip("。！？；，、：’ ")
    ):
        end = closing + 1
    return (start, end) if end - start >= 4 else None


def _is_addressee(subject: str) -> bool:
    """ "各县区、各有关部门" or "市财政局" before 要: who is addressed, not part of the requirement."""
    if subject in GROUPS:
        return True
    parts = [part for part in re.split(r"[、和及与]|以及", subject) if part]
    if not parts or _NOT_ADDRESSEE.search(subject):
        return False
    return all(part in GROUPS or _addressee_part(part) for part in parts)


def _addressee_part(part: str) -> bool:
    match = _SUBJECT_TAIL.search(part)
    # A bare 市/县/区 ends a short word ("全市", "各县"), not "审议通过了《市".
    return bool(match) and (len(match.group(0).rstrip("也都均还更")) > 1 or len(part) <= 3)


def _is_requirement(core: str, *, required: bool) -> bool:
    if _PROBLEM_NOTED.search(core):
        return False
    if _EVALUATION.search(core) and not _STRONG_MODAL.search(core):
        return False
    strong = bool(_STRONG_MODAL.search(core))
    if _NARRATIVE.search(core) and not strong:
        return False
    if required or strong or _ASSIGNMENT.search(core):
        return True
    if _IMPERATIVE.match(core):
        return True
    match = _ADDRESSED_IMPERATIVE.match(core)
    return bool(match and _is_addressee(match["subject"]))


def _modal_initial(core: str) -> bool:
    match = _SUBJECT_LEAD.match(core)
    if match and _is_addressee(match["subject"]):
        return True
    return bool(re.match(r"(?:要(?![求素点闻件害领员案])|必须|务必|确保|须(?!要)|应当)", core))
