"""`duban notify test USER [--channel dingtalk|wecom|sms|email]`: send USER a test message through the
configured channels (or the one named), now, whatever the hour, and print each delivery's result.
Exit status 1 when a delivery failed, 2 for a bad invocation (an unknown user, nothing to send through).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.core.commands import INPUT_ERROR, acting_user

from ...models import Channel, DeliveryState
from ...services import notify_test

FAILED = 1


class Command(BaseCommand):
    help = "通知：向用户发送测试消息，检查邮件、钉钉、企业微信、短信渠道的配置。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        test = sub.add_parser("test", help="发送测试消息并逐条显示结果")
        test.add_argument("user", help="接收人的用户名")
        test.add_argument("--channel", choices=Channel.values, help="只通过这一渠道发送")

    def handle(self, *args, action, user, channel=None, **options):
        recipient = acting_user(user)
        deliveries = notify_test(user=recipient, channel=channel)
        if not deliveries:
            raise CommandError(
                _("没有可用的通知渠道：请检查渠道设置、用户的邮箱或手机号，以及该渠道是否已启用。"),
                returncode=INPUT_ERROR,
            )
        failed = 0
        for delivery in deliveries:
            target = delivery.address or (str(delivery.robot.unit) if delivery.robot else _("全市机器人"))
            if delivery.state == DeliveryState.SENT:
                self.stdout.write(
                    _("%(channel)s → %(target)s：已发送")
                    % {"channel": delivery.get_channel_display(), "target": target}
                )
            else:
                failed += 1
                self.stdout.write(
                    _("%(channel)s → %(target)s：失败（%(reason)s），%(state)s")
                    % {
                        "channel": delivery.get_channel_display(),
                        "target": target,
                        "reason": delivery.last_error,
                        "state": delivery.get_state_display(),
                    }
                )
        if failed:
            raise CommandError(_("%(n)d 条发送失败。") % {"n": failed}, returncode=FAILED)
