from django.contrib import admin

from .models import SideConversation, SideMessage, TeamPartnerSettings


@admin.register(TeamPartnerSettings)
class TeamPartnerSettingsAdmin(admin.ModelAdmin):
    list_display = ("team", "always_cc")


class SideMessageInline(admin.TabularInline):
    model = SideMessage
    extra = 0
    fields = ("direction", "from_email", "state", "created_at", "body")
    readonly_fields = fields


@admin.register(SideConversation)
class SideConversationAdmin(admin.ModelAdmin):
    list_display = ("ticket", "partner_email", "subject", "partner_ticket", "created_at")
    search_fields = ("partner_email", "subject", "partner_ticket")
    inlines = [SideMessageInline]
