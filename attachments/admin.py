from django.contrib import admin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "message", "size", "sniffed_type", "uploader", "created_at")
    list_select_related = ("message", "uploader")
    raw_id_fields = ("message", "uploader")
    readonly_fields = ("sha256", "size", "sniffed_type", "declared_type", "created_at")
    search_fields = ("original_name", "sha256")
