from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .auth import LoginView

BASE_DIR = settings.BASE_DIR


def healthz(request):
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
    path("", include("knowledge.urls")),
    path("", include("tickets.urls")),
    path("", include("reports.urls")),
    path("", include("playbook.urls")),
]

# Feature apps own their URL prefixes (triage/, known-issues/, status/, dashboard/ …) in <app>/urls*.py,
# each module with its own ``app_name`` namespace, so apps never edit a shared URL file.
for _app in ("triage", "escalation", "sla"):
    for _module in sorted((BASE_DIR / _app).glob("urls*.py")):
        urlpatterns.append(path("", include(f"{_app}.{_module.stem}")))
