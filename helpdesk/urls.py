"""Every URL of the project, listed by hand. Each app's ``urls.py`` carries its full path prefixes
(triage/, known-issues/, sla/ …) and its own ``app_name`` namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .auth import LoginView


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("helpdesk.api_urls")),
    path("", include("attachments.urls")),
    path("", include("tickets.urls")),
    path("", include("triage.urls")),
    path("", include("escalation.urls")),
    path("", include("sla.urls")),
    path("", include("sla.urls_dashboard")),
    path("", include("playbook.urls")),
]
