"""A directive's title: the clause of the requirement that names the task ("加大政府专项债券申报力度"),
not the slogan a sentence opens with ("转变观念、抢抓机遇"). No Django import.

Each clause is scored: a clause made of four-character slogans (强化责任、主动作为) or a bare phrase
(广泛调研) says how to work, not what to do; a clause that names the subject of a theme (专项债券, PPP
项目, 欠薪) and starts with a verb of action (加大, 建立, 完成…) names a task; a clause that only frames
the work (围绕…, 按照…, 以…), states a fact (…是个动态问题) or says what the work leads to (确保…取得实效)
does not; the first clause past the slogans is most often the task. The best clause wins; of equals,
the first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .themes import GENERAL, ThemeClassifier

MAX_TITLE = 40
_CLAUSES = re.compile(r"[，；。！？,;!?]")
# How a requirement is said, not what it requires: dropped from the start of a title.
_LEAD = re.compile(
    r"^(?:要|必须|务必|需要|需|应当|应|切实|进一步|认真|坚决|继续|不断|扎实|全力|积极|努力|着力|抓紧|尽快|加紧|一是|二是|三是|四是|五是|六是|七是|八是|九是|十是|一要|二要|三要|四要|五要|六要)+"
)
_SLOGAN = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})+$")
_ACTION = re.compile(
    r"^(?:加大|加快|加强|推进|推动|完成|建立|健全|完善|制定|编制|开展|规范|落实|贯彻|报送|审查|整改|实施|做好|"
    r"抓好|解决|打击|提高|争取|组织|启动|压实|排查|清理|督促|申报|储备|谋划|深化|摸清|把|将)"
)
_FRAME = re.compile(r"^(?:围绕|按照|结合|针对|根据|以|为|在|对|通过|坚持|立足|紧盯|紧扣|聚焦)")
# What the work should lead to, after the task itself: 确保…取得实效, 促进形成…局面.
_OUTCOME = re.compile(r"^(?:确保|促进|实现|引领|力争|争创)")
# A statement of fact inside the requirement: 农民工工资问题是个动态问题.
_STATEMENT = re.compile(r"是|事关|在于")


@lru_cache(maxsize=1)
def _classifier() -> ThemeClassifier:
    return ThemeClassifier()


def _is_slogan(clause: str) -> bool:
    return len(clause) <= 4 or bool(_SLOGAN.match(clause))


def _score(clause: str, classifier: ThemeClassifier, *, first: bool) -> int:
    if len(clause) < 2:
        return -10
    if _SLOGAN.match(clause):
        return -5
    score = -3 if len(clause) <= 4 else 0
    action = bool(_ACTION.match(clause))
    if action:
        score += 2
    elif _STATEMENT.search(clause):
        score -= 4
    if classifier.classify(clause) != GENERAL:
        score += 2
    if _FRAME.match(clause):
        score -= 3
    if _OUTCOME.match(clause):
        score -= 1
    if 6 <= len(clause) <= 24:
        score += 1
    elif len(clause) > 30:
        score -= 2
    if first:
        score += 1
    return score


def task_title(text: str, *, classifier: ThemeClassifier | None = None) -> str:
    """The clause of `text` that names its task, at most 40 characters."""
    classifier = classifier or _classifier()
    clauses = [_LEAD.sub("", part.strip(" 　\t\n、：:")) for part in _CLAUSES.split(text)]
    clauses = [clause for clause in clauses if clause]
    if not clauses:
        return text.strip()[:MAX_TITLE]
    lead = next((i for i, clause in enumerate(clauses) if not _is_slogan(clause)), None)
    best = max(
        enumerate(clauses), key=lambda item: (_score(item[1], classifier, first=item[0] == lead), -item[0])
    )[1]
    return best if len(best) <= MAX_TITLE else best[: MAX_TITLE - 1] + "…"
