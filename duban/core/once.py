"""Every create and confirm lands once: a double click, Back-then-save or a client's retry does the
work once and answers the repeat with what the first submission answered.

- Pages: a form carries a token issued with it (`{% load once %}{% once_token %}`, which
  `includes/form_fields.html` renders for every form page); API callers send an `Idempotency-Key`
  header.
- `OnceMiddleware` claims the key (a `Submission` row, unique per user) in the same transaction as
  the work the request does. A repeat waits for the first to commit, then finds the key taken and
  gets the first answer again: the page it went to (with a word that nothing was saved twice), or
  the API's status and body. Nothing is written twice and nobody is notified twice.
- Only a success keeps the claim: a page that redirects (the work was done; Post/Redirect/Get), or
  an API answer 2xx. A form shown again with its errors, or a refusal, frees the key, so the
  corrected form can be sent with the same token.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

TOKEN_FIELD = "_once"
HEADER = "Idempotency-Key"
MAX_KEY = 80
# Keys are kept long enough to catch a Back-then-save after lunch, then forgotten.
KEEP = timedelta(days=2)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def new_token() -> str:
    return uuid.uuid4().hex


def _api_user(request):
    """The API caller, authenticated as the API authenticates (a session or a token)."""
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    try:
        user = Request(
            request, authenticators=[a() for a in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
        ).user
    except APIException:
        return None  # the view refuses it in its turn
    return user


def _key(request) -> tuple[str, bool]:
    """(the submission's key, whether it came from an API caller); "" when the request has none."""
    header = request.headers.get(HEADER, "").strip()
    if header:
        return header[:MAX_KEY], True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return request.POST.get(TOKEN_FIELD, "").strip()[:MAX_KEY], False
    return "", False


def _replay(request, outcome: dict, *, api: bool):
    if api:
        response = HttpResponse(
            outcome.get("body", ""),
            status=outcome.get("status", 200),
            content_type=outcome.get("content_type", "application/json"),
        )
        response["Idempotent-Replayed"] = "true"
        return response
    messages.info(request, _("这份表单已经提交过，没有重复保存。"))
    return redirect(outcome.get("url") or request.path)


def _succeeded(response, *, api: bool) -> bool:
    if api:
        return 200 <= response.status_code < 300
    return response.status_code in (301, 302, 303) and bool(response.get("Location"))


def _outcome(response, *, api: bool) -> dict:
    if api:
        return {
            "status": response.status_code,
            "body": response.content.decode("utf-8", errors="replace"),
            "content_type": response.get("Content-Type", "application/json"),
        }
    return {"url": response["Location"]}


class OnceMiddleware:
    """Claims a submission's key in the transaction of its work (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in UNSAFE:
            return self.get_response(request)
        key, api = _key(request)
        if not key:
            return self.get_response(request)
        user = _api_user(request) if api else request.user
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        return self._once(request, user, key, api=api)

    def _once(self, request, user, key: str, *, api: bool):
        from .models import Submission

        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = Submission.objects.create(user=user, key=key, path=request.path[:255])
            except IntegrityError:
                first = Submission.objects.filter(user=user, key=key).first()
                if first is not None and first.outcome:
                    return _replay(request, first.outcome, api=api)
                return self.get_response(request)  # the first failed meanwhile: this one is new
            response = self.get_response(request)
            if _succeeded(response, api=api):
                claim.outcome = _outcome(response, api=api)
                claim.save(update_fields=["outcome"])
                Submission.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
            else:
                claim.delete()
            return response
