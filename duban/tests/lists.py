"""Checks every list shares: the page and the API answer the same query with the same rows."""

from __future__ import annotations

from urllib.parse import urlencode


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
