from django.contrib import admin

from .models import AuthorisationRequest, ProjectItem


@admin.register(ProjectItem)
class ProjectItemAdmin(admin.ModelAdmin):
    list_display = ("title", "ticket", "organization", "delivery_manager", "created_at")
    list_select_related = ("ticket", "organization", "delivery_manager")
    search_fields = ("title", "requester_email", "ticket__number")
    raw_id_fields = ("ticket",)


@admin.register(AuthorisationRequest)
class AuthorisationRequestAdmin(admin.ModelAdmin):
    list_display = ("ticket", "requested_from", "requested_by", "created_at", "confirmed_at", "declined_at")
    list_select_related = ("ticket", "requested_from", "requested_by")
    raw_id_fields = ("ticket", "requested_from", "confirmed_by")
    readonly_fields = ("token",)
