"""The assessment's pages: schemes and rankings (`rankings`), appeals and manual entries (`work`),
typical experiences and their showcase (`experiences`), setting schemes up (`setup`). Every page is declared with its route."""

from . import experiences, rankings, setup, work  # noqa: F401  (the routes are declared on import)
from .common import pages

__all__ = ["pages"]
