"""Pagination for pages: every list is paginated, and the size is bounded."""

from django import forms
from django.core.paginator import Paginator

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class _PageSizeForm(forms.Form):
    page_size = forms.IntegerField(min_value=1, required=False)


def page_size(request, *, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The page size the request asks for, bounded; the default when it asks for none or nonsense."""
    form = _PageSizeForm(request.GET)
    size = form.cleaned_data["page_size"] if form.is_valid() else None
    return min(size or default, MAX_PAGE_SIZE)


def paginate(request, queryset, *, per_page: int = DEFAULT_PAGE_SIZE, count: int | None = None):
    """The requested page of the list. `count`, when the caller already knows the total (e.g. from
    counts it shows anyway), spares the paginator a second scan of a large list."""
    paginator = Paginator(queryset, page_size(request, default=per_page))
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))
