from django.contrib import admin

from .models import EscalationStep, WarningThresholds


@admin.register(WarningThresholds)
class WarningThresholdsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "yellow_days", "red_milestone_days"]

    def has_add_permission(self, request):
        # One row holds the office's thresholds.
        return not WarningThresholds.objects.exists()


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    """The office's escalation ladder: its steps, their conditions, documents, approval and replies."""

    list_display = ["order", "name", "document", "series", "light", "overdue_days", "unanswered_days"]
    list_display_links = ["name"]
    list_editable = ["order"]
    ordering = ["order"]
