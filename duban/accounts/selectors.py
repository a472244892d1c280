"""Reading users, narrowed by the data scope."""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from duban.core.filters import filtered
from duban.core.rules import require

from .filters import AccountSecurityFilterSet, UserFilterSet
from .models import User
from .roles import Role
from .rules import may_manage_account_security
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


def account_security_list(*, user, filters=None) -> QuerySet[User]:
    """Every account as the security administrator manages it (no business data): whether it is
    locked out (from some address, within the cool-off), has an authenticator, and how many live API
    tokens it holds; narrowed by the list's filters."""
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    require(may_manage_account_security, user)
    now = timezone.now()
    locked = AccessAttempt.objects.filter(
        username=OuterRef("username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    )
    accounts = (
        User.objects.select_related("unit")
        .annotate(
            is_locked=Exists(locked),
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            live_tokens=Count("auth_token_set", filter=Q(auth_token_set__expiry__gt=now), distinct=True),
        )
        .order_by("username")
    )
    return filtered(AccountSecurityFilterSet, accounts, filters, user=user)
