from django.contrib import admin

from .models import (
    Contact,
    Counter,
    InboundMessage,
    Message,
    Notification,
    Organization,
    Tag,
    Team,
    Ticket,
    TicketEvent,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email_domains",
        "send_acknowledgements",
        "account_manager",
        "programme_delivery_manager",
    ]
    search_fields = ["name", "email_domains"]
    autocomplete_fields = ["account_manager", "programme_delivery_manager"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organization", "is_authorised"]
    list_filter = ["is_authorised"]
    search_fields = ["name", "email"]
    list_select_related = ["organization"]
    raw_id_fields = ["user", "organization"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "value"]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["visibility", "kind", "author_user", "author_contact", "body", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author_user", "author_contact"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "status", "priority", "tier", "assignee", "organization", "sla_band"]
    list_filter = ["status", "tier", "priority", "sla_band"]
    search_fields = ["=number", "subject"]
    list_select_related = ["assignee", "organization"]
    raw_id_fields = ["requester", "organization", "assignee", "split_from", "follow_up_of", "triaged_by"]
    filter_horizontal = ["tags", "followers"]
    # Lifecycle fields change only through the services (status machine, timers, SLA clocks, audit events):
    # the admin shows them but cannot write them behind the workflow's back.
    readonly_fields = [
        "number",
        "version",
        "created_at",
        "updated_at",
        "status",
        "status_changed_at",
        "assignee",
        "tier",
        "tier_entered_at",
        "next_action",
        "next_action_at",
        "reminders_sent",
        "hold_days",
        "sla_band",
        "sla_green_until",
        "sla_yellow_until",
        "commitment_due_at",
        "commitment_missed",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "last_public_reply_at",
        "last_requester_reply_at",
        "triage_decision",
        "triaged_by",
    ]
    inlines = [MessageInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        present = {f.name for f in self.model._meta.get_fields()}
        return [name for name in self.readonly_fields if name in present]


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin):
    list_display = ["ticket", "verb", "actor", "at"]
    list_filter = ["verb"]
    raw_id_fields = ["ticket", "actor"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):  # append-only
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "reason",
        "channel",
        "recipient_email",
        "recipient_user",
        "state",
        "attempts",
        "claimed_at",
        "created_at",
        "sent_at",
        "error",
    ]
    list_filter = ["state", "channel", "reason"]
    raw_id_fields = ["ticket", "recipient_user"]
    show_full_result_count = False


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["from_email", "subject", "received_at", "processed_at", "ticket"]
    raw_id_fields = ["ticket"]
