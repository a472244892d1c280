"""Themes of requirements from an editable keyword dictionary (theme -> keywords with weights)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from .keywords import longest_of

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
        self._pattern = longest_of(self._weights)  # lower case, as the text is matched

    def scores(self, text: str) -> dict[str, float]:
        """Each theme's keyword weight in `text` (themes without a keyword left out)."""
        return self._tally(text)[0]

    def _tally(self, text: str) -> tuple[dict[str, float], dict[str, int]]:
        """Each theme's keyword weight in `text`, and how many keywords of it were found."""
        scores: dict[str, float] = {}
        hits: dict[str, int] = {}
        if self._pattern is None:
            return scores, hits
        for match in self._pattern.finditer(text.lower()):
            for theme, weight in self._weights[match.group(0)]:
                scores[theme] = scores.get(theme, 0.0) + weight
                hits[theme] = hits.get(theme, 0) + 1
        return scores, hits

    def best(self, scores: Mapping[str, float]) -> str:
        if not scores:
            return GENERAL
        return max(scores, key=lambda theme: (scores[theme], -self._rank[theme]))

    def classify(self, text: str) -> str:
        return self.best(self.scores(text))

    def subject(self, text: str, *, strength: float) -> str | None:
        """The one theme a meeting is about, from its words (its convening sentence, its headline):
        named with at least `strength`, at least half of all the themes named, not general nor the
        weekly cycle (a weekly meeting's items are not about the cycle); else None."""
        scores = self.scores(text)
        theme = self.best(scores)
        if theme in (GENERAL, WEEKLY) or scores[theme] < strength:
            return None
        return theme if scores[theme] >= 0.5 * sum(scores.values()) else None

    def classify_requirement(self, text: str, *, prior: str | None = None, weight: float = 0.0) -> str | None:
        """The theme of a requirement by its own words (`prior`, its meeting's theme, adding `weight`);
        None when it has none. A list that names the subjects of three themes or more, each once and
        none dominant, is a mixed list: general."""
        scores, hits = self._tally(text)
        if not scores:
            return None
        own = self.best(scores)
        if prior is not None:
            scores[prior] = scores.get(prior, 0.0) + weight
        top = self.best(scores)
        if scores[top] == scores[own]:
            top = own  # the meeting's subject decides only where the requirement's own words do not
        if len(scores) >= 3 and scores[top] < MIXED * sum(scores.values()) and hits.get(top, 0) == 1:
            return GENERAL
        return top
