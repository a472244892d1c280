"""A cockpit card (领导驾驶舱): a figure and the two lists it counts, the page and the API's.

The capabilities declare their cards in their selectors (`cockpit_cards(*, user, today)`), counting
them with the same conditions their lists' FilterSets apply, so that the card's count is the count of
the list it opens; the cockpit composes them. The platform knows no capability: this is only the shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    count: int
    page_url: str
    api_url: str
    # How the card is coloured: "red", "yellow" or "" (plain).
    tone: str = ""


def card(
    key: str, title, count: int, *, page: str, api: str, query: dict, page_args=(), tone: str = ""
) -> Card:
    """A card whose page (a URL name and its arguments) and API list (a URL name) take the same query."""
    encoded = urlencode(query)
    return Card(
        key=key,
        title=str(title),
        count=count,
        page_url=f"{reverse(page, args=page_args)}?{encoded}",
        api_url=f"{reverse(api)}?{encoded}",
        tone=tone,
    )
