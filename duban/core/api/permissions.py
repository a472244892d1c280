"""API permissions: the data scope on writes (reads are narrowed by the view's selector), a rule for a
whole endpoint (`allowed_by`), and a rule per action (`ActionRules`)."""

from rest_framework import permissions

from duban.accounts.scope import can_change

from ..rules import require


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


class ActionRules(permissions.BasePermission):
    """Each action's rule (`view.action_rules = {"create": rules.is_manager, "close": …}`), asked before
    the payload is read: authorize first (a refused caller gets a 403, never a 400 about the payload).

    A list-level action (create) asks the rule of the user; an object's action asks it of the user and
    the object when the view fetches the object, which is the first thing each action does."""

    def has_permission(self, request, view):
        predicate = view.action_rules.get(view.action)
        if predicate is not None and not view.detail:
            require(predicate, request.user)
        return True

    def has_object_permission(self, request, view, obj):
        predicate = view.action_rules.get(view.action)
        if predicate is not None:
            require(predicate, request.user, obj)
        return True
