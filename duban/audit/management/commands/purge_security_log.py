"""`duban purge_security_log --before YYYY-MM-DD --as AUDITOR`: delete security log entries older than a
day, as the auditor (the records are the auditor's to keep; 三员分立).

Entries within the retention period (DUBAN_SECURITY_LOG_RETENTION_DAYS, never less than six months)
are refused: the command exits with status 2 and deletes nothing. With the application's database
role (which may not delete from the log) `duban` runs this command as the tables' owner
(DUBAN_MIGRATE_DATABASE_URL, docs/security.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.commands import INPUT_ERROR, acting_user, date_argument
from duban.core.errors import DomainError

from ...services import security_log_purge


class Command(BaseCommand):
    help = "删除早于指定日期的安全日志（保存期内的记录不可删除；由安全审计员执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--before", type=date_argument, required=True, help="YYYY-MM-DD")
        parser.add_argument("--as", dest="username", required=True, help="安全审计员的用户名")

    def handle(self, *args, before, username, **options):
        try:
            deleted = security_log_purge(before=before, by=acting_user(username))
        except DomainError as refused:
            raise CommandError(refused.message, returncode=INPUT_ERROR) from refused
        self.stdout.write(_("已删除 %(count)d 条安全日志。") % {"count": deleted})
