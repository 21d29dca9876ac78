from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health

BASE_DIR = settings.BASE_DIR

# Swagger UI (served from our static files, script in a file) sets inline styles: allowed on this page only.
_docs_styles = {"style-src": [UNSAFE_INLINE]}
api_docs = csp_update(_docs_styles)(
    csp_update(_docs_styles, REPORT_ONLY=True)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
)


urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("api/", include("helpdesk.api_urls")),
    path("", include("attachments.urls")),
    path("", include("tickets.urls")),
    path("", include("reports.urls")),
    path("", include("playbook.urls")),
]

# Feature apps own their URL prefixes (triage/, known-issues/, status/, dashboard/ …) in <app>/urls*.py,
# each module with its own ``app_name`` namespace, so apps never edit a shared URL file.
for _app in ("triage", "escalation", "sla"):
    for _module in sorted((BASE_DIR / _app).glob("urls*.py")):
        urlpatterns.append(path("", include(f"{_app}.{_module.stem}")))
