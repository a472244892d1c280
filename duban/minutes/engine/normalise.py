"""Normalising minutes text (pinyin annotations, traditional script, punctuation) with a map back to the original."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
# Pinyin readings are written in lower case; "(PPP)" or "(AI)" are abbreviations, never readings.
_SYLLABLE = f"[a-z{_TONED}]{{1,7}}[1-5]?"
# Some sites print a word's reading unspaced: 会议(huìyì), 自然村(zìráncūn).
_WORD_READING = f"[a-z{_TONED}]{{8,28}}"
_MAX_WORD = 4
# Anchored on the parenthesis, not on the characters, so the search stays linear in the text's length.
_PINYIN = re.compile(rf"[(（]\s*(?P<reading>{_WORD_READING}|{_SYLLABLE}(?:[ \u3000]+{_SYLLABLE})*)\s*[)）]")
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# A run of blanks inside a line becomes one space; blanks at the ends of a line go.
_BLANKS = re.compile(r"[ \t\u00a0\u3000\u2000-\u200b\u202f\u205f\ufeff]+")
_EDGE_BLANKS = re.compile(r"(?m)^ +| +$")

# Full-width forms of ASCII letters, digits and signs become ASCII; Chinese punctuation is kept full width.
_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
for _kept in "，。；：！？（）":
    _TO_HALF.pop(ord(_kept), None)
_TO_HALF[0x3000] = " "
# ASCII punctuation between Chinese characters is the reposting sites' doing: make it Chinese again.
_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_HALF_PUNCT = re.compile(r"[,;:!?]")
_HALF_PARENS = re.compile(r"\((?P<inner>[^()\n]{0,200})\)|[()]")
_CHINESE_CONTEXT = re.compile(rf"[{_CJK_CLASS}“”‘’《》、，。；：！？（）]")


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """Normalised text and, for each of its characters, the span [start, end) in the original it comes from."""

    text: str
    original: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that the normalised span [start, end) was made from."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalise(original: str, *, t2s: bool = True) -> NormalisedText:
    """Remove pinyin readings, convert to simplified, unify punctuation and blanks, keeping the offset map."""
    text, starts, ends = _edit(original, _pinyin_edits(original), attach_deleted=True)
    text, starts, ends = _compose(text, starts, ends, _NEWLINES, lambda m: "\n")
    text, starts, ends = _compose(text, starts, ends, _BLANKS, lambda m: " ")
    text, starts, ends = _compose(text, starts, ends, _EDGE_BLANKS, lambda m: "")
    if t2s:
        text, starts, ends = _to_simplified(text, starts, ends)
    text = _unify_punctuation(text)
    return NormalisedText(text=text, original=original, starts=starts, ends=ends)


def _pinyin_edits(text: str) -> list[tuple[int, int, str]]:
    edits = []
    last: tuple[int, str] | None = None  # where the last reading removed ended, and what it read
    for match in _PINYIN.finditer(text):
        reading = match["reading"]
        if last is not None and last == (match.start(), reading):
            edits.append((match.start(), match.end(), ""))  # printed twice: 禁烧(jìnshāo)(jìnshāo)
            last = (match.end(), reading)
            continue
        if match.start() == 0 or not _CJK_CHAR.match(text[match.start() - 1]):
            continue
        if _reads_before(text, match.start(), reading):
            edits.append((match.start(), match.end(), ""))
            last = (match.end(), reading)
    return edits


def _reads_before(text: str, end: int, reading: str) -> bool:
    """Does `reading` read the characters just before `end` (one syllable each, spaced or not)?"""
    syllables = reading.split()
    if len(syllables) > 1:
        readers = text[max(0, end - len(syllables)) : end]
        return (
            len(readers) == len(syllables)
            and all(_CJK_CHAR.match(char) for char in readers)
            and all(_reads_as(char, syllable) for char, syllable in zip(readers, syllables, strict=True))
        )
    for size in range(1, _MAX_WORD + 1):
        readers = text[max(0, end - size) : end]
        if len(readers) < size or not all(_CJK_CHAR.match(char) for char in readers):
            return False
        if _spells(readers, reading.lower()):
            return True
    return False


def _spells(chars: str, reading: str) -> bool:
    """Can `reading` be cut into one reading of each of `chars`, in order?"""
    if len(chars) == 1:
        return bool(reading) and _reads_as(chars, reading)
    if not chars:
        return not reading
    if not reading:
        return False
    for size in range(1, min(7, len(reading)) + 1):
        if _reads_as(chars[0], reading[:size]) and _spells(chars[1:], reading[size:]):
            return True
    return False


@lru_cache(maxsize=8192)
def _reads_as(char: str, syllable: str) -> bool:
    """True when `syllable` is one of the readings of `char` (tone marks, tone digits or none)."""
    from pypinyin import Style, pinyin

    syllable = syllable.lower().replace("v", "ü")
    if syllable[-1].isdigit():
        styles, syllable = (Style.TONE3,), syllable
    elif any(c in _TONED and c != "ü" for c in syllable):
        styles = (Style.TONE,)
    else:
        styles = (Style.NORMAL, Style.TONE)
    candidates = {char, _t2s_char(char)}
    for candidate in candidates:
        for style in styles:
            readings = pinyin(candidate, style=style, heteronym=True, errors="ignore", v_to_u=True)
            if readings and syllable in {r.lower() for r in readings[0]}:
                return True
    return False


def _t2s_char(char: str) -> str:
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _edit(
    text: str, edits: list[tuple[int, int, str]], *, attach_deleted: bool = False
) -> tuple[str, list[int], list[int]]:
    """Apply sorted, non-overlapping (start, end, replacement) edits to `text`.

    Each new character maps to its own position, or to the whole replaced span. A deleted span is added to
    the end of the character before it when `attach_deleted` (a reading belongs to its character).
    """
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for start, end, replacement in edits:
        if start < pos:
            continue
        parts.append(text[pos:start])
        starts.extend(range(pos, start))
        ends.extend(range(pos + 1, start + 1))
        if replacement:
            parts.append(replacement)
            starts.extend([start] * len(replacement))
            ends.extend([end] * len(replacement))
        elif attach_deleted and ends and ends[-1] == start:
            ends[-1] = end
        pos = end
    parts.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return "".join(parts), starts, ends


def _compose(text: str, starts: list[int], ends: list[int], pattern: re.Pattern, replace) -> tuple:
    edits = [(m.start(), m.end(), replace(m)) for m in pattern.finditer(text)]
    edits = [e for e in edits if text[e[0] : e[1]] != e[2]]
    if not edits:
        return text, starts, ends
    new_text, local_starts, local_ends = _edit(text, edits)
    return (
        new_text,
        [starts[i] for i in local_starts],
        [ends[i - 1] for i in local_ends],
    )


def _to_simplified(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    convert = _converter().convert
    converted = convert(text)
    if len(converted) == len(text):
        return converted, starts, ends
    # A phrase conversion changed the length somewhere: fall back line by line, then character by character.
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for line in text.split("\n"):
        line_converted = convert(line)
        if len(line_converted) == len(line):
            out.append(line_converted)
            new_starts.extend(starts[pos : pos + len(line)])
            new_ends.extend(ends[pos : pos + len(line)])
        else:
            for offset, char in enumerate(line):
                piece = convert(char)
                out.append(piece)
                new_starts.extend([starts[pos + offset]] * len(piece))
                new_ends.extend([ends[pos + offset]] * len(piece))
        pos += len(line)
        if pos < len(text):
            out.append("\n")
            new_starts.append(starts[pos])
            new_ends.append(ends[pos])
            pos += 1
    return "".join(out), new_starts, new_ends


def _unify_punctuation(text: str) -> str:
    """Length-preserving, so the offset map stays as it is."""
    text = text.translate(_TO_HALF)
    text = _HALF_PUNCT.sub(lambda m: _full_if_chinese(text, m.start()), text)
    return _HALF_PARENS.sub(lambda m: _full_parens(text, m), text)


def _full_parens(text: str, match: re.Match) -> str:
    """A pair of parentheses is made full width as a pair, when it or its neighbours are Chinese."""
    if match["inner"] is None:
        return _full_if_chinese(text, match.start())
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if (
        _CHINESE_CONTEXT.search(match["inner"])
        or _CHINESE_CONTEXT.match(before)
        or _CHINESE_CONTEXT.match(after)
    ):
        return "（" + match["inner"] + "）"
    return match.group(0)


def _full_if_chinese(text: str, pos: int) -> str:
    char = text[pos]
    before = text[pos - 1] if pos > 0 else ""
    after = text[pos + 1] if pos + 1 < len(text) else ""
    if char == ":" and after == "/":  # a URL's scheme
        return char
    if char == "?" and (after.isalnum() or _CJK_CHAR.match(after or " ")):
        return char  # a stray "?" inside a word (mojibake: 龍?zhí…) ends no sentence
    if _CHINESE_CONTEXT.match(before) or _CHINESE_CONTEXT.match(after):
        return _TO_FULL[char]
    return char
