"""Reading users, narrowed by the data scope."""

from collections.abc import Iterable

from django.db.models import QuerySet

from duban.core.filters import filtered

from .filters import UserFilterSet
from .models import User
from .roles import Role
from .scope import visible_to


def user_list(*, user, filters=None) -> QuerySet[User]:
    """The accounts the user may see, narrowed by the user list's filters (a dict or QueryDict)."""
    return filtered(UserFilterSet, visible_to(user, User.objects.select_related("unit")), filters, user=user)


def unit_liaisons(unit_ids: Iterable[int]) -> QuerySet[User]:
    """The active liaisons of these units (who is told when work lands on a unit)."""
    return User.objects.filter(unit_id__in=list(unit_ids), role=Role.LIAISON, is_active=True)


def unit_heads(unit_ids: Iterable[int]) -> QuerySet[User]:
    """The active heads (单位领导) of these units: who approves their reports where a unit asks for it."""
    return unit_liaisons(unit_ids).filter(is_unit_head=True)


def api_tokens(*, user):
    """The user's own API tokens (their prefixes and expiry; the keys themselves are not stored)."""
    from django.utils import timezone
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")
