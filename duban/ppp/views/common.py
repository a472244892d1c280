"""What the PPP pages share: their route table, and the reason typed beside a button."""

from __future__ import annotations

from duban.core.routes import Pages

# Every module of the package declares its pages here; urls.py takes them all.
pages = Pages()


def reason(request, _obj) -> dict:
    """The reason typed beside a button."""
    return {"reason": request.POST.get("reason", "")}
