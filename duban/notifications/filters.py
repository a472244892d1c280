"""The inbox's one FilterSet: the page and `/api/notifications/` filter alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from duban.core.filters import FilterSet

from .models import Channel, Delivery, DeliveryState, Notification, NotificationKind


class ReadStateWidget(BooleanWidget):
    """全部 / 只看未读 / 只看已读; reads true/false (API clients), 1/0, and "on" (the old checkbox)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部通知")), ("true", _("只看未读")), ("false", _("只看已读"))]

    def value_from_datadict(self, data, files, name):
        if str(data.get(name, "")).lower() == "on":
            return True
        return super().value_from_datadict(data, files, name)


class NotificationFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=NotificationKind.choices, label=_("类型"), empty_label=_("全部类型")
    )
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("阅读状态"), widget=ReadStateWidget
    )

    # The notices a daily summary lists (its link): those held for it are shown only here.
    digest = django_filters.NumberFilter(field_name="digest", label=_("每日汇总"), widget=forms.HiddenInput)

    class Meta:
        model = Notification
        fields = ["kind", "unread", "digest"]


class DeliveryFilterSet(FilterSet):
    """The office's deliveries: by state (the page opens on the failed ones) and channel."""

    state = django_filters.ChoiceFilter(
        choices=DeliveryState.choices, label=_("状态"), empty_label=_("全部状态")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"), empty_label=_("全部渠道"))

    class Meta:
        model = Delivery
        fields = ["state", "channel"]
