"""Stamp every new audit entry with its actor, channel and address; refuse to change or delete one."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from duban.core.net import client_address

from .context import current_actor, current_channel, current_request
from .models import AuditEntry, SecurityEvent


@receiver(pre_save, sender=AuditEntry, dispatch_uid="audit_stamp_or_refuse")
def stamp_new_entry_and_refuse_changes(sender, instance: AuditEntry, raw=False, **kwargs):
    if not instance._state.adding:
        raise PermissionDenied(_("审计记录不可修改。"))
    if raw:  # `loaddata` (moving a city from SQLite to PostgreSQL) keeps the entries as they were
        return
    instance.channel = current_channel()
    actor = current_actor()
    if instance.actor_id is None and actor is not None:
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None) or None
    request = current_request()
    if request is not None and not instance.remote_addr:
        instance.remote_addr = client_address(request)


@receiver(pre_delete, sender=AuditEntry, dispatch_uid="audit_refuse_delete")
def refuse_delete(sender, instance: AuditEntry, **kwargs):
    raise PermissionDenied(_("审计记录不可删除。"))


@receiver(pre_save, sender=SecurityEvent, dispatch_uid="security_log_refuse_changes")
def refuse_security_event_changes(sender, instance: SecurityEvent, **kwargs):
    if not instance._state.adding:
        raise PermissionDenied(_("安全日志不可修改。"))


@receiver(pre_delete, sender=SecurityEvent, dispatch_uid="security_log_refuse_young_deletes")
def refuse_young_security_event_deletes(sender, instance: SecurityEvent, **kwargs):
    from .selectors import security_log_purge_cutoff

    if instance.at >= security_log_purge_cutoff():
        raise PermissionDenied(_("安全日志至少保存六个月，未到期的记录不可删除。"))
