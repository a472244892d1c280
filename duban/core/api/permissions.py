"""API permissions: the data scope on writes (reads are narrowed by the view's selector), and a rule."""

from rest_framework import permissions

from duban.accounts.scope import can_change


class ScopedObjectPermission(permissions.IsAuthenticated):
    """Reading is narrowed by the view's queryset (visible_to); writing needs can_change."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_change(request.user, obj)


def allowed_by(predicate) -> type[permissions.BasePermission]:
    """A permission class for an endpoint the predicate allows: `permission_classes = [allowed_by(rules.x)]`."""

    class RulePermission(permissions.IsAuthenticated):
        def has_permission(self, request, view):
            return super().has_permission(request, view) and predicate.test(request.user)

    RulePermission.__name__ = RulePermission.__qualname__ = f"AllowedBy_{predicate.name}"
    return RulePermission
