"""Shared pieces of the REST API: pagination, and the permission that applies the data scope."""

from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination

from duban.accounts.scope import can_change


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ScopedObjectPermission(permissions.IsAuthenticated):
    """Reading is narrowed by the view's queryset (visible_to); writing needs can_change."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_change(request.user, obj)
