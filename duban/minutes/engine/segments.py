"""Cutting normalised report text into paragraphs, sentences and the segments a supervision office
tracks separately, and recognising what is not the report's body (headlines, site furniture, credits).

The splitting rule is the corpus's: text is cut at 。；！？; a segment is cut further at a comma only
where the next clause has its own subject that would be assigned or dated separately (a named unit:
"…，财政部门督促…"), at an inline list number ("…，二是…") and, after a colon that announces the
parts of a target ("目标：即…"), between those parts. No Django import.
"""

from __future__ import annotations

import re

from .keywords import longest_of

# A sentence ends at 。！？ or ；, with any closing quotes.
_SENTENCE = re.compile(r"[^。！？；]*(?:[。！？；]+[”’」』]*|$)")
_LINE_CLOSED = re.compile(r"[。！？；：:”」』）)|]\s*$")

NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]要(?=[^求素点件])|第[一二三四五六七八九十]+[，、是：]|"
    r"[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d)|[一二三四五六七八九十]+、|其[一二三四五六七八九十][，、是]|"
    r"首先[，、]|其次[，、]|再次[，、]|最后[，、])"
)
# A later item of a list inside one sentence: "一是…，二是…", "…：一要…", "第一，…。第二，".
# (Matched on the punctuation itself, which is much faster than a look-behind at every place.)
_INNER_ITEM = re.compile(
    r"[，、](?=[二三四五六七八九十][是要][^求素点件]|第[二三四五六七八九十][，、]|[（(][二三四五六七八九十2-9][）)])"
    r"|[：:](?=一是|一要[^求素点件]|第一[，、]|[（(][一1][）)]|1[、.．])"
)
# What a news site prints around a report: a whole line of it is skipped.
_FURNITURE = re.compile(
    r"^[（(【\[]?\s*(?:来源|时间|发布时间|发布日期|日期|作者|编辑|责任编辑|责编|审核|校对|终审|摄影|记者|通讯员|浏览|"
    r"浏览次数|阅读|点击|字体|字号|打印|关闭|分享到|分享|扫一扫|扫码|原标题|音频|视频|图片|附件|相关链接|相关新闻|"
    r"上一篇|下一篇|返回|【|免责声明|版权|声明)\s*[：:／/|｜]?"
)
_DATELINE = re.compile(r"^(?:发布|时间|日期|\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?)")
_CREDIT = re.compile(r"^[（(]\s*(?:记者|通讯员|编辑|责编|责任编辑|来源|作者|文|图|摄)?[^（）()]{0,30}[）)]$")
_CLOSING_CREDIT = re.compile(
    r"[（(]\s*(?:记者|通讯员|编辑|责编|责任编辑|来源|作者)?[^（）()。，；]{1,24}[）)]\s*$"
)
# A unit that acts in a clause of its own: "财政部门督促…", "西关办事处加紧…", "市财政局要…".
_UNIT_SUFFIXES = [
    "部门",
    "单位",
    "局",
    "委",
    "办",
    "办事处",
    "公司",
    "集团",
    "中心",
    "街道",
    "乡镇",
    "镇街",
    "政府",
    "党委",
    "银行",
    "机构",
    "分局",
    "支队",
    "大队",
    "指挥部",
    "专班",
    "小组",
    "管委会",
    "办公室",
    "委员会",
    "学校",
    "医院",
    "企业",
    "县区",
    "县（市、区）",
    "县（区）",
    "各县",
    "各区",
    "各镇",
]
_UNIT_WORD = (
    r"(?:(?!督促|对|把|将|由|在|要(?![素点])|按照|确保|推动|推进|让|使)[^，。；：“”\s]{0,24}?(?:"
    + longest_of(_UNIT_SUFFIXES).pattern
    + "))"
)
_ACT_WORDS = [
    "也",
    "都",
    "均",
    "还",
    "要",
    "务必",
    "必须",
    "应当",
    "应",
    "须",
    "一定",
    "切实",
    "负责",
    "牵头",
    "督促",
    "加紧",
    "抓紧",
    "加快",
    "做好",
    "抓好",
    "完成",
    "推进",
    "落实",
    "加强",
    "配合",
    "会同",
    "联合",
    "组织",
    "开展",
    "立即",
    "尽快",
    "全力",
    "积极",
    "认真",
    "严格",
    "进一步",
    "持续",
    "迅速",
    "通报",
    "报送",
    "上报",
    "制定",
    "建立",
    "编制",
    "拨付",
    "启动",
    "实施",
    "指导",
    "协调",
    "保障",
]
_ACTS = (
    r"(?:每[月周年日天季]|定期|近期|立即|(?:[\d一二三四五六七八九十]{1,2}月)?(?:[\d一二三四五六七八九十]{1,3}日|底|中旬|上旬)前|"
    r"年内|年底前){0,2}(?:" + longest_of(_ACT_WORDS).pattern + ")"
)
_UNIT_CLAUSE_BODY = "(?:其中，?)?" + _UNIT_WORD + "(?:、" + _UNIT_WORD + ")*(?:等[^，。；]{0,6})?" + _ACTS
_UNIT_CLAUSE = re.compile("^" + _UNIT_CLAUSE_BODY)
_SUFFIX_ACTS = re.compile("(?:" + longest_of(_UNIT_SUFFIXES).pattern + ")(?:等[^，。；]{0,6})?" + _ACTS)
# A clause that acts (so the part before a unit's own clause is a task, not a heading with its reason).
_ACTION_START = re.compile(
    r"^(?:要|将|把|对|由|在|按照|进一步|切实|加快|加强|加大|抓紧|抓好|做好|推进|推动|建立|健全|完善|制定|落实|开展|组织|"
    r"实行|实施|严格|强化|确保|全力|积极|认真|坚决|深入|持续|统筹|优化|规范|提高|提升|聚焦|围绕|立足|紧盯|扎实|筑牢|"
    r"坚持|注重|创新|谋划|督促|压实|及时|尽快|立即|迅速|抓实|夯实|坚定|狠抓|全面)"
)
_HEADING_CLAUSE = 12
# "要深刻认识做好…工作的重要意义": how to think about the work, a heading rather than a task.
_AWARENESS = re.compile(r"^要?(?:深刻|充分|切实|进一步|清醒)?(?:认识|认清|意识到|理解|把握|看到)")
# After "目标：" or "“两个清零、三个不发生”目标：即…": the target's parts; a clause opening with one of
# these words carries on the part before it.
_ENUMERATED_TARGET = re.compile(
    r"(?:目标|任务)[：:](?=即)|[两三四五六七八九十\d]个[^，。；：]{0,20}?(?:目标|任务)[：:]"
)
_CARRIES_ON = re.compile(r"^(?:切实|确保|让|使|从而|以|为|进一步|努力|全力|力争|并|同时|坚决|做到|实现)")


