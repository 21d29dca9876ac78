"""The admin's sign-in goes through the same one-at-a-time check as ours (axes counts both)."""

from django.contrib import admin

from .forms import AdminSignInForm
from .models import RateCounter

admin.site.login_form = AdminSignInForm


@admin.register(RateCounter)
class RateCounterAdmin(admin.ModelAdmin):
    list_display = ("key", "window", "hits")
    search_fields = ("key",)
