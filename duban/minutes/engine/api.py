"""The engine's entry point: from minutes text to the meeting and its draft directives."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from .deadlines import find_deadline
from .directives import Found, find_directives
from .entities import Directory
from .meeting import Meeting, read_meeting
from .normalise import NormalisedText, normalise
from .themes import GENERAL, ThemeClassifier

_UNWRAP = re.compile(r"[ \t]*\n[ \t]*")
# The share of the work done once the text is normalised (about a third, measured on long reports).
NORMALISED = 0.3
FOUND = 0.7  # and once the requirements are found; what is left is reading each one


@dataclass(slots=True)
class Directive:
    text: str
    original: str
    start: int
    end: int
    theme: str
    units: list[dict] = field(default_factory=list)
    leaders: list[dict] = field(default_factory=list)
    deadline: date | None = None
    deadline_text: str | None = None

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "original": self.original,
            "start": self.start,
            "end": self.end,
            "theme": self.theme,
            "units": self.units,
            "leaders": self.leaders,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
        }


@dataclass(slots=True)
class MinutesResult:
    meeting: Meeting
    normalized: NormalisedText
    directives: list[Directive]

    @property
    def normalized_text(self) -> str:
        return self.normalized.text

    def to_dict(self) -> dict:
        return {
            "meeting": self.meeting.to_dict(),
            "normalized_text": self.normalized.text,
            "directives": [directive.to_dict() for directive in self.directives],
        }


def _theme(classifier: ThemeClassifier, normalised: str, *, found: Found) -> str:
    """The directive's own words decide; without a keyword, its whole sentence does (what was approved)."""
    for start in (found.start, found.sentence):
        theme = classifier.classify(normalised[start : found.end])
        if theme != GENERAL:
            return theme
    return GENERAL


def extract_minutes(
    text: str,
    *,
    meeting_date: date | None = None,
    units: list[dict] | None = None,
    leaders: list[dict] | None = None,
    themes: Mapping | None = None,
    today: date | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> MinutesResult:
    """Read the meeting and its requirements out of minutes or a news report (any script, pinyin or not).

    `meeting_date` (or a publication date found in the text) gives the year of a date written without one
    and is what deadlines are counted from; `units` and `leaders` are the directories names are matched
    against; `themes` replaces the keyword dictionary (theme -> {keyword: weight} or [keywords]).
    `on_progress(share)` is told how far the work got (0 to 1) as it goes; it may raise to stop it.
    """
    today = today or date.today()
    progress = on_progress or (lambda share: None)
    progress(0.0)
    normalised = normalise(text)
    progress(NORMALISED)
    length = max(len(normalised.text), 1)
    directory = Directory(units=units, leaders=leaders)
    meeting = read_meeting(normalised.text, directory=directory, reference=meeting_date, today=today)
    # The date read from the text was resolved against the given one, so it is the better of the two.
    reference = meeting.date or meeting_date or today
    classifier = ThemeClassifier(themes)
    directives = []
    found_all = find_directives(
        normalised.text,
        directory=directory,
        on_paragraph=lambda position: progress(NORMALISED + (FOUND - NORMALISED) * position / length),
    )
    for found in found_all:
        progress(FOUND + (1 - FOUND) * found.end / length)
        # A hard-wrapped paragraph keeps its line breaks in the normalised text, not in a directive's text.
        simplified = _UNWRAP.sub("", normalised.text[found.start : found.end])
        start, end = normalised.original_span(found.start, found.end)
        deadline = find_deadline(simplified, reference=reference)
        directives.append(
            Directive(
                text=simplified,
                original=text[start:end],
                start=start,
                end=end,
                theme=_theme(classifier, normalised.text, found=found),
                units=[
                    m.unit_dict() for m in directory.find_units(normalised.text[found.context : found.end])
                ],
                leaders=[mention.leader_dict() for mention in directory.find_leaders(simplified)],
                deadline=deadline.date if deadline else None,
                deadline_text=deadline.text if deadline else None,
            )
        )
    return MinutesResult(meeting=meeting, normalized=normalised, directives=directives)
