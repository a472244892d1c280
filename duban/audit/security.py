"""Writing the security log: logins, failed logins, logouts, refusals, exports (等保 2.0 security audit).

`record()` is the one way in. The login signals below record the authentication events; the pages'
RefusalMiddleware and the API's exception handler record refusals; `core.excel` records exports.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from duban.core.net import client_address

from .context import current_request
from .models import Channel, SecurityEvent, SecurityEventKind


def _channel(request) -> str:
    path = getattr(request, "path", "") or ""
    return Channel.API if path.startswith("/api/") else Channel.WEB


def record(kind: str, *, request=None, user=None, username: str = "", detail: str = "") -> SecurityEvent:
    """Add one entry; the request defaults to the current one (audit context), the user to its user."""
    if request is None:
        request = current_request()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    return SecurityEvent.objects.create(
        kind=kind,
        user_id=getattr(user, "pk", None),
        username=(getattr(user, "username", "") or username or "")[:150],
        address=client_address(request) if request is not None else None,
        channel=_channel(request) if request is not None else Channel.SYSTEM,
        path=(getattr(request, "path", "") or "")[:300],
        detail=str(detail)[:300],
    )


@receiver(user_logged_in, dispatch_uid="security_log_login")
def _logged_in(sender, request, user, **kwargs):
    record(SecurityEventKind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security_log_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    locked = getattr(request, "axes_locked_out", False)
    record(
        SecurityEventKind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
        detail="locked out" if locked else "",
    )


@receiver(user_logged_out, dispatch_uid="security_log_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(SecurityEventKind.LOGOUT, request=request, user=user)


def record_refusal(request, text: str) -> None:
    """A permission refusal (403) on a page or through the API."""
    if request is None:
        return
    record(SecurityEventKind.REFUSED, request=request, detail=text)
