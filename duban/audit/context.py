"""Who is acting and through which channel, for the entries written while a request or job runs."""

import contextlib
from contextvars import ContextVar

from .models import Channel

_channel: ContextVar[str] = ContextVar("audit_channel", default=Channel.SYSTEM)
_request: ContextVar = ContextVar("audit_request", default=None)
_actor: ContextVar = ContextVar("audit_actor", default=None)


def current_channel() -> str:
    return _channel.get()


def current_request():
    return _request.get()


def current_actor():
    """The explicitly set actor, else the user of the current request (read late, so that users
    authenticated by the API's token, after the middleware ran, are seen too)."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


@contextlib.contextmanager
def audit_context(*, channel: str, actor=None, request=None):
    """Attribute every audit entry written inside the block to this channel and actor."""
    tokens = [_channel.set(channel)]
    if actor is not None:
        tokens.append(_actor.set(actor))
    if request is not None:
        tokens.append(_request.set(request))
    try:
        yield
    finally:
        for token in reversed(tokens):
            token.var.reset(token)


def set_channel(channel: str) -> None:
    """For a whole process (the command line): every entry it writes carries this channel."""
    _channel.set(channel)
