"""Who lays a requirement on whom: the attribution cues of a report ("会议强调，", "刘国庆县长指出，",
"岳永鹏提出了“四强”要求：", "就做好…工作提出三点意见：", "从会上获悉，") and the speaker they name.

A cue is read clause by clause at the start of a sentence (or after the clause that convenes the
meeting: "…主持召开常务会议，要求…"). Its subject must be the meeting or a person (a title before or
after the name, "同志", a surname and a title: "李区长"); "按照省政府要求" or "传达…精神" are not the
meeting's own requirements. No Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import SURNAMES, TITLES, Directory, plausible_name
from .keywords import longest_of

# What the meeting itself is called when it speaks.
MEETING_WORDS = {
    "会议",
    "会上",
    "会议上",
    "大会",
    "会中",
    "会议中",
    "本次会议",
    "此次会议",
    "与会领导",
    "会议最后",
}
PRONOUNS = {"他", "她"}

# Cues after which what follows is required by itself ("会议要求，各县区…"); after the others ("指出",
# "强调") a clause is a requirement only with a modal verb or a list number.
REQUIRING = {
    "要求",
    "决定",
    "研究决定",
    "议定",
    "明确",
    "同意",
    "布置",
    "指示",
    "部署",
    "号召",
    "希望",
    "责成",
    "安排",
    "要求如下",
}

_VERB = (
    r"研究决定|决定|议定|指出|强调|要求|认为|明确|同意|希望|表示|号召|布置|指示|提醒|告诫|寄语|说|"
    r"提出|部署|责成"
)
# "会议要求，" / "刘庆东要求：" / "会议强调要…" / "会议议定以下事项："
_ANY_CUE = re.compile(_VERB + r"|提了|如下|获悉|据悉|安排|部署")
_CLAUSE = re.compile(r"[^，：:]+[，：:]?")
_CUE = re.compile(
    rf"(?P<verb>{_VERB})(?:了)?(?:以下|如下)?(?:[一二三四五六七八九十几两\d]+[点项条])?(?:事项|意见|要求)?(?:纪要)?(?:如下)?"
    r"(?P<punct>[，：:]|\s*\n|(?=[“‘]))"
)
# The verb directly followed by the requirement, without punctuation: "会议要求各县区…", "会议强调要…".
_CUE_RUNNING = re.compile(
    r"(?P<verb>要求)(?![的是和与及了])(?=[\u4e00-\u9fff“])|"
    r"(?P<verb2>强调|指出|明确|决定|同意|责成)(?=要(?![求素点闻件害])|必须|务必|各|全市|全县|全区|全州|有关|相关|"
    r"市直|县直|区直|区|县|市|由|把|将|对|进一步|切实|加快|抓紧|做好|抓好|认真|坚决|全力|严格|立即|尽快|所有|我市|我县|我区)"
)
# "提出了“四强”要求：", "提出三点要求：", "提了3点要求，", "提出明确要求：".
_RAISED = re.compile(
    r"(?:提出|提)了?(?:以下|如下)?(?:“[^”]{1,12}”的?|[一二三四五六七八九十几两\d]+[点项条]|几点|具体|明确|严格|工作|新的)?(?:具体|明确)?"
    r"(?P<what>要求|意见)(?P<punct>[，：:]|(?=[。！？；]|$))"
)
# "就做好…工作进行了安排，…" / "对…作出部署：": the content after it is the arrangement.
_ARRANGED = re.compile(
    r"(?:进行|作|做|作出|做出)了?(?:具体|专门|全面|详细|重点)?(?:安排部署|工作部署|部署安排|安排|部署)"
    r"(?P<punct>[，：:]|(?=[。！？；]|$))"
)
_VAGUE_TOPIC = re.compile(
    r"^(?:此次|本次|这次|该|此|这|其他|其它|相关|有关|下一步|下步|下一阶段|近期|当前|今后|全年|上述|以上|会议)"
    # "对11月份工作", "就下半年重点工作": the time's whole work, not a task.
    r"|^(?:今年|明年|本月|下月|本周|下周|[\d一二三四五六七八九十]{1,2}月份?|[一二三四]季度|上半年|下半年|年底|年内|各项|重点)"
    r"(?:的)?(?:各项|重点|主要)?(?:工作|任务|工作任务)$"
)
# "现将会议议定事项纪要如下：", "纪要如下：": minutes' agreed items follow.
_MINUTES_HEADER = re.compile(
    r"(?:现将|经研究，?)?(?:本次)?(?:会议)?(?:议定|研究|确定|决定)?(?:的)?(?:事项)?(?:纪要|议定|决定|明确)(?:以下事项)?如下[：:]"
)
# "就做好…工作", "对下一步工作": what requirements are raised on (not "对…进行了分析", an act).
_TOPIC = re.compile(r"(?:就|对|围绕|针对)(?P<topic>[^，。；：了]{2,80}?)[，,]?$")
# Relayed points: a speaker passing on a higher meeting's spirit, or quoting higher authorities.
_RELAY = re.compile(r"传达(?:学习)?了?|学习了|宣读了?|通报了?[^，。；]{0,30}?精神")
_CITED = re.compile(
    r"^(?:习近平|总书记|党中央|中央|国务院|省委|省政府|省委省政府|省委、省政府|上级|文件|通知|方案)[^，。；]{0,20}?"
    r"(?:强调|指出|要求|提出|明确)"
)
# Words of the sentence before a cue with no subject that make it the meeting's: the convening clause.
_CONVENED = re.compile(r"主持|召开|会议|会上|讲话|调研|听取|座谈|视察|检查|审议|研究|通过")
_GATHERED = re.compile(r"^(?:(?:记者)?从会(?:议)?上|会上|据悉)(?:获悉|了解到|得知)[，：:]|^据悉[，：:]")
# Adverbials between the subject and the verb: "刘国庆在讲话中强调", "会议同时要求".
_ADVERBS = re.compile(
    r"(?:还|也|又|并|同时|进一步|特别|再次|最后|首先|一致|均|都|专门|明确|充分|深刻|随后|接着|原则|研究|讨论|审议|"
    r"在讲话中|在会上|在会议上|在会议中|在会中|在总结讲话中|在总结讲话时|在讲话时|讲话时|在讲话|在主持时|在主持会议时|"
    r"在听取汇报后|听取汇报后|在听取[^，。]{1,40}?后|在[^，。]{0,12}?(?:讲话|会议|会上|总结|调研|听取|座谈|检查|主持|点评|部署)"
    r"[^，。]{0,30}?(?:中|时|后|上)|就此|对此|结合[^，。]{1,20}?)+$"
)
_LEADING = re.compile(
    r"^(?:同日|当天|当日|随后|会前|会后|最后|同时|此外|另外|接着|其后|之后|期间|下午|上午|晚上|会议期间)[，,]?"
)
_CONVENER = re.compile(r"该(?:镇|县|市|区|乡|局|委|办|街道|公司|中心|集团)|我(?:镇|县|市|区|乡)")
_HONORIFIC = re.compile(r"(?:同志|一行)$")
# A title that stands after a name: "刘国庆县长", "唐聆燕局长", "李区长".
_TITLE_AFTER = sorted(
    {
        *TITLES,
        "组长",
        "副组长",
        "指挥长",
        "总指挥",
        "处长",
        "科长",
        "总理",
        "副总理",
        "镇长",
        "乡长",
        "所长",
        "站长",
        "社长",
        "行长",
        "会长",
        "秘书",
        "委员",
    },
    key=len,
    reverse=True,
)
_TITLE_AT_END = re.compile("(?:" + "|".join(map(re.escape, _TITLE_AFTER)) + ")$")
_TITLE_ANYWHERE = longest_of(TITLES)
_AFTER_PERSON = re.compile(
    r"(?=主持|召开|出席|强调|指出|要求|总结|在|就|对|提出|提|作|做|传达|通报|汇报|听取|率|带|讲话|表示|说|同志|等|及|和|与|一行|"
    r"分别|陪同|参加|深入|来到|先后|实地|察看|查看|调研|宣布|介绍|部署|安排|肯定|充分)"
)
# An organisation at the start of a speaker's words: "州财政局唐聆燕局长", "县政府副县长苗东红".
_ORG_PREFIX = re.compile(
    r"^[\u4e00-\u9fff]{1,14}?(?:局|委|办|政府|党委|中心|公司|集团|区|县|市|州|镇|乡|部|院|厅|组)"
)
_NOT_A_SUBJECT = re.compile(r"贯彻|落实|按照|根据|遵照|依据|围绕|结合|精神|文件|通知|方案|的")


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who speaks: the meeting itself (`name` None), or a person by name (with a title where written)."""

    name: str | None = None
    title: str | None = None

    @property
    def is_meeting(self) -> bool:
        return self.name is None


