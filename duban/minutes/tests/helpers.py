"""Shared helpers for the minutes tests: fixture texts, the workplace's shared corpus, and the scorer's
matching rule.

The seed report and the development corpus are news reports written by others: they stay in the
workplace's `shared` folder beside the checkout (`../shared`, as CI has it) and are read from there;
a test that needs them is skipped where that folder is absent. The texts under `texts/` were written
for these tests.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from duban.minutes.engine import normalise

TEXTS = Path(__file__).with_name("texts")
REPOSITORY = Path(__file__).resolve().parents[3]
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def shared_dir() -> Path | None:
    """The workplace's shared folder: $DUBAN_SHARED_DIR, else `shared` beside the checkout (or beside
    a folder holding it, for a worktree)."""
    configured = os.environ.get("DUBAN_SHARED_DIR")
    if configured:
        return Path(configured) if Path(configured).is_dir() else None
    for parent in REPOSITORY.parents:
        candidate = parent / "shared"
        if (candidate / "corpus").is_dir() or (candidate / "seed").is_dir():
            return candidate
    return None


def corpus_dir() -> Path:
    """The development corpus (../shared/corpus/minutes-dev), or the test is skipped."""
    shared = shared_dir()
    corpus = shared / "corpus" / "minutes-dev" if shared else None
    if corpus is None or not corpus.is_dir():
        pytest.skip("the shared minutes corpus (../shared/corpus/minutes-dev) is not here")
    return corpus


def seed_path() -> Path:
    """The seed report as the workplace keeps it (../shared/seed/), or the test is skipped."""
    shared = shared_dir()
    seeds = sorted((shared / "seed").glob("*.txt")) if shared and (shared / "seed").is_dir() else []
    if not seeds:
        pytest.skip("the shared seed report (../shared/seed/) is not here")
    return seeds[0]


def text(name: str) -> str:
    if name == "seed.txt":
        return seed_path().read_text(encoding="utf-8")
    return (TEXTS / name).read_text(encoding="utf-8")


def gold(name: str) -> list[dict]:
    path = corpus_dir() / name if name == "seed.json" else TEXTS / name
    return json.loads(path.read_text(encoding="utf-8"))["directives"]


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams after normalising, as the corpus scorer computes it."""

    def grams(value: str) -> set[str]:
        value = "".join(_KEEP.findall(normalise(value).text))
        return {value[i : i + 2] for i in range(len(value) - 1)} or {value}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def best_match(expected: str, texts: list[str]) -> float:
    return max((similarity(expected, candidate) for candidate in texts), default=0.0)
