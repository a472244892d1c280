"""The programme's configurable, dated parameters are kept in the admin: they change with policy."""

from django.contrib import admin

from .models import BondBatch, BondRule, InvestmentArea, SpendingTarget


@admin.register(BondRule)
class BondRuleAdmin(admin.ModelAdmin):
    list_display = [
        "province",
        "category",
        "valid_from",
        "valid_to",
        "min_coverage",
        "min_bond_coverage",
        "max_plausible_coverage",
        "capital_bond_cap",
        "list_kind",
        "self_review",
    ]
    list_filter = ["province", "category", "list_kind", "self_review"]


@admin.register(InvestmentArea)
class InvestmentAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "list_kind", "capital_use_allowed", "valid_from", "valid_to"]
    list_filter = ["list_kind", "capital_use_allowed"]
    search_fields = ["code", "name"]


@admin.register(SpendingTarget)
class SpendingTargetAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "target_ratio"]
    list_filter = ["year"]


@admin.register(BondBatch)
class BondBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "quarter", "opens_on", "closes_on"]
    list_filter = ["year"]
