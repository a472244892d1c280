"""Reading users, narrowed by the data scope."""

from django.db.models import Q, QuerySet

from .models import User
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
