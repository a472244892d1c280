"""Assessment and ranking (考核排名): schemes and their indicator trees, periods and snapshots, the work
people add (manual entries, appeals, typical experiences)."""

from .periods import Period, PeriodState, Snapshot, SnapshotRow
from .schemes import (
    AUTOMATIC_SOURCES,
    Formula,
    Frequency,
    Grading,
    GroupWeight,
    Indicator,
    Member,
    PeriodType,
    Scheme,
    Source,
    UnitGroup,
    Visibility,
)
from .work import (
    Appeal,
    AppealState,
    EntryState,
    ExperienceState,
    ManualEntry,
    TypicalExperience,
)

__all__ = [
    "AUTOMATIC_SOURCES",
    "Appeal",
    "AppealState",
    "EntryState",
    "ExperienceState",
    "Formula",
    "Frequency",
    "Grading",
    "GroupWeight",
    "Indicator",
    "ManualEntry",
    "Member",
    "Period",
    "PeriodState",
    "PeriodType",
    "Scheme",
    "Snapshot",
    "SnapshotRow",
    "Source",
    "TypicalExperience",
    "UnitGroup",
    "Visibility",
]
