"""The admin-editable overrides of the working calendar (a year the library does not know, a
local holiday, a correction)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule


class CalendarOverride(models.Model):
    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=60, blank=True, help_text=_("如：春节、国庆节调休上班"))

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("工作日历调整")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
