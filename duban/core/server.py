"""The production web server of `duban serve`: gunicorn, one master and DUBAN_WORKERS worker processes
(threads in each), so that the platform uses every core (one Python process is one core).

- The application is loaded once in the master and the workers are forked from it (`preload_app`).
- SIGTERM is a graceful stop: the master stops listening at once, each worker finishes the requests
  it is serving (up to DUBAN_GRACEFUL_TIMEOUT seconds) and exits; SIGINT (Ctrl+C) stops at once.
- X-Forwarded-Proto is believed only from the proxies of DUBAN_TRUSTED_PROXIES (core/net.py believes
  X-Forwarded-For from the same list).
- No `Server` header names the software (docs/security.md); gunicorn has no setting for it, so its
  response class leaves that one line out (`tests/test_processes.py` checks the real answer).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi as gunicorn_wsgi


class _Response(gunicorn_wsgi.Response):
    def default_headers(self):
        return [line for line in super().default_headers() if not line.startswith("Server:")]


gunicorn_wsgi.Response = _Response


def without_head_bodies(application):
    """HEAD is answered with the headers only. Django writes the body of a GET; gunicorn drops it, but
    logs a warning for each such answer (a monitor's HEAD every few seconds would fill the log)."""

    def app(environ, start_response):
        result = application(environ, start_response)
        if environ.get("REQUEST_METHOD") != "HEAD":
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()
        return []

    return app


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def server_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    """gunicorn's settings for Duban (docs/deploy.md explains each number)."""
    return {
        "bind": [bind_address(host, port)],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "graceful_timeout": settings.DUBAN_GRACEFUL_TIMEOUT,
        # A worker whose main loop stops answering for this long is replaced (gthread's loop keeps
        # answering while its threads serve long requests, so an import is not cut).
        "timeout": 60,
        # Longer than the reverse proxy keeps an idle upstream connection (docs/deploy.md), so the
        # proxy never sends a request on a connection this side has just closed.
        "keepalive": 75,
        "preload_app": True,
        "forwarded_allow_ips": ",".join(settings.DUBAN_TRUSTED_PROXIES) or "127.0.0.1,::1",
        "proc_name": "duban",
        "errorlog": "-",
        "loglevel": settings.LOGGING["root"]["level"].lower(),
        "control_socket_disable": True,
    }


class DubanServer(BaseApplication):
    def __init__(self, application, options: dict, *, when_ready: Callable[[], None]):
        self.application = application
        self.options = options
        self._when_ready = when_ready
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:  # control_socket_disable is new in recent gunicorn releases
                self.cfg.set(key, value)

        def ready(_server):
            self._when_ready()

        def pre_fork(_server, _worker):
            # Nothing the master opened (a database connection of the system checks) is shared.
            connections.close_all()

        self.cfg.set("when_ready", ready)
        self.cfg.set("pre_fork", pre_fork)

    def load(self):
        return self.application


def run(application, *, host: str, port: int, workers: int, threads: int, when_ready: Callable[[], None]):
    """Serve until SIGTERM or SIGINT; `when_ready` runs once the address is bound."""
    options = server_options(host=host, port=port, workers=workers, threads=threads)
    DubanServer(without_head_bodies(application), options, when_ready=when_ready).run()
