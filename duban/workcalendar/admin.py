from django.contrib import admin

from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
