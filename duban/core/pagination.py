"""Pagination for pages: every list is paginated, and the size is bounded."""

from django.core.paginator import Paginator

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def paginate(request, queryset, *, per_page: int = DEFAULT_PAGE_SIZE):
    try:
        per_page = max(1, min(int(request.GET.get("page_size", per_page)), MAX_PAGE_SIZE))
    except ValueError:
        per_page = DEFAULT_PAGE_SIZE
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
