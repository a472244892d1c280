"""A check every list page shares: its queries do not grow with its rows.

(Meant for `duban/tests/lists.py`, beside the page-and-API agreement; it lives here until core takes it.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str, query: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def assert_queries_do_not_grow(client, url: str, *, add_rows: Callable[[], object], most: int) -> None:
    """The page takes at most `most` queries, and no more once `add_rows()` has added rows."""
    few = page_queries(client, url)
    assert few <= most, (url, few)
    add_rows()
    assert page_queries(client, url) <= few, url
