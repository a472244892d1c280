"""Reading users, narrowed by the data scope."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import User
from .roles import Role
from .scope import visible_to


def user_list(*, user, filters: dict | None = None) -> QuerySet[User]:
    users = visible_to(user, User.objects.select_related("unit"))
    filters = filters or {}
    if query := (filters.get("q") or "").strip():
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if role := filters.get("role"):
        users = users.filter(role=role)
    if unit := filters.get("unit"):
        users = users.filter(unit_id=unit)
    return users


def unit_liaisons(unit_ids: Iterable[int]) -> QuerySet[User]:
    """The active liaisons of these units (who is told when work lands on a unit)."""
    return User.objects.filter(unit_id__in=list(unit_ids), role=Role.LIAISON, is_active=True)
