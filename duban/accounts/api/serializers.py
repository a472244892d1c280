from rest_framework import serializers

from ..models import User


class UserSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "unit", "unit_name", "email", "is_active"]
