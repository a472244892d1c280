"""Tie each request to the audit context: web pages and the API are told apart by path."""

from auditlog.cid import set_cid

from .context import audit_context
from .models import Channel


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_cid(request)
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        with audit_context(channel=channel, request=request):
            return self.get_response(request)
