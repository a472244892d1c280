"""The programme's vocabularies: themes, categories, states, kinds and outcomes, and the amount format."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# All of them are the models package's too (`from duban.bonds.models import ProjectState`).
__all__ = [
    "AMOUNT",
    "FIRST_YEAR",
    "LAST_YEAR",
    "REQUIRED_DOCUMENTS",
    "SOURCE_NAME_MAX",
    "ZERO",
    "ApplicationOutcome",
    "ConstructionKind",
    "ConstructionStatus",
    "DebtKind",
    "DocumentKind",
    "ListKind",
    "ProjectCategory",
    "ProjectState",
    "ProjectTheme",
]

AMOUNT = {"max_digits": 14, "decimal_places": 2}  # 万元, to the hundred yuan
ZERO = Decimal(0)
# The years a budget, a batch or a figure may name: typos (202, 20255) are refused, not stored.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# An income source is a short name (停车费, 租金): a column of the cash-flow table.
SOURCE_NAME_MAX = 50


def year_error(year) -> str | None:
    """Why a year cannot be a budget's or a debt's, or None."""
    if year is None or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return _("年度应在 %(first)d 至 %(last)d 之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    return None


def long_source_names(names) -> list[str]:
    return [str(name) for name in names if len(str(name)) > SOURCE_NAME_MAX]


def source_name_error(names) -> str | None:
    """Why these income source names cannot be stored, or None."""
    if long_source_names(names):
        return _("收益来源名称不能超过 %(n)d 个字。") % {"n": SOURCE_NAME_MAX}
    return None


class ProjectTheme(models.TextChoices):
    """The five themes the mayor's meeting asked projects to be packaged around (a local tag)."""

    HUNDRED_CITIES = "hundred_cities", _("百城建设提质工程")
    CITY_FUNCTIONS = "city_functions", _("完善城市功能")
    RURAL_LIVING = "rural_living", _("农村人居环境整治")
    RURAL_REVITALISATION = "rural_revitalisation", _("乡村振兴")
    LIVELIHOOD = "livelihood", _("改善民生")


class ProjectCategory(models.TextChoices):
    """The bond category, which decides the coverage minimum (§1.4: land reserve and shantytowns 1.2)."""

    GENERAL = "general", _("一般项目收益专项债券")
    LAND_RESERVE = "land_reserve", _("土地储备专项债券")
    SHANTYTOWN = "shantytown", _("棚户区改造专项债券")
    TOLL_ROAD = "toll_road", _("收费公路专项债券")


class ConstructionKind(models.TextChoices):
    NEW = "new", _("新建")
    CONTINUED = "continued", _("续建")
    EXPANSION = "expansion", _("改扩建")


class ConstructionStatus(models.TextChoices):
    PREPARING = "preparing", _("前期准备")
    NOT_STARTED = "not_started", _("未开工")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    COMPLETED = "completed", _("已完工")
    OPERATING = "operating", _("已运营")


class ProjectState(models.TextChoices):
    POOL = "pool", _("储备")
    DRAFT = "draft", _("填报中")
    UNIT_REVIEW = "unit_review", _("主管部门审核")
    FINANCE_REVIEW = "finance_review", _("财政审核")
    PROVINCE_REVIEW = "province_review", _("省级审核")
    MINISTRY_REVIEW = "ministry_review", _("两部委审核")
    APPROVED = "approved", _("审核通过")
    QUOTA_ALLOCATED = "quota_allocated", _("已分配额度")
    ISSUED = "issued", _("已发行")
    ONLENT = "onlent", _("已转贷")
    DISBURSING = "disbursing", _("拨付中")
    SPENDING = "spending", _("支出中")
    SPENT = "spent", _("支出完毕")
    RETURNED = "returned", _("已退回")


class ListKind(models.TextChoices):
    POSITIVE = "positive", _("正面清单（可投向领域）")
    NEGATIVE = "negative", _("负面清单（禁止投向）")


class DebtKind(models.TextChoices):
    BOND = "bond", _("专项债券")
    MARKET = "market", _("市场化融资")


class DocumentKind(models.TextChoices):
    IMPLEMENTATION_PLAN = "implementation_plan", _("实施方案")
    FINANCIAL_ASSESSMENT = "financial_assessment", _("财务评估报告")
    LEGAL_OPINION = "legal_opinion", _("法律意见书")
    FEASIBILITY_APPROVAL = "feasibility_approval", _("项目建议书/可研及批复")
    FUND_APPLICATION = "fund_application", _("资金申请报告")
    BALANCE_PLAN = "balance_plan", _("收益与融资平衡方案")
    LAND_APPROVAL = "land_approval", _("用地预审与选址意见书")
    EIA_APPROVAL = "eia_approval", _("环评批复")
    SOIL_WATER_APPROVAL = "soil_water_approval", _("水土保持方案批复")
    PERFORMANCE_TARGETS = "performance_targets", _("绩效目标表")
    OTHER = "other", _("其他材料")


# 一案两书 first, then the approvals practitioners list (finance-domain.md §1.3).
REQUIRED_DOCUMENTS = [
    DocumentKind.IMPLEMENTATION_PLAN,
    DocumentKind.FINANCIAL_ASSESSMENT,
    DocumentKind.LEGAL_OPINION,
    DocumentKind.FEASIBILITY_APPROVAL,
    DocumentKind.FUND_APPLICATION,
    DocumentKind.BALANCE_PLAN,
    DocumentKind.LAND_APPROVAL,
    DocumentKind.EIA_APPROVAL,
    DocumentKind.SOIL_WATER_APPROVAL,
    DocumentKind.PERFORMANCE_TARGETS,
]


class ApplicationOutcome(models.TextChoices):
    PENDING = "pending", _("审核中")
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回")
