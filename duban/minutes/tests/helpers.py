"""Shared helpers for the minutes tests: fixture texts and the scorer's matching rule."""

from __future__ import annotations

import json
import re
from pathlib import Path

from duban.minutes.engine import normalise

TEXTS = Path(__file__).with_name("texts")
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


def gold(name: str) -> list[dict]:
    return json.loads((TEXTS / name).read_text(encoding="utf-8"))["directives"]


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams after normalising, as the corpus scorer computes it."""

    def grams(value: str) -> set[str]:
        value = "".join(_KEEP.findall(normalise(value).text))
        return {value[i : i + 2] for i in range(len(value) - 1)} or {value}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def best_match(expected: str, texts: list[str]) -> float:
    return max((similarity(expected, candidate) for candidate in texts), default=0.0)
