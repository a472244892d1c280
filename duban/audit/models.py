"""The audit trail: one append-only entry per create, update and delete of business data.

django-auditlog writes the entries (field-by-field changes, actor, address, correlation id); our
entry model adds the channel the change came through. Entries are never changed or deleted: the
application refuses it (see signals.py) and so does the database (triggers in the migrations, and
the application's database role, which may only INSERT and SELECT them). Each entry of both logs is
chained to the one before by a hash (chain.py), so that a change made past those guards is found.
"""

from auditlog.models import AbstractLogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _

from .chain import GENESIS


class Channel(models.TextChoices):
    WEB = "web", _("网页")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    COMMAND = "command", _("命令行")
    JOB = "job", _("后台任务")
    SYSTEM = "system", _("系统")


# What the office reads for auditlog's actions (its own labels are English: create, update, …).
ACTION_LABELS = {
    AbstractLogEntry.Action.CREATE: _("新增"),
    AbstractLogEntry.Action.UPDATE: _("修改"),
    AbstractLogEntry.Action.DELETE: _("删除"),
    AbstractLogEntry.Action.ACCESS: _("查看"),
}


def chain_fields():
    """Where an entry stands in its log's hash chain (chain.py); set by the database, never by code."""
    return (
        models.BigIntegerField(_("链序号"), null=True, blank=True, editable=False),
        models.CharField(_("链哈希"), max_length=64, null=True, blank=True, editable=False),
    )


def chain_constraints(prefix: str) -> tuple[list, list]:
    """One number per place in the chain; the entries waiting to be chained found at once."""
    unique = models.UniqueConstraint(
        fields=["chain_seq"], condition=models.Q(chain_seq__isnull=False), name=f"{prefix}_chain_seq_uniq"
    )
    pending = models.Index(
        fields=["id"], condition=models.Q(chain_seq__isnull=True), name=f"{prefix}_unchained_idx"
    )
    return [unique], [pending]


_ENTRY_CONSTRAINTS, _ENTRY_CHAIN_INDEXES = chain_constraints("audit_entry")
_EVENT_CONSTRAINTS, _EVENT_CHAIN_INDEXES = chain_constraints("audit_event")


class AuditEntry(AbstractLogEntry):
    action = models.PositiveSmallIntegerField(_("操作"), choices=list(ACTION_LABELS.items()), db_index=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.SYSTEM)
    chain_seq, chain_hash = chain_fields()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-timestamp", "-pk"]
        # The list reads newest first, by itself or within one type of object, actor or channel.
        indexes = [
            models.Index(fields=["content_type", "object_pk"], name="audit_object_idx"),
            models.Index(fields=["-timestamp", "-id"], name="audit_newest_idx"),
            models.Index(fields=["content_type", "-timestamp", "-id"], name="audit_type_newest_idx"),
            models.Index(fields=["actor", "-timestamp", "-id"], name="audit_actor_newest_idx"),
            models.Index(fields=["channel", "-timestamp", "-id"], name="audit_channel_newest_idx"),
            *_ENTRY_CHAIN_INDEXES,
        ]
        constraints = _ENTRY_CONSTRAINTS
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    REFUSED = "refused", _("拒绝访问")
    EXPORT = "export", _("导出")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_SET = "password_set", _("重置密码")
    SECOND_FACTOR_ENROLLED = "otp_enrolled", _("绑定双因素认证")
    SECOND_FACTOR_FAILED = "otp_failed", _("双因素认证失败")
    SECOND_FACTOR_RESET = "otp_reset", _("解除双因素认证")
    TOKEN_CREATED = "token_created", _("创建接口令牌")
    TOKEN_REVOKED = "token_revoked", _("吊销接口令牌")
    UNLOCKED = "unlocked", _("解除登录锁定")
    LOG_PURGED = "log_purged", _("清理安全日志")


class SecurityEvent(models.Model):
    """One entry of the security log (等保 2.0 security audit): who, from where, when, what.

    Append-only like the change audit trail (signals.py and the migration's triggers); entries older
    than DUBAN_SECURITY_LOG_RETENTION_DAYS (at least six months) may be purged by `purge_security_log`,
    younger ones never. The user is kept by id and name, without a foreign key, so that deleting an
    account never has to touch the log.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("事件"), max_length=24, choices=SecurityEventKind.choices)
    user_id = models.BigIntegerField(_("用户编号"), null=True, blank=True, db_index=True)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    path = models.CharField(_("路径"), max_length=300, blank=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    chain_seq, chain_hash = chain_fields()

    class Meta:
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        indexes = _EVENT_CHAIN_INDEXES
        constraints = _EVENT_CONSTRAINTS

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"


class ChainHead(models.Model):
    """The newest place of one log's hash chain, and where the chain starts after a purge (chain.py).

    Written only by the chain's triggers and the purge (the application's database role reads it)."""

    name = models.CharField(_("日志"), max_length=40, primary_key=True)
    seq = models.BigIntegerField(_("最新序号"), default=0)
    hash = models.CharField(_("最新哈希"), max_length=64, default=GENESIS)
    anchor_seq = models.BigIntegerField(_("起点序号"), default=0)
    anchor_hash = models.CharField(_("起点哈希"), max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("审计链头")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.name} #{self.seq}"
