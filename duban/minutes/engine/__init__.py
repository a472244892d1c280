"""The minutes text engine: reading, normalising and extracting directives, with no Django import."""

from .api import Directive, MinutesResult, extract_minutes
from .boilerplate import trim_boilerplate
from .errors import (
    BinaryInputError,
    DocumentError,
    EmptyInputError,
    InputNotFoundError,
    MinutesError,
    UnknownEncodingError,
)
from .normalise import NormalisedText, normalise
from .reading import read_bytes, read_path
from .themes import ThemeClassifier, default_themes

__all__ = [
    "BinaryInputError",
    "Directive",
    "DocumentError",
    "EmptyInputError",
    "InputNotFoundError",
    "MinutesError",
    "MinutesResult",
    "NormalisedText",
    "ThemeClassifier",
    "UnknownEncodingError",
    "default_themes",
    "extract_minutes",
    "normalise",
    "read_bytes",
    "read_path",
    "trim_boilerplate",
]
