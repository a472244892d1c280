"""Tie each request to the audit context (web pages and the API are told apart by path), and record
every file a signed-in user downloads (exports, evidence, notices) in the security log."""

from auditlog.cid import set_cid

from .context import audit_context
from .models import Channel, SecurityEventKind
from .security import record


def _attachment_name(response) -> str | None:
    disposition = response.get("Content-Disposition", "") if hasattr(response, "get") else ""
    if not disposition.startswith("attachment"):
        return None
    return disposition.partition("filename")[2].lstrip("*=").removeprefix("UTF-8''").strip('"') or "—"


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_cid(request)
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        with audit_context(channel=channel, request=request):
            response = self.get_response(request)
        name = _attachment_name(response) if response.status_code == 200 else None
        if name is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            from urllib.parse import unquote

            record(SecurityEventKind.EXPORT, request=request, detail=unquote(name))
        return response
