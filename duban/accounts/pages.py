"""The two page shapes the platform's apps share: a filtered list, and a page with one form.

They belong in `core/views.py` beside `import_page` (and their templates, `form_page.html` and
`includes/filter_form.html`, beside `core/import.html`); they live here until core takes them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import render

from duban.core.forms import service_errors_into
from duban.core.pagination import paginate


def list_page(request, template: str, rows, filterset_class=None, **context):
    """The rows paginated (`page_obj`) and, for a list that has one, its FilterSet (`filterset`).

    The rows come from the list's selector, which applied the same FilterSet to `request.GET`.
    """
    if filterset_class is not None:
        context["filterset"] = filterset_class(request.GET, user=request.user)
    return render(request, template, {"page_obj": paginate(request, rows), **context})


def form_page(request, form, *, save: Callable, template: str = "form_page.html", **context):
    """A form's page: on a valid POST `save(form)` calls the service and answers (a redirect); a
    refusal lands on the form instead. `form_page.html` wants `title` and `cancel_url`."""
    if request.method == "POST" and form.is_valid():
        with service_errors_into(form):
            return save(form)
    return render(request, template, {"form": form, **context})
