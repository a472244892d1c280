"""`duban db grant-app-role [ROLE]`: give the application's PostgreSQL role what it needs and no more
(core/database.py): read and write every table but the audit logs, which it may only read and append
to. ROLE defaults to the user of DATABASE_URL; a role that does not exist is created (LOGIN, with the
password DATABASE_URL gives it). `duban` runs this as the tables' owner (DUBAN_MIGRATE_DATABASE_URL).
"""

import os

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.commands import INPUT_ERROR
from duban.core.database import grant_app_role
from duban.core.errors import DomainError


class Command(BaseCommand):
    help = "数据库角色：为应用角色授权（审计日志只能读取和追加）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        grant = sub.add_parser("grant-app-role", help="为应用连接数据库所用的角色授权；不存在则创建")
        grant.add_argument("role", nargs="?", default="", help="角色名，默认为 DATABASE_URL 中的用户")

    def handle(self, *args, action, role, **options):
        role = role or settings.DUBAN_APP_DB_ROLE
        if not role:
            raise CommandError(
                _("请给出角色名，或在 DATABASE_URL 中写明应用连接所用的用户。"), returncode=INPUT_ERROR
            )
        app_url = dj_database_url.parse(os.environ.get("DATABASE_URL") or "sqlite://")
        password = app_url.get("PASSWORD") if app_url.get("USER") == role else None
        try:
            statements = grant_app_role(role, password=password or None)
        except DomainError as refused:
            raise CommandError(refused.message, returncode=INPUT_ERROR) from refused
        for statement in statements:
            self.stdout.write(f"{statement};")
        self.stdout.write(_("已为角色 %(role)s 授权：审计日志只能读取和追加。") % {"role": role})
