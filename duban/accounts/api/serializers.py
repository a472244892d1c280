from rest_framework import serializers

from duban.core.masking import masked

from ..models import User
from ..rules import may_see_contact_details


class UserSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)
    phone = serializers.SerializerMethodField(
        help_text="Masked (138****5678) unless the caller is the office or the account's owner."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "role",
            "unit",
            "unit_name",
            "is_unit_head",
            "email",
            "phone",
            "is_active",
        ]

    def get_phone(self, account) -> str:
        reader = self.context["request"].user
        return masked(account.phone, "phone", reveal=may_see_contact_details.test(reader, account))
