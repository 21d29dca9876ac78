from django.contrib import admin

from .models import NotificationPreference, Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["name", "format", "is_active", "on_oncall_page", "on_ticket_red", "on_status_post"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "webhook", "event", "state", "attempts", "last_status", "created_at"]
    list_filter = ["state", "event"]
    readonly_fields = ["key", "created_at", "delivered_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "channel"]
