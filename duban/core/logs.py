"""Logs an operator can follow: every line of a request carries its request id, as text or JSON lines.

- The request id: `RequestLogMiddleware` (core/middleware.py) takes it from the `X-Request-ID` header
  when a trusted proxy (DUBAN_TRUSTED_PROXIES, core/net.py) sent a sane one, else makes one; it is
  echoed in the response's `X-Request-ID` and written on every log line of the request
  (`RequestIdFilter`) and on the request's audit entries (django-auditlog's correlation id,
  `AUDITLOG_CID_GETTER`). Outside a request (commands, the job worker) it is "-".
- The format: `DUBAN_LOG_FORMAT=json` writes one JSON object per line (`JsonFormatter`: time, level,
  logger, message, request_id and the fields a call passes in `extra`); `text` (the default outside
  production) writes the same as a readable line.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

_request_id: ContextVar[str | None] = ContextVar("duban_request_id", default=None)

# What a request id from a proxy may look like: nginx's $request_id, a UUID, a trace id. Anything
# else (too long, spaces, quotes, line breaks that would forge log lines) is replaced by our own.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
NO_REQUEST = "-"

# The attributes every LogRecord has; what else a record carries came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """The incoming id when it is one we can write into logs and headers as it is, else None."""
    value = (value or "").strip()
    return value if SANE_REQUEST_ID.fullmatch(value) else None


def current_request_id() -> str | None:
    """The id of the request being answered in this thread (None outside a request)."""
    return _request_id.get()


def bind_request_id(value: str):
    """Make `value` the current request id; returns the token `unbind_request_id` takes."""
    return _request_id.set(value)


def unbind_request_id(token) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record (a handler's filter, so every logger's lines get it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the call's
    `extra` fields, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get() or NO_REQUEST,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
