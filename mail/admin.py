from django.contrib import admin

from .models import BlockedSender, InboundEmail, Mailbox


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["id", "received_at", "channel", "from_email", "subject", "state", "ticket"]
    list_filter = ["state", "channel"]
    search_fields = ["from_email", "subject", "email_message_id"]
    exclude = ["raw"]
    readonly_fields = [f.name for f in InboundEmail._meta.fields if f.name != "raw"]
    list_select_related = ["ticket"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False


@admin.register(BlockedSender)
class BlockedSenderAdmin(admin.ModelAdmin):
    list_display = ["pattern", "reason", "created_by", "created_at"]
    search_fields = ["pattern"]
    raw_id_fields = ["created_by"]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "port", "username", "folder", "is_active", "last_polled_at"]
