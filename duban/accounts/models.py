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
    # Empty until the user chooses their own password: a password the office set is changed at the
    # first login, and every DUBAN_PASSWORD_MAX_AGE_DAYS after (accounts/middleware.py).
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

    data_scope = ScopeRule(units=("unit",))

    class Meta:
        verbose_name = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

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
