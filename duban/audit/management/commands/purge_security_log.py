"""`duban purge_security_log --before YYYY-MM-DD`: delete security log entries older than a day.

Entries within the retention period (DUBAN_SECURITY_LOG_RETENTION_DAYS, never less than six months)
are refused: the command exits with status 2 and deletes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.commands import INPUT_ERROR, date_argument

from ...models import SecurityEvent
from ...selectors import security_log_purge_cutoff


class Command(BaseCommand):
    help = "删除早于指定日期的安全日志（保存期内的记录不可删除）。"

    def add_arguments(self, parser):
        parser.add_argument("--before", type=date_argument, required=True, help="YYYY-MM-DD")

    def handle(self, *args, before, **options):
        cutoff = security_log_purge_cutoff()
        if before > timezone.localdate(cutoff):
            raise CommandError(
                _("安全日志至少保存 %(days)d 天：只能删除 %(day)s 及以前的记录。")
                % {"days": (timezone.now() - cutoff).days, "day": timezone.localdate(cutoff).isoformat()},
                returncode=INPUT_ERROR,
            )
        start = timezone.make_aware(timezone.datetime.combine(before, timezone.datetime.min.time()))
        deleted, _by_model = SecurityEvent.objects.filter(at__lt=start).delete()
        self.stdout.write(_("已删除 %(count)d 条安全日志。") % {"count": deleted})
