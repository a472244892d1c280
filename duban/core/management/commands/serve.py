"""`duban serve`: the app on 127.0.0.1:8000, with waitress (a production-grade WSGI server) unless
debugging, in which case Django's auto-reloading development server."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动督办平台网站（默认 http://127.0.0.1:8000）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        if settings.DEBUG:
            call_command("runserver", f"{host}:{port}")
            return
        # Static files are served by WhiteNoise from STATIC_ROOT; gather them first.
        call_command("collectstatic", interactive=False, verbosity=0)
        from waitress import serve

        from duban.wsgi import application

        self.stdout.write(self.style.SUCCESS(f"督办平台已启动：http://{host}:{port}/  （Ctrl+C 退出）"))
        # ident="": no Server banner naming the software (docs/security.md).
        serve(application, host=host, port=port, threads=threads, ident="")