_DISCLAIMER = re.compile(r"^(?:免责声明|版权|声明)")
_DATE_LINE = re.compile(r"^\d{4}[-年/.]\d{1,2}")
_SENTENCE_END = re.compile(r"[。；]")
_SENTENCE_MARK = re.compile(r"[。；！？]")
_CLAUSE_MARK = re.compile(r"[。；！？，]")
_COMMA = re.compile(r"[，,]")


def paragraphs(text: str):
    """(start, text) of each paragraph as the author wrote it: a line wrapped by an editor (ending
    without closing punctuation, or with a comma) is joined to the next, across blank lines too."""
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    start = None
    end = 0
    for index, (line_start, line) in enumerate(lines):
        stripped = line.strip()
        if start is None:
            if not stripped:
                continue
            start = line_start
        if stripped:
            end = line_start + len(line)
        if stripped and _continues(stripped, _next_line(lines, index)):
            continue
        if start is not None and (stripped or not _open_line(text[start:end])):
            yield start, text[start:end]
            start = None
    if start is not None:
        yield start, text[start:end]


def _next_line(lines: list, index: int) -> str:
    for position in range(index + 1, len(lines)):
        line = lines[position][1].strip()
        if line:
            return line
    return ""


def _open_line(paragraph: str) -> bool:
    return paragraph.rstrip().endswith(("，", "、"))


def _continues(line: str, following: str) -> bool:
    if not following or is_furniture(following) or NUMBERING.match(following):
        return False
    if line.endswith(("，", "、")):
        return True
    return (
        len(line) >= 20
        and "，" in line
        and not _LINE_CLOSED.search(line)
        and not _DATELINE.match(following)
        and not NUMBERING.match(line)
    )


def sentences(paragraph: str, offset: int):
    """(start, end) of each sentence of a paragraph, in the text's offsets."""
    for match in _SENTENCE.finditer(paragraph):
        if match.start() == match.end() or not paragraph[match.start() : match.end()].strip():
            continue
        yield offset + match.start(), offset + match.end()


