"""Stamp every new audit entry with its actor, channel and address; refuse to change or delete one."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .context import current_actor, current_channel, current_request
from .models import AuditEntry


@receiver(pre_save, sender=AuditEntry, dispatch_uid="audit_stamp_or_refuse")
def stamp_new_entry_and_refuse_changes(sender, instance: AuditEntry, **kwargs):
    if not instance._state.adding:
        raise PermissionDenied(_("审计记录不可修改。"))
    instance.channel = current_channel()
    actor = current_actor()
    if instance.actor_id is None and actor is not None:
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None) or None
    request = current_request()
    if request is not None and not instance.remote_addr:
        instance.remote_addr = request.META.get("REMOTE_ADDR") or None


@receiver(pre_delete, sender=AuditEntry, dispatch_uid="audit_refuse_delete")
def refuse_delete(sender, instance: AuditEntry, **kwargs):
    raise PermissionDenied(_("审计记录不可删除。"))
