"""Checks every list shares: the page and the API answer the same query with the same rows, and a
page's queries do not grow with its rows."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_rows(client, url: str, query: dict, *, page_size: int = 200) -> list[int]:
    """The ids of the rows a list page shows for the query (its `page_obj`)."""
    response = client.get(f"{url}?{urlencode({**query, 'page_size': page_size}, doseq=True)}")
    assert response.status_code == 200, (url, query, response.status_code)
    return [row.pk for row in response.context["page_obj"]]


def api_rows(client, url: str, query: dict, *, page_size: int = 200) -> list[int]:
    """The ids of the rows a list endpoint answers for the query."""
    response = client.get(url, {**query, "page_size": page_size})
    assert response.status_code == 200, (url, query, response.status_code, response.content[:300])
    body = response.json()
    return [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]


def assert_page_and_api_agree(page_client, page_url: str, api_client, api_url: str, query: dict) -> list[int]:
    """Same rows, same order; returns them so the test can also say which rows they should be."""
    page = page_rows(page_client, page_url, query)
    api = api_rows(api_client, api_url, query)
    assert page == api, (query, page, api)
    return page


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
