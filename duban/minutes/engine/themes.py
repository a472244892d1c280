"""Themes of requirements from an editable keyword dictionary (theme -> keywords with weights)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

GENERAL = "general"
WEEKLY = "weekly"
# A requirement naming three themes or more, each once and none with this share of the weight, is a
# mixed list ("深化改革，巩固文明城市创建成果，保障民生福祉"): general.
MIXED = 0.5
_DATA = Path(__file__).with_name("data") / "themes.json"


@lru_cache(maxsize=1)
def _default_themes_json() -> str:
    return _DATA.read_text(encoding="utf-8")


def platform_themes() -> dict[str, list[str]]:
    """Each theme of the dictionary and the platform's theme codes it maps to, in order of preference."""
    return {
        theme: list(codes) for theme, codes in json.loads(_default_themes_json()).get("_platform", {}).items()
    }


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
        self._rank = {theme: i for i, theme in enumerate(self.order)}
        keywords = sorted(self._weights, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keywords)), re.IGNORECASE) if keywords else None

    def scores(self, text: str) -> dict[str, float]:
        """Each theme's keyword weight in `text` (themes without a keyword left out)."""
        scores: dict[str, float] = {}
        if self._pattern is None:
            return scores
        for match in self._pattern.finditer(text):
            for theme, weight in self._weights[match.group(0).lower()]:
                scores[theme] = scores.get(theme, 0.0) + weight
        return scores

    def best(self, scores: Mapping[str, float]) -> str:
        if not scores:
            return GENERAL
        return max(scores, key=lambda theme: (scores[theme], -self._rank[theme]))

    def classify(self, text: str) -> str:
        return self.best(self.scores(text))

    def classify_requirement(self, text: str, *, prior: str | None = None, weight: float = 0.0) -> str | None:
        """The theme of a requirement by its own words (`prior`, its meeting's theme, adding `weight`);
        None when it has none. A list that names the subjects of three themes or more, none of them
        dominant, is a mixed list: general."""
        scores = self.scores(text)
        if not scores:
            return None
        own = self.best(scores)
        if prior is not None:
            scores[prior] = scores.get(prior, 0.0) + weight
        top = self.best(scores)
        if scores[top] == scores[own]:
            top = own  # the meeting's subject decides only where the requirement's own words do not
        if len(scores) >= 3 and scores[top] < MIXED * sum(scores.values()) and self._hits(text, top) == 1:
            return GENERAL
        return top

    def _hits(self, text: str, theme: str) -> int:
        return sum(
            1
            for match in self._pattern.finditer(text)
            if any(t == theme for t, _weight in self._weights[match.group(0).lower()])
        )
