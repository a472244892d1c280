"""`duban serve`: the app on 127.0.0.1:8000 with gunicorn (core/server.py): DUBAN_WORKERS processes,
a graceful stop on SIGTERM. When debugging, Django's auto-reloading development server instead. It
says what it is doing while it prepares (gathering the static files takes a while the first time;
afterwards only when they changed), then where it listens."""

import hashlib
import os
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

# The patterns collectstatic ignores by default.
IGNORED = ["CVS", ".*", "*~"]


def static_fingerprint() -> str:
    """What collectstatic would gather: every source file's name, size and time, and the storage."""
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(IGNORED):
            stat = os.stat(storage.path(path))
            prefix = getattr(storage, "prefix", None) or ""
            entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


class Command(BaseCommand):
    help = "启动督办平台网站（默认 http://127.0.0.1:8000）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None, help="工作进程数（默认 DUBAN_WORKERS）")
        parser.add_argument(
            "--threads", type=int, default=None, help="每个进程的线程数（默认 DUBAN_THREADS）"
        )

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _collect_static(self) -> None:
        # Static files are served by WhiteNoise from STATIC_ROOT; gather them when they changed.
        stamp = Path(f"{settings.STATIC_ROOT}.collected")
        fingerprint = static_fingerprint()
        if stamp.exists() and stamp.read_text() == fingerprint and Path(settings.STATIC_ROOT).is_dir():
            self._say(_("静态文件无变化（%(path)s）。") % {"path": settings.STATIC_ROOT})
            return
        self._say(_("正在收集静态文件到 %(path)s …") % {"path": settings.STATIC_ROOT})
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)

    def handle(self, *args, host, port, workers, threads, **options):
        if settings.DEBUG:
            call_command("runserver", f"{host}:{port}")
            return
        started = time.monotonic()
        workers = max(1, workers or settings.DUBAN_WORKERS)
        threads = max(1, threads or settings.DUBAN_THREADS)
        self._collect_static()
        self._say(_("正在加载应用 …"))
        from duban.core import server
        from duban.wsgi import application

        def listening():
            self._say(
                self.style.SUCCESS(
                    _(
                        "督办平台已启动（准备用时 %(seconds).1f 秒，%(workers)d 个工作进程）："
                        "http://%(address)s/  （Ctrl+C 退出）"
                    )
                    % {
                        "seconds": time.monotonic() - started,
                        "workers": workers,
                        "address": server.bind_address(host, port),
                    }
                )
            )

        server.run(application, host=host, port=port, workers=workers, threads=threads, when_ready=listening)
