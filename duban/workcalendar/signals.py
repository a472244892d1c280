from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarOverride
from .selectors import forget_calendar


@receiver([post_save, post_delete], sender=CalendarOverride, dispatch_uid="workcalendar_forget")
def forget_cached_calendar(**kwargs):
    forget_calendar()
