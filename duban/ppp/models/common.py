"""What the PPP models share: money and rate columns, the data scopes, and the choices of a project."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule

from ..classification import ProjectClass

MONEY = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 7, "decimal_places": 4}
FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]

# Projects: the implementing agency's liaisons update progress; the county sees its own; the finance
# reviewers and the office change everything.
PROJECT_SCOPE = ScopeRule(
    units=("implementing_agency", "line_department", "county"),
    owner="implementing_agency",
    programme="ppp",
    finance_sees_all=True,
    finance_changes=True,
)


def project_scope(prefix: str, *, owner: bool = True) -> ScopeRule:
    """The scope of a row that belongs to a project through `prefix` (its liaisons change it if `owner`)."""
    return ScopeRule(
        units=tuple(f"{prefix}__{path}" for path in PROJECT_SCOPE.units),
        owner=f"{prefix}__implementing_agency" if owner else "",
        programme="ppp",
        finance_sees_all=True,
        finance_changes=True,
    )


class Sector(models.TextChoices):
    TRANSPORT = "transport", _("交通运输")
    MUNICIPAL = "municipal", _("市政工程")
    ENVIRONMENT = "environment", _("生态建设和环境保护")
    WATER = "water", _("水利建设")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("医疗卫生")
    ELDERLY = "elderly", _("养老")
    CULTURE = "culture", _("文化")
    SPORTS = "sports", _("体育")
    HOUSING = "housing", _("保障性安居工程")
    URBAN = "urban", _("城镇综合开发")
    TOURISM = "tourism", _("旅游")
    AGRICULTURE = "agriculture", _("农业")
    ENERGY = "energy", _("能源")
    GOVERNMENT = "government", _("政府基础设施")
    OTHER = "other", _("其他")


class OperationMode(models.TextChoices):
    BOT = "BOT", _("建设-运营-移交（BOT）")
    BOOT = "BOOT", _("建设-拥有-运营-移交（BOOT）")
    BOO = "BOO", _("建设-拥有-运营（BOO）")
    TOT = "TOT", _("转让-运营-移交（TOT）")
    ROT = "ROT", _("改建-运营-移交（ROT）")
    TOT_BOT = "TOT+BOT", _("TOT+BOT")
    OM = "O&M", _("委托运营（O&M）")
    MC = "MC", _("管理合同（MC）")
    OTHER = "other", _("其他")


class Mechanism(models.TextChoices):
    """The three return mechanisms (回报机制); values match `affordability.PaymentMechanism`."""

    USER_PAY = "user_pay", _("使用者付费")
    VIABILITY_GAP = "viability_gap", _("可行性缺口补助")
    GOVERNMENT_PAY = "government_pay", _("政府付费")


class ClassChoice(models.TextChoices):
    """Labels of `classification.ProjectClass`, the same values."""

    NORMAL = ProjectClass.NORMAL.value, _("正常推进")
    SLOW = ProjectClass.SLOW.value, _("进度滞后")
    STALLED = ProjectClass.STALLED.value, _("停滞")
    RECTIFY = ProjectClass.RECTIFY.value, _("需整改")
    WITHDRAW = ProjectClass.WITHDRAW.value, _("拟退库")


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    WITHDRAWN = "withdrawn", _("已退库")


# The dated parameters (thresholds, classification rules, budget figures): the finance reviewers' and
# the office's.
PARAMETER_SCOPE = ScopeRule(finance_sees_all=True, finance_changes=True)
