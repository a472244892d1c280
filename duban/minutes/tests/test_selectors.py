"""What the draft page reads: the texts cut into highlighted segments."""

from ..selectors import highlight


def test_highlight_clips_overlapping_spans_and_keeps_every_character():
    segments = highlight("abcdefghij", [(2, 6, 1, 1), (4, 8, 2, 2), (None, None, 3, 3)])
    assert "".join(s["text"] for s in segments) == "abcdefghij"
    assert [(s["text"], s["key"]) for s in segments] == [("ab", None), ("cdef", 1), ("gh", 2), ("ij", None)]
