"""A regular expression that finds the longest of many literal words at each place, built as a trie
(each character is tried once per place, not once per word), for the theme keywords and the
directories' names. No Django import."""

from __future__ import annotations

import re
from collections.abc import Iterable


def longest_of(words: Iterable[str]) -> re.Pattern | None:
    """The pattern matching any of `words`, the longest where several start at the same place (case
    matters: lower both the words and the text to match without it, which is much faster than
    re.IGNORECASE)."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None
    return re.compile(_branch(trie))


def _branch(node: dict) -> str:
    """The pattern of what may follow `node`; the branches start with distinct characters, so at most
    one can go on and the optional end (`?`, greedy) leaves the longest word matched."""
    ends = "" in node
    branches = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body
