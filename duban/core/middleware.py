"""The platform's middleware: the request log, Chinese first, refusals shown as messages, headers.

Chinese first: the language is the user's explicit choice (the language switch), else zh-hans.
Django's LocaleMiddleware would follow the browser's Accept-Language, which shows English to an
office whose computers happen to be set up in English; the platform's default is Chinese.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response

from .errors import DomainError, describe
from .logs import bind_request_id, new_request_id, sane_request_id, unbind_request_id
from .net import from_trusted_proxy

request_log = logging.getLogger("duban.request")


class RequestLogMiddleware:
    """Give each request its id and log it (core/logs.py).

    The id is the `X-Request-ID` a trusted proxy sent (DUBAN_TRUSTED_PROXIES) when it is sane, else a
    new one; it is on every log line written while the request is answered and in the response's
    `X-Request-ID`. Each request is logged at INFO on `duban.request` (method, path without its query,
    status, milliseconds, user id); one slower than DUBAN_SLOW_REQUEST_SECONDS at WARNING.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = (
            sane_request_id(request.headers.get("X-Request-ID")) if from_trusted_proxy(request) else None
        )
        request.request_id = incoming or new_request_id()
        token = bind_request_id(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            if response.status_code >= 400:
                # Django logs 4xx and 5xx after the middleware returns; logged here, the line has the id.
                log_response(f"{response.reason_phrase}: {request.path}", response=response, request=request)
            self._log(request, response, time.perf_counter() - started)
            return response
        finally:
            unbind_request_id(token)

    @staticmethod
    def _log(request, response, seconds: float) -> None:
        slow = settings.DUBAN_SLOW_REQUEST_SECONDS
        level = logging.WARNING if slow and seconds >= slow else logging.INFO
        if not request_log.isEnabledFor(level):
            return
        user = getattr(request, "user", None)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        }
        text = "slow request %s %s %s %.0f ms" if level == logging.WARNING else "%s %s %s %.0f ms"
        request_log.log(
            level, text, request.method, request.path, response.status_code, seconds * 1000, extra=fields
        )


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = (
                translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
            )
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefusalMiddleware:
    """Pages' half of the one error mapping: a service's refusal becomes a message, never a 500.

    A refused POST (the usual case: a button on an object's page) goes back to the page it came from
    with the reason as an error message; an htmx request gets the message in the page's message area;
    anything else gets the refusal page with the right status. Permission and not-found errors keep
    Django's own 403 and 404 pages. Views catch nothing; forms that show errors beside their fields
    use `core.forms.service_errors_into(form)`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        refusal = describe(exception)
        if refusal is not None and refusal.status == 403:
            from duban.audit.security import record_refusal

            record_refusal(request, refusal.as_text())
        if refusal is None or not isinstance(exception, (DomainError, ValidationError)):
            return None  # a bug (500), or Django's own PermissionDenied / Http404 pages
        text = refusal.as_text()
        if refusal.status in (403, 404):
            return render(request, f"{refusal.status}.html", {"text": text}, status=refusal.status)
        if request.headers.get("HX-Request"):
            response = render(request, "includes/refusal_alert.html", {"text": text})
            response["HX-Retarget"] = "#page-messages"
            response["HX-Reswap"] = "beforeend"
            return response
        back = request.META.get("HTTP_REFERER", "")
        if (
            request.method == "POST"
            and back
            and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            messages.error(request, text)
            return redirect(back)
        return render(request, "refused.html", {"text": text, "refusal": refusal}, status=refusal.status)


class SecurityHeadersMiddleware:
    """The headers django's SecurityMiddleware does not set (docs/security.md):

    - `Permissions-Policy`: no camera, microphone, geolocation… for any page;
    - `Cache-Control: no-store` on everything a signed-in user is answered (pages, exports, files)
      and on every API answer, so that no shared computer's browser cache keeps government data.
    Static files (WhiteNoise answers them before this middleware) keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.DUBAN_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
