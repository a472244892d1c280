from django.contrib import admin

from .models import WarningThresholds


@admin.register(WarningThresholds)
class WarningThresholdsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "yellow_days", "red_milestone_days"]

    def has_add_permission(self, request):
        # One row holds the office's thresholds.
        return not WarningThresholds.objects.exists()
