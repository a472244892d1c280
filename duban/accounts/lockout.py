"""The answer to a locked-out login (django-axes' `AXES_LOCKOUT_CALLABLE`): the lockout page for a
person at the login page, the API's error body for a program asking for a token — both 429 with
`Retry-After`, so that a client knows when to try again."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        text = _("连续登录失败次数过多，登录已暂时锁定，请 %(minutes)d 分钟后再试。") % {
            "minutes": settings.AXES_COOLOFF_TIME.total_seconds() // 60
        }
        response = JsonResponse({"detail": text, "code": "locked_out", "fields": {}}, status=429)
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    response["Retry-After"] = retry_after
    return response
