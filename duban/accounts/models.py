"""Users of Duban: each belongs to a unit and holds one role that decides what they see and change."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.fields import optional_link

from .roles import PRIVILEGED_ROLES, Role
from .scope import ScopeRule


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.LIAISON)
    unit = optional_link("organisation.Unit", _("所在单位"), related_name="users")
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    # The unit's head (单位领导): where the unit asks for it, approves its weekly reports and requests
    # to close before they go to the office.
    is_unit_head = models.BooleanField(
        _("单位领导"),
        default=False,
        help_text=_("本单位开启“单位领导审核”时，由其审核周报和办结申请后再报送督查室。限单位联络员账号。"),
    )
    # Empty until the user chooses their own password: a password the office set is changed at the
    # first login, and every DUBAN_PASSWORD_MAX_AGE_DAYS after (accounts/middleware.py).
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

    data_scope = ScopeRule(units=("unit",))

    class Meta:
        verbose_name = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.is_unit_head and (self.role != Role.LIAISON or not self.unit_id):
            from django.core.exceptions import ValidationError

            raise ValidationError({"is_unit_head": _("只有所在单位明确的单位联络员账号可以设为单位领导。")})

    @property
    def needs_second_factor(self) -> bool:
        """2FA is required of the office and the three administrators when DUBAN_REQUIRE_2FA is on."""
        from django.conf import settings

        return settings.DUBAN_REQUIRE_2FA and (
            self.is_superuser or self.role in (Role.OFFICE, *PRIVILEGED_ROLES)
        )

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMIN, Role.OFFICE)