MEETING = Speaker()


@dataclass(frozen=True, slots=True)
class Cue:
    """An attribution cue in a sentence: the requirement starts at `end`.

    `requiring`: what follows is required by itself; `pointer`: the sentence names the work required
    (`topic` is its span) and nothing follows; `speaker` None for "他" (the last person named)."""

    start: int
    end: int
    verb: str
    requiring: bool
    speaker: Speaker | None
    pointer: tuple[int, int] | None = None
    raised: bool = False  # "提出三点要求": the speaker's own, even after relaying others' points


def speaker_of(subject: str, *, directory: Directory) -> Speaker | None | bool:
    """The speaker a cue's subject names: MEETING, a person, None for a pronoun; False if it names neither."""
    subject = _LEADING.sub("", subject.strip(" ，,"))
    subject = _ADVERBS.sub("", subject)
    subject = _HONORIFIC.sub("", subject).strip()
    if not subject:
        return False
    if subject in MEETING_WORDS or re.fullmatch(r"(?:在[^，。]{2,40}?会上，?)?会议", subject):
        return MEETING
    if subject in PRONOUNS:
        return None
    if _CONVENER.fullmatch(subject):
        return MEETING  # "该镇要求": the body that held the meeting
    if subject.endswith(("会议", "会上", "大会", "例会", "会")) and len(subject) <= 40:
        return False if _NOT_A_SUBJECT.search(subject) else MEETING
    if len(subject) > 30 or _NOT_A_SUBJECT.search(subject):
        return False
    return _person(subject, directory=directory) or False


