"""The engine's entry point: from minutes text to the meeting and its draft directives."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from duban.workcalendar.days import WorkingCalendar

from .deadlines import find_deadline
from .directives import LOW, Found, Reading, read_requirements
from .entities import Directory
from .meeting import Meeting, publication_date, read_meeting, year_named
from .normalise import NormalisedText, normalise
from .themes import GENERAL, ThemeClassifier

_UNWRAP = re.compile(r"[ \t]*\n[ \t]*")
MEETING_SPEAKER = "会议"  # a requirement laid by the meeting itself, not by one person
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
    confidence: float = 1.0
    speaker: str | None = None
    speaker_title: str | None = None
    meeting: str | None = None

    @property
    def low_confidence(self) -> bool:
        """A guess the office should look at first (the fallback's proposals, the weakest readings)."""
        return self.confidence < LOW

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
            "confidence": self.confidence,
            "low_confidence": self.low_confidence,
            "speaker": self.speaker,
            "speaker_title": self.speaker_title,
            "meeting": self.meeting,
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


# How much the subject of the meeting (its convening sentence and the headline) adds to a theme the
# requirement's own words name: a meeting on special bonds reads "强化督导" as bond work.
MEETING_PRIOR = 2.0
# A meeting is about one theme when its words name it this strongly.
TOPICAL = 2.0


def _theme(classifier: ThemeClassifier, own: str, *, sentence: str, subject: str | None) -> str:
    """The requirement's own words decide (`own`, without the names of the units that act), leaning
    to the subject of its section and meeting (`subject`, when they have one); without a keyword, its
    sentence does (what was approved), then that subject."""
    theme = classifier.classify_requirement(own, prior=subject, weight=MEETING_PRIOR)
    if theme is not None:
        return theme
    theme = classifier.classify(sentence)
    if theme != GENERAL:
        return theme
    return subject or GENERAL


class _Directives:
    """Turns what the reader found into directives: text, span, theme, units, leaders, deadline."""

    def __init__(
        self,
        text: str,
        normalised: NormalisedText,
        reading: Reading,
        *,
        directory,
        classifier,
        reference,
        working,
    ):
        self.text = text
        self.normalised = normalised
        self.reading = reading
        self.directory = directory
        self.classifier = classifier
        self.reference = reference
        self.working = working
        # The headline names the subject of the report's one meeting; of several, each has its own.
        self._headline = reading.headline if len(reading.meetings) <= 1 else ""
        self._subjects: dict[tuple[str, str], str | None] = {}

    def _subject(self, heading: str, meeting: str) -> str | None:
        """The theme the section's heading and the meeting are about, if one (read once for each)."""
        key = (heading, meeting)
        if key not in self._subjects:
            context = " ".join((heading, meeting, self._headline))
            self._subjects[key] = self.classifier.subject(context, strength=TOPICAL)
        return self._subjects[key]

    def directive(self, found: Found) -> Directive:
        normalised = self.normalised.text
        # A hard-wrapped paragraph keeps its line breaks in the normalised text, not in a directive's text.
        simplified = _UNWRAP.sub("", normalised[found.start : found.end])
        start, end = self.normalised.original_span(found.start, found.end)
        deadline = find_deadline(simplified, reference=self.reference, working=self.working)
        units = self.directory.find_units(normalised[found.context : found.end])
        meeting = self.reading.meetings[found.meeting]
        heading = normalised[found.topic[0] : found.topic[1]] if found.topic else ""
        # The sentence's words before the requirement (what was approved, the topic): the requirement's
        # own are read apart.
        own, sentence = simplified, normalised[found.sentence : max(found.sentence, found.start)]
        for unit in units:
            own, sentence = own.replace(unit.matched, " "), sentence.replace(unit.matched, " ")
        return Directive(
            text=simplified,
            original=self.text[start:end],
            start=start,
            end=end,
            theme=_theme(
                self.classifier, own, sentence=sentence, subject=self._subject(heading, meeting.sentence)
            ),
            units=[m.unit_dict() for m in units],
            leaders=[mention.leader_dict() for mention in self.directory.find_leaders(simplified)],
            deadline=deadline.date if deadline else None,
            deadline_text=deadline.text if deadline else None,
            confidence=found.confidence,
            speaker=found.speaker.name or MEETING_SPEAKER,
            speaker_title=found.speaker.title,
            meeting=meeting.name or None,
        )


def extract_minutes(
    text: str,
    *,
    meeting_date: date | None = None,
    units: list[dict] | None = None,
    leaders: list[dict] | None = None,
    themes: Mapping | None = None,
    today: date | None = None,
    on_progress: Callable[[float], None] | None = None,
    working: WorkingCalendar | None = None,
) -> MinutesResult:
    """Read the meeting and its requirements out of minutes or a news report (any script, pinyin or not).

    `meeting_date` (or a publication date found in the text) gives the year of a date written without one
    and is what deadlines are counted from; `units` and `leaders` are the directories names are matched
    against; `themes` replaces the keyword dictionary (theme -> {keyword: weight} or [keywords]).
    `on_progress(share)` is told how far the work got (0 to 1) as it goes; it may raise to stop it.
    `working` is the working calendar "N个工作日内" is counted on (the platform's, with its holidays).
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
    reference = (
        meeting.date
        or meeting_date
        or publication_date(normalised.text)
        or year_named(normalised.text)
        or today
    )
    reading = read_requirements(
        normalised.text,
        directory=directory,
        on_paragraph=lambda position: progress(NORMALISED + (FOUND - NORMALISED) * position / length),
    )
    making = _Directives(
        text,
        normalised,
        reading,
        directory=directory,
        classifier=ThemeClassifier(themes),
        reference=reference,
        working=working,
    )
    directives = []
    for found in reading.found:
        progress(FOUND + (1 - FOUND) * found.end / length)
        directives.append(making.directive(found))
    return MinutesResult(meeting=meeting, normalized=normalised, directives=directives)
