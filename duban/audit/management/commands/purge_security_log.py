"""`duban purge_security_log --before YYYY-MM-DD`: delete security log entries older than a day (the
daily housekeeping, docs/deploy.md). No user of the application purges the log, the administrators
included (三员分立): on PostgreSQL only the tables' owner may delete from it, and `duban` runs this
command with the owner's connection (DUBAN_MIGRATE_DATABASE_URL, docs/security.md).

Entries within the retention period (DUBAN_SECURITY_LOG_RETENTION_DAYS, never less than six months)
are refused: the command exits with status 2 and deletes nothing. The purge is itself recorded.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.commands import INPUT_ERROR, date_argument
from duban.core.errors import DomainError

from ...services import security_log_purge


class Command(BaseCommand):
    help = "删除早于指定日期的安全日志（保存期内的记录不可删除）。"

    def add_arguments(self, parser):
        parser.add_argument("--before", type=date_argument, required=True, help="YYYY-MM-DD")

    def handle(self, *args, before, **options):
        try:
            deleted = security_log_purge(before=before)
        except DomainError as refused:
            raise CommandError(refused.message, returncode=INPUT_ERROR) from refused
        self.stdout.write(_("已删除 %(count)d 条安全日志。") % {"count": deleted})
