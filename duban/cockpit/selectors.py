"""The cockpit's reads: each capability declares its cards in its selectors (`cockpit_cards`), counted
with its lists' own filters; the cockpit composes them in this order, in the user's scope."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from duban.bonds import selectors as bonds
from duban.core.cards import Card
from duban.directives import selectors as directives
from duban.ppp import selectors as ppp
from duban.weekly import selectors as weekly

CARD_SOURCES = (directives.cockpit_cards, weekly.cockpit_cards, bonds.cockpit_cards, ppp.cockpit_cards)
RED_LIST_LENGTH = 30


def cockpit_cards(*, user, today: date | None = None) -> list[Card]:
    """Every card of the user's cockpit: a constant number of queries, whatever the number of rows."""
    today = today or timezone.localdate()
    return [found for source in CARD_SOURCES for found in source(user=user, today=today)]


def red_list(*, user, length: int = RED_LIST_LENGTH) -> list:
    """The user's red directives being worked on, most overdue first, with their reasons."""
    rows = directives.red_list(directives.open_directive_list(user=user))[:length]
    return directives.with_light_reasons(rows)
