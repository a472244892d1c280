"""The dated parameters of the PPP programme are edited by the administrators here."""

from django.contrib import admin

from .models import BUDGET_INPUT_FIELDS, THRESHOLD_INPUT_FIELDS, BudgetYear, ClassificationRules, ThresholdSet


@admin.register(ThresholdSet)
class ThresholdSetAdmin(admin.ModelAdmin):
    list_display = THRESHOLD_INPUT_FIELDS


@admin.register(ClassificationRules)
class ClassificationRulesAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "slow_days", "stalled_days", "withdraw_idle_days", "minimum_linked_share"]


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = BUDGET_INPUT_FIELDS
