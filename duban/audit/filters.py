"""The audit trail's one FilterSet: the page and `/api/audit/` filter alike."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.filters import FilterSet
from duban.core.widgets import DateInput

from .models import ACTION_LABELS, AuditEntry, Channel, SecurityEvent, SecurityEventKind


def _start_of(day):
    """Midnight at the start of a local day (Asia/Shanghai), as an aware moment."""
    return timezone.make_aware(datetime.combine(day, time.min))


# Platform apps whose rows are not business data worth browsing here (the trail itself, private inboxes).
_NOT_BROWSED = {"audit", "notifications"}


def _business_apps() -> list[str]:
    return [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("duban.") and config.label not in _NOT_BROWSED
    ]


class AuditEntryFilterSet(FilterSet):
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.none(), label=_("对象类型"), empty_label=_("全部类型")
    )
    action = django_filters.ChoiceFilter(
        choices=list(ACTION_LABELS.items()), label=_("操作"), empty_label=_("全部操作")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"), empty_label=_("全部渠道"))
    actor = django_filters.CharFilter(field_name="actor__username", label=_("操作人用户名"))
    # Local days as a range of moments, so that the newest-first index serves them (a cast of the
    # time to a date in the database would read every row).
    since = django_filters.DateFilter(method="filter_since", label=_("起始日期"), widget=DateInput())
    until = django_filters.DateFilter(method="filter_until", label=_("截止日期"), widget=DateInput())
    object_pk = django_filters.CharFilter(label=_("对象编号"))

    class Meta:
        model = AuditEntry
        fields = ["content_type", "action", "channel", "actor", "since", "until", "object_pk"]

    def filter_since(self, queryset, name, value):
        return queryset.filter(timestamp__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(timestamp__lt=_start_of(value + timedelta(days=1)))

    def narrow_choices(self, user) -> None:
        self.filters["content_type"].queryset = ContentType.objects.filter(
            app_label__in=_business_apps()
        ).order_by("app_label", "model")


class SecurityEventFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=SecurityEventKind.choices, label=_("事件"), empty_label=_("全部事件")
    )
    username = django_filters.CharFilter(label=_("用户名"))
    address = django_filters.CharFilter(label=_("地址"), method="filter_address")
    since = django_filters.DateFilter(
        field_name="at__date", lookup_expr="gte", label=_("起始日期"), widget=DateInput()
    )
    until = django_filters.DateFilter(
        field_name="at__date", lookup_expr="lte", label=_("截止日期"), widget=DateInput()
    )

    class Meta:
        model = SecurityEvent
        fields = ["kind", "username", "address", "since", "until"]

    def filter_address(self, queryset, name, value):
        import ipaddress

        try:
            return queryset.filter(address=str(ipaddress.ip_address(value.strip())))
        except ValueError:
            return queryset.none()
