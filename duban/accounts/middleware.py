"""The account controls every signed-in request passes (等保 2.0 identification and authentication):

1. the idle limit: a session unused for DUBAN_SESSION_IDLE_MINUTES is ended (recorded as such);
2. the second factor: the office and administrators (DUBAN_REQUIRE_2FA), and anyone who enrolled an
   authenticator, confirm a TOTP code before anything else; the office enrols at its first login;
3. the password: one the office set (first login) or older than DUBAN_PASSWORD_MAX_AGE_DAYS is changed
   before anything else.

A page request is sent to the page that resolves it; an API call made with the session is refused
(403) with the same reason. API calls with a token are not sessions: tokens expire by themselves.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from duban.audit.models import SecurityEventKind
from duban.audit.security import record

from .services import password_expired

LAST_SEEN = "duban_last_seen"
# Set at login for a user with an authenticator, so that no request has to look for one.
SECOND_FACTOR_PENDING = "duban_second_factor"
# How often the last-seen time is written back (a session write per request would be wasteful).
TOUCH_SECONDS = 60


def _exempt_paths() -> tuple[str, ...]:
    names = ["accounts:login", "accounts:logout", "accounts:password_change", "accounts:second_factor"]
    names += ["accounts:second_factor_setup", "set_language", "javascript-catalog"]
    return (*(reverse(name) for name in names), f"/{settings.STATIC_URL.lstrip('/')}")


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _exempt_path(self, path: str) -> bool:
        if self._exempt is None:
            self._exempt = _exempt_paths()
        return path.startswith(self._exempt)

    def _check(self, request, user):
        now = time.time()
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is not None and now - last_seen > settings.DUBAN_SESSION_IDLE_MINUTES * 60:
            record(SecurityEventKind.SESSION_EXPIRED, request=request, user=user)
            request.session.flush()
            request.user = AnonymousUser()
            if request.path.startswith("/api/"):
                return None  # answered as unauthenticated (401) by the API
            messages.info(
                request,
                _("您已超过 %(minutes)d 分钟未操作，请重新登录。")
                % {"minutes": settings.DUBAN_SESSION_IDLE_MINUTES},
            )
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
        if last_seen is None or now - last_seen > TOUCH_SECONDS:
            request.session[LAST_SEEN] = now
        if self._exempt_path(request.path):
            return None
        wants_code = user.needs_second_factor or request.session.get(SECOND_FACTOR_PENDING)
        if wants_code and not user.is_verified():
            return self._send(
                request, "accounts:second_factor", _("请先完成双因素认证（输入手机验证器上的验证码）。")
            )
        if password_expired(user):
            return self._send(
                request, "accounts:password_change", _("请先修改密码：首次登录或密码已超过使用期限。")
            )
        return None

    def _send(self, request, name: str, reason: str):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": reason, "code": "account_action_required", "fields": {}}, status=403
            )
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