def _person(subject: str, *, directory: Directory) -> Speaker | None:
    for leader in directory.leaders:
        name = leader.get("name")
        if name and subject.endswith(name):
            return Speaker(name, leader.get("title"))
    # A title after the name: "孙金献常务副市长", "州财政局唐聆燕局长", "李区长".
    after = _TITLE_AT_END.search(subject)
    if after is not None and after.start() > 0:
        rest, title = subject[: after.start()], after.group(0)
        if len(rest) == 1 and rest in SURNAMES:
            return Speaker(rest + title, title)
        name = _name_at_end(rest)
        if name:
            return Speaker(name, title)
    # A title before the name: "县政府副县长苗东红", "市委常委、常务副市长孙金献".
    before = None
    for before in _TITLE_ANYWHERE.finditer(subject):  # noqa: B007 - the last one is wanted
        pass
    if before is not None:
        name = subject[before.end() :]
        return Speaker(name, before.group(0)) if plausible_name(name) else None
    # A bare name: "岳永鹏".
    if plausible_name(subject):
        return Speaker(subject)
    return None


def _name_at_end(words: str) -> str | None:
    """The person's name closing `words` (after an organisation or a list of titles), if it is one."""
    for size in (3, 2):
        if len(words) < size:
            continue
        name = words[-size:]
        before = words[:-size]
        if not plausible_name(name):
            continue
        if (
            before == ""
            or before.endswith(("、", "，"))
            or _ORG_PREFIX.fullmatch(before)
            or any(before.endswith(t) for t in TITLES)
        ):
            return name
    return None


def is_relay(clause: str) -> bool:
    """A speaker relaying a higher meeting's or leader's points ("传达了…会议精神")."""
    if "传达" not in clause and "学习" not in clause and "宣读" not in clause and "精神" not in clause:
        return False
    return bool(_RELAY.search(clause)) and not re.search(r"要求|强调|指出", clause.split("传达")[0])


def is_cited(text: str) -> bool:
    return bool(_CITED.match(text))


def find_cue(sentence: str, *, directory: Directory, after_speech: bool = False) -> Cue | None:
    """The attribution cue of a sentence, if it has one in its first clauses.

    `after_speech`: the sentence before named a speech ("王彦涛同志做总结讲话。要求…"), so a cue
    without a subject is that speaker's."""
    if not _ANY_CUE.search(sentence, 0, 160):
        return None
    gathered = _GATHERED.match(sentence)
    if gathered:
        return Cue(0, gathered.end(), "获悉", True, MEETING)
    header = _MINUTES_HEADER.search(sentence) if "如下" in sentence else None
    if header and (header.start() == 0 or sentence[header.start() - 1] in "，,。"):
        return Cue(header.start(), header.end(), "议定", True, MEETING)
    for clause in _CLAUSE.finditer(sentence, 0, 160):
        if clause.start() > 120:
            break
        if not _ANY_CUE.search(clause.group(0)):
            continue
        cue = _clause_cue(
            sentence, clause.start(), clause.end(), directory=directory, after_speech=after_speech
        )
        if cue is not None:
            return cue
    return None


