"""`duban audit verify`: walk the hash chains of the change audit trail and the security log (chain.py)
and name the first entry that does not follow (exit status 1), or say each is intact and how long.

The walk reads the entries in batches in chain order, so it runs in constant memory over millions
of entries. Each chain's newest number and hash are printed: written down elsewhere (the city's log
audit system, a signed report), they let a later run show that the chain was not rewritten whole.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ...chain import CHAINS, verify

BROKEN = 1


class Command(BaseCommand):
    help = "审计日志：校验变更审计和安全日志的哈希链，指出第一条被改动的记录。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="校验哈希链（完整时退出码 0，断开时 1）")
        check.add_argument("--batch-size", type=int, default=5000, help="每批读取的记录数")

    def handle(self, *args, action, batch_size, **options):
        broken = []
        for chain in CHAINS:
            verdict = verify(chain, batch=max(1, batch_size))
            if verdict.intact:
                self.stdout.write(
                    _("%(log)s：哈希链完整，共 %(count)d 条；链头第 %(seq)d 条，哈希 %(hash)s")
                    % {
                        "log": chain.label,
                        "count": verdict.count,
                        "seq": verdict.head_seq,
                        "hash": verdict.head_hash,
                    }
                )
            else:
                broken.append(self._describe(chain, verdict))
        if broken:
            raise CommandError("\n".join(broken), returncode=BROKEN)

    def _describe(self, chain, verdict) -> str:
        if verdict.broken_id is None:
            where = _("链尾")
        else:
            model = apps.get_model(chain.model)
            moment = (
                model._default_manager.filter(pk=verdict.broken_id)
                .values_list(chain.time_column, flat=True)
                .first()
            )
            when = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"
            where = _("第 %(id)d 号记录（%(time)s）") % {"id": verdict.broken_id, "time": when}
        return _("%(log)s：哈希链在%(where)s处断开：%(reason)s；此前 %(count)d 条完好。") % {
            "log": chain.label,
            "where": where,
            "reason": verdict.reason,
            "count": verdict.count,
        }
