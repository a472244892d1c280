"""`duban serve`: the app on 127.0.0.1:8000, with waitress (a production-grade WSGI server) unless
debugging, in which case Django's auto-reloading development server. It says what it is doing while
it prepares (gathering the static files takes some seconds on a first start), then where it listens."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "启动督办平台网站（默认 http://127.0.0.1:8000）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, host, port, threads, **options):
        if settings.DEBUG:
            call_command("runserver", f"{host}:{port}")
            return
        started = time.monotonic()
        # Static files are served by WhiteNoise from STATIC_ROOT; gather them first.
        self._say(_("正在收集静态文件到 %(path)s …") % {"path": settings.STATIC_ROOT})
        call_command("collectstatic", interactive=False, verbosity=0)
        self._say(_("正在加载应用 …"))
        from waitress import serve

        from duban.wsgi import application

        self.stdout.write(
            self.style.SUCCESS(
                _("督办平台已启动（准备用时 %(seconds).1f 秒）：http://%(host)s:%(port)d/  （Ctrl+C 退出）")
                % {"seconds": time.monotonic() - started, "host": host, "port": port}
            )
        )
        self.stdout.flush()
        # ident="": no Server banner naming the software (docs/security.md).
        serve(application, host=host, port=port, threads=threads, ident="")
