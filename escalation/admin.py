from django.contrib import admin

from .models import (
    BroadcastDelivery,
    KnownIssue,
    KnownIssueBroadcast,
    KnownIssueLink,
    OnCallPage,
    OnCallShift,
    TierAssignment,
)


@admin.register(TierAssignment)
class TierAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "tier", "starts_on", "ends_on", "substitute_for"]
    list_filter = ["tier"]
    list_select_related = ["user", "substitute_for"]
    raw_id_fields = ["user", "substitute_for"]


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    list_display = ["user", "starts_at", "ends_at", "order"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(OnCallPage)
class OnCallPageAdmin(admin.ModelAdmin):
    list_display = ["ticket", "created_at", "step", "next_step_at", "acknowledged_at", "gap"]
    raw_id_fields = ["ticket", "acknowledged_by"]


@admin.register(KnownIssue)
class KnownIssueAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "short_name", "status", "status_post", "updated_at"]
    list_filter = ["status", "status_post"]
    search_fields = ["title", "short_name"]
    readonly_fields = ["number"]


@admin.register(KnownIssueLink)
class KnownIssueLinkAdmin(admin.ModelAdmin):
    list_display = ["ticket", "known_issue", "linked_by", "at"]
    raw_id_fields = ["ticket", "known_issue", "linked_by"]


class DeliveryInline(admin.TabularInline):
    model = BroadcastDelivery
    raw_id_fields = ["ticket", "message"]
    extra = 0


@admin.register(KnownIssueBroadcast)
class KnownIssueBroadcastAdmin(admin.ModelAdmin):
    list_display = ["known_issue", "created_by", "created_at", "finished_at"]
    inlines = [DeliveryInline]
