"""Themes of requirements from an editable keyword dictionary (theme -> keywords with weights)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

GENERAL = "general"
_DATA = Path(__file__).with_name("data") / "themes.json"


@lru_cache(maxsize=1)
def _default_themes_json() -> str:
    return _DATA.read_text(encoding="utf-8")


def default_themes() -> dict[str, dict[str, float]]:
    """A fresh copy of the shipped dictionary, for callers that want to extend it."""
    raw = json.loads(_default_themes_json())
    return {theme: dict(words) for theme, words in raw.items() if not theme.startswith("_")}


class ThemeClassifier:
    """Scores each theme by its keywords found in a text; longest keywords win where they overlap."""

    def __init__(self, themes: Mapping[str, Mapping[str, float] | Iterable[str]] | None = None) -> None:
        themes = default_themes() if themes is None else themes
        self.order: list[str] = []
        self._weights: dict[str, list[tuple[str, float]]] = {}
        for theme, words in themes.items():
            if theme.startswith("_"):
                continue
            self.order.append(theme)
            pairs = words.items() if isinstance(words, Mapping) else ((word, 1.0) for word in words)
            for word, weight in pairs:
                if word:
                    self._weights.setdefault(word.lower(), []).append((theme, float(weight)))
        keywords = sorted(self._weights, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keywords)), re.IGNORECASE) if keywords else None

    def classify(self, text: str) -> str:
        if self._pattern is None:
            return GENERAL
        scores: dict[str, float] = {}
        for match in self._pattern.finditer(text):
            for theme, weight in self._weights[match.group(0).lower()]:
                scores[theme] = scores.get(theme, 0.0) + weight
        if not scores:
            return GENERAL
        rank = {theme: i for i, theme in enumerate(self.order)}
        return max(scores, key=lambda theme: (scores[theme], -rank[theme]))
