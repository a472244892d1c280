"""Users of Duban: each belongs to a unit and holds one role that decides what they see and change."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.fields import optional_link

from .roles import Role
from .scope import ScopeRule


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.LIAISON)
    unit = optional_link("organisation.Unit", _("所在单位"), related_name="users")
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    data_scope = ScopeRule(units=("unit",))

    class Meta:
        verbose_name = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMIN, Role.OFFICE)
