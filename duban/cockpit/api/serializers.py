from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CockpitCardSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("卡片的标识，如 directives_red"))
    title = serializers.CharField(help_text=_("卡片的标题"))
    count = serializers.IntegerField(help_text=_("卡片的数字：等于 api_url 所列清单的 count"))
    api_url = serializers.CharField(help_text=_("卡片所计的清单（接口）"))
    page_url = serializers.CharField(help_text=_("卡片所计的清单（页面）"))
    tone = serializers.ChoiceField(choices=["red", "yellow", ""], help_text=_("卡片的颜色"))


class CockpitLightReasonSerializer(serializers.Serializer):
    signal = serializers.ChoiceField(choices=["deadline", "milestone", "stale"])
    light = serializers.CharField()
    text = serializers.CharField()
    days = serializers.IntegerField()


class CockpitRedDirectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lead_unit = serializers.CharField(source="lead_unit.name")
    deadline = serializers.DateField()
    light_reasons = CockpitLightReasonSerializer(many=True, help_text=_("亮灯原因"))


class CockpitSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text=_("统计日期"))
    cards = CockpitCardSerializer(many=True)
    red_list = CockpitRedDirectiveSerializer(many=True, help_text=_("红灯事项（时限最早的在前）"))