def is_furniture(line: str) -> bool:
    """A line of the website around the report: source, time, editor, share bar, font size…"""
    line = line.strip()
    if not line:
        return True
    if _CREDIT.match(line):
        return True
    if _FURNITURE.match(line) and (len(line) <= 120 or _DISCLAIMER.match(line)):
        return True
    # "2020年12月04日09:52  来源：人民网" or "2019-09-09 点击:43": a date line without a sentence.
    return bool(_DATE_LINE.match(line)) and not _SENTENCE_END.search(line) and len(line) <= 80


def is_headline(paragraph: str) -> bool:
    """A headline or sub-headline: short, no sentence punctuation, no list number."""
    stripped = paragraph.strip()
    return (
        len(stripped) <= 60
        and not _SENTENCE_MARK.search(stripped)
        and not stripped.endswith(("：", ":", "，"))
        and not NUMBERING.match(stripped)
    )


def is_heading(paragraph: str) -> bool:
    """ "一、关于专项债券工作" on a line of its own names a topic; the requirements follow it."""
    stripped = paragraph.strip()
    return len(stripped) <= 30 and not _CLAUSE_MARK.search(stripped) and bool(NUMBERING.match(stripped))


def trailing_credit(sentence: str) -> int:
    """Where a closing byline ("（记者 王雪洁）", "（杨培华）") starts in a sentence, or its length."""
    match = _CLOSING_CREDIT.search(sentence)
    return match.start() if match else len(sentence)


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence's content cut into the requirements tracked separately (offsets into `text`)."""
    cuts = {start, end}
    segment = text[start:end]
    for match in _INNER_ITEM.finditer(segment):
        cuts.add(start + match.end())
    enumerated = _ENUMERATED_TARGET.search(segment)
    if enumerated:
        cuts.add(start + enumerated.end())
        cuts.update(_target_parts(text, start + enumerated.end(), end))
    ordered = sorted(cuts)
    result = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        result.extend(_unit_clauses(text, a, b))
    return [(a, b) for a, b in result if text[a:b].strip(" ，、：:。；")]


def _target_parts(text: str, start: int, end: int) -> list[int]:
    cuts = []
    for comma in _COMMA.finditer(text[start:end]):
        following = text[start + comma.end() : end]
        if following and not _CARRIES_ON.match(following):
            cuts.append(start + comma.end())
    return cuts


def _unit_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut before a clause whose subject is a named unit, when what comes before it is a task itself
    (not only a short heading and its reason: "要形成部门合力，部分项目涉及多个部门，相关部门要…")."""
    segment = text[start:end]
    cuts = []
    piece_start = 0
    for comma in _COMMA.finditer(segment):
        following = segment[comma.end() :]
        clause = following[: _clause_end(following)]
        # A unit's name runs straight into what it does: without that, no unit acts here (cheap test).
        if not _SUFFIX_ACTS.search(clause, 0, 40) or not _acting_unit(clause):
            continue
        clauses = _COMMA.split(segment[piece_start : comma.start()])
        if _is_task(clauses):
            cuts.append(comma.start())
            piece_start = comma.end()
    result = []
    piece_start = start
    for cut in cuts:
        result.append((piece_start, start + cut))
        piece_start = start + cut + 1
    result.append((piece_start, end))
    return result


def _clause_end(text: str) -> int:
    match = _COMMA.search(text)
    return match.start() if match else len(text)


_BARE_MARKER = re.compile(
    r"^(?:第[一二三四五六七八九十]+|[一二三四五六七八九十]+是|其[一二三四五六七八九十]|首先|其次|再次)$"
)


def _acting_unit(clause: str) -> bool:
    """A clause whose subject is a named unit and which says what it does ("西关办事处加紧推进…"), not
    only that it leads or helps ("区市场监管局、区卫健委配合")."""
    match = _UNIT_CLAUSE.match(clause)
    return bool(match) and len(clause) - match.end() >= 3


def _is_task(clauses: list[str]) -> bool:
    """Do these clauses hold a task of their own, beyond a short heading ("要形成部门合力")?"""
    if not clauses:
        return False
    body = [NUMBERING.sub("", clause).strip() for clause in clauses]
    if body and _BARE_MARKER.match(body[0]):
        body = body[1:]
    if not body:
        return False
    if any(_acting_unit(clause) for clause in body):
        return True
    if (
        len(body[0].removeprefix("要")) > _HEADING_CLAUSE
        and _ACTION_START.match(body[0])
        and not _AWARENESS.match(body[0])
    ):
        return True
    return any(_ACTION_START.match(clause) for clause in body[1:])