def _clause_cue(
    sentence: str, start: int, end: int, *, directory: Directory, after_speech: bool
) -> Cue | None:
    clause = sentence[start:end]
    before = sentence[:start]
    for pattern, kind in (
        (_RAISED, "raised"),
        (_ARRANGED, "arranged"),
        (_CUE, "said"),
        (_CUE_RUNNING, "running"),
    ):
        for match in pattern.finditer(clause):
            subject_words = clause[: match.start()]
            words_start, clause_before = start, before
            topic = None
            if kind in ("raised", "arranged"):
                if not subject_words.strip() and before and _TOPIC.search(before):
                    # "会议还就做好…工作，提出明确要求": the topic is the clause before.
                    subject_words, words_start, clause_before = before, 0, ""
                topic = _TOPIC.search(subject_words)
                if topic is not None:
                    subject_words = subject_words[: topic.start()]
            speaker = _speaker_for(
                subject_words, before=clause_before, directory=directory, after_speech=after_speech
            )
            if speaker is False:
                continue
            verb = (
                {"raised": "要求", "arranged": "安排"}.get(kind)
                or match.groupdict().get("verb")
                or match["verb2"]
            )
            cue_end = start + match.end()
            pointer = None
            rest = sentence[cue_end:].strip(" 。；！？，")
            if kind in ("raised", "arranged") and not rest and match["punct"] not in ("：", ":"):
                # "会议还就A、B等工作提出了具体要求": the named work is the requirement; "就此次专项行动工作
                # 做了安排部署" points at the meeting's whole subject and is none.
                if topic is None or _VAGUE_TOPIC.match(topic["topic"]):
                    return None
                pointer = (words_start + topic.start("topic"), words_start + topic.end("topic"))
            return Cue(start, cue_end, verb, verb in REQUIRING, speaker, pointer, raised=kind == "raised")
    return None


def _speaker_for(subject: str, *, before: str, directory: Directory, after_speech: bool):
    """The speaker of a cue whose subject words are `subject` and come after `before` in the sentence."""
    bare = _ADVERBS.sub("", _LEADING.sub("", subject.strip(" ，,"))).strip()
    if bare != "":
        return speaker_of(subject, directory=directory)
    if not before:
        # "…做总结讲话。要求各乡镇…": the speaker of the sentence before goes on.
        return None
    # "赵建民总结了…，并就…提出要求：": the person the sentence opens with.
    opener = sentence_subject(before, directory=directory)
    if opener is not None:
        return opener
    # "…主持召开市长议事会，要求…": the chair requires, in the sentence that convenes the meeting.
    return MEETING if _CONVENED.search(before) else False


def sentence_subject(sentence: str, *, directory: Directory) -> Speaker | None:
    """The person (or the meeting) a sentence opens with: "赵建民总结了…", "会议听取了…"."""
    clauses = re.split(r"[，。；：]", sentence, maxsplit=2)
    first = clauses[0]
    if first in ("会上", "会议上", "在会上") and len(clauses) > 1:
        first = clauses[1]  # "会上，副镇长孙长龙传达了…"
    first = _LEADING.sub("", first)
    if first.startswith(("会议", "会上")):
        return MEETING
    # The words before what a person does ("主持", "在", "就", "同志"…), longest first.
    ends = [m.start() for m in _AFTER_PERSON.finditer(first, 2, 26)]
    for size in reversed([*ends, min(len(first), 26)]):
        words = first[:size]
        if _NOT_A_SUBJECT.search(words):
            continue
        found = _person(words, directory=directory)
        if found is not None:
            return found
    return None


def title_in(text: str, name: str) -> str | None:
    """The title a report gives a person somewhere: "常务副市长孙金献" or "孙金献常务副市长"."""
    for match in re.finditer(re.escape(name), text):
        before = _TITLE_BEFORE_NAME.search(text, max(0, match.start() - 12), match.start())
        if before is not None:
            return before.group(0)
        after = _TITLE_AFTER_NAME.match(text, match.end())
        if after is not None:
            return after.group(0)
    return None


_TITLE_BEFORE_NAME = re.compile("(?:" + "|".join(map(re.escape, TITLES)) + ")$")
_TITLE_AFTER_NAME = longest_of(_TITLE_AFTER)
