"""The scoring of an assessment period (考核计分): pure maths without Django.

Shared by the platform's schemes (`assessment.services`), the `duban assessment score` command and the
API, so a unit's score reads the same everywhere. Import from here; the modules are an arrangement:

- `inputs`: the scheme (groups, indicators, grades) and the values, and their validation;
- `compute`: the four formulas, the sharing of a not-applicable weight, the score, rank and grade;
- `serialisation`: the JSON in and out of `duban assessment score`.
"""

from .compute import Line, Row, score
from .inputs import (
    BETTER,
    FORMULAS,
    Indicator,
    Scheme,
    ScoringInputError,
)
from .serialisation import (
    grades_from_list,
    indicator_from_dict,
    quotas_from_list,
    read,
    rows_as_dict,
    scheme_from_dict,
    values_from_dict,
)

__all__ = [
    "BETTER",
    "FORMULAS",
    "Indicator",
    "Line",
    "Row",
    "Scheme",
    "ScoringInputError",
    "grades_from_list",
    "indicator_from_dict",
    "quotas_from_list",
    "read",
    "rows_as_dict",
    "scheme_from_dict",
    "score",
    "values_from_dict",
]
