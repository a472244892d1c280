"""`duban backup FILE`: the database and every uploaded file in one archive with checksums
(core/backup; docs/operations.md). The platform keeps serving while it runs. FILE ending in .gz or
.tgz is compressed; an existing FILE is never overwritten."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.core.backup import Progress, ToolFailed, create_backup
from duban.core.commands import INPUT_ERROR
from duban.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个归档文件（含 SHA-256 校验清单）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件，例如 /srv/backup/duban-2026-03-31.tar")

    def handle(self, *args, file, **options):
        progress = Progress(self.stdout.write)
        try:
            create_backup(file, progress=progress)
        except DomainError as error:
            raise CommandError(
                error.message, returncode=1 if isinstance(error, ToolFailed) else INPUT_ERROR
            ) from error
