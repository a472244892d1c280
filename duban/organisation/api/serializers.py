from rest_framework import serializers

from ..models import Leader, Theme, Unit


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "aliases",
            "kind",
            "parent",
            "parent_code",
            "sort_order",
            "is_active",
            "requires_head_approval",
            "version",
        ]
        read_only_fields = ["version"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "code", "name", "keywords", "is_active"]


class LeaderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Leader
        fields = ["id", "name", "post", "title", "units", "themes", "is_active"]
