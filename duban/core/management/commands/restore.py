"""`duban restore FILE`: check every checksum of a backup, then load it into the configured database
and MEDIA_ROOT (core/backup; docs/operations.md). Stop the app and the job worker first.

- into an empty database and upload folder; one that holds data is refused unless `--force`, which
  replaces everything in it;
- a damaged archive, a backup of the other database engine, or one from a newer schema is refused
  before anything is touched;
- `--verify-only` reads the whole archive and checks it, changing nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.backup import Progress, ToolFailed, restore_backup, verify_backup
from duban.core.commands import INPUT_ERROR
from duban.core.errors import DomainError


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传的文件（先校验；默认只恢复到空的数据库）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="duban backup 生成的备份文件")
        parser.add_argument(
            "--force", action="store_true", help="目标已有数据时仍恢复：用备份替换其中的全部内容"
        )
        parser.add_argument("--verify-only", action="store_true", help="只读取并校验备份文件，不做任何更改")

    def handle(self, *args, file, force, verify_only, **options):
        progress = Progress(self.stdout.write)
        try:
            if verify_only:
                self._describe(verify_backup(file, progress=progress), file)
            else:
                restore_backup(file, force=force, progress=progress)
        except DomainError as error:
            raise CommandError(
                error.message, returncode=1 if isinstance(error, ToolFailed) else INPUT_ERROR
            ) from error

    def _describe(self, manifest: dict, file: Path) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "备份文件完好：%(file)s\n  创建于 %(created)s（督办平台 %(version)s，%(engine)s）\n"
                    "  %(tables)d 张表 %(rows)d 行，%(files)d 个上传文件，%(members)d 个成员的 SHA-256 全部相符。"
                )
                % {
                    "file": file,
                    "created": manifest["created_at"],
                    "version": manifest["application_version"],
                    "engine": manifest["engine"],
                    "tables": len(manifest["tables"]),
                    "rows": sum(manifest["tables"].values()),
                    "files": manifest["media"]["files"],
                    "members": len(manifest["members"]),
                }
            )
        )
