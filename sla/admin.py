from django import forms
from django.contrib import admin

from .models import BusinessCalendar, SlaClock, SlaPolicy, TicketSlaState


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    """``full_clean`` runs ``BusinessCalendar.clean``: bad hours, zones or countries get a field error."""

    list_display = ["name", "time_zone", "country", "subdivision", "is_default"]
    filter_horizontal = ["organizations"]


class SlaPolicyForm(forms.ModelForm):
    class Meta:
        model = SlaPolicy
        fields = ["tier", "priority", "green_seconds", "yellow_seconds", "calendar", "lead"]
        help_texts = {
            "green_seconds": "Business seconds (1 business hour = 3600, 1 business day = 28800).",
            "yellow_seconds": "Business seconds; at least the green limit.",
        }


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    form = SlaPolicyForm
    list_display = ["tier", "priority", "green_hours", "yellow_hours", "calendar", "lead"]
    list_select_related = ["calendar", "lead"]
    raw_id_fields = ["lead"]

    @admin.display(description="Green (business h)")
    def green_hours(self, obj: SlaPolicy) -> float:
        return round(obj.green_seconds / 3600, 2)

    @admin.display(description="Yellow (business h)")
    def yellow_hours(self, obj: SlaPolicy) -> float:
        return round(obj.yellow_seconds / 3600, 2)


@admin.register(SlaClock)
class SlaClockAdmin(admin.ModelAdmin):
    list_display = [
        "ticket",
        "tier",
        "started_at",
        "stopped_at",
        "stop_reason",
        "business_seconds",
        "final_band",
    ]
    list_filter = ["tier", "final_band", "stop_reason"]
    list_select_related = ["ticket"]
    raw_id_fields = ["ticket", "calendar"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # written by the clock only


@admin.register(TicketSlaState)
class TicketSlaStateAdmin(admin.ModelAdmin):
    list_display = ["ticket", "nudge_due_at", "nudges_sent", "holding_due_at", "holding_offered_at"]
    raw_id_fields = ["ticket", "commitment_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
