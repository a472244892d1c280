"""An app's pages, each declared beside its view, so adding a page touches one place.

NetBox registers its object views the same way (`@register_model_view` beside the view class, the
URLs gathered by `get_model_urls`). An app's `views.py` (or each module of a `views/` package) says

    pages = Pages()                     # once, in views.py (or views/__init__.py)

    @pages.route("<int:pk>/edit/")      # the URL name is the view's name unless given
    @login_required
    def directive_edit(request, pk): …

and its `urls.py` is `app_name = "directives"; urlpatterns = pages.urlpatterns`.

A list's page and its Excel export are served from one `core.views.ListPage` by
`pages.list("", UNITS, name="unit_list", export="unit_export")`.

Where two routes could both match a path, the one with literal segments wins over the one with a
converter in that place (`bulletin/compile/` before `bulletin/<slug:kind>/`), whatever the order in
which the views are defined.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, path


def _specificity(pattern: URLPattern) -> tuple:
    # Literal segments sort before converters at the same place; otherwise the order is kept (stable).
    return tuple(1 if segment.startswith("<") else 0 for segment in str(pattern.pattern).split("/"))


class Pages:
    def __init__(self):
        self._patterns: list[URLPattern] = []

    @property
    def urlpatterns(self) -> list[URLPattern]:
        return sorted(self._patterns, key=_specificity)

    def route(self, route: str, *, name: str | None = None):
        """Serve the decorated view at `route` (relative to the app's prefix), named `name` or after the view."""

        def decorator(view):
            self._patterns.append(path(route, view, name=name or view.__name__))
            return view

        return decorator

    def list(
        self, route: str, listing, *, name: str, export: str | None = None, guard: Callable = login_required
    ):
        """Serve a list's page (a `core.views.ListPage`) at `route`, and with `export` (its URL name) the list's
        Excel export at `route + "export/"`; both behind `guard` (signed in, or `rule_required(rules.x)`)."""
        self._patterns.append(path(route, guard(listing.page), name=name))
        if export is not None:
            self._patterns.append(path(f"{route}export/", guard(listing.export), name=export))
