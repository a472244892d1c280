"""The permission that applies the data scope to writes (reads are narrowed by the view's selector)."""

from rest_framework import permissions

from duban.accounts.scope import can_change


class ScopedObjectPermission(permissions.IsAuthenticated):
    """Reading is narrowed by the view's queryset (visible_to); writing needs can_change."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_change(request.user, obj)
