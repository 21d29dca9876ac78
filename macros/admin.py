from django.contrib import admin

from .models import Macro


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "status", "priority", "tier", "team_slug", "is_active")
    list_filter = ("is_active", "status", "tier")
    search_fields = ("title", "body")
